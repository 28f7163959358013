import ControlGapKit
import Foundation

/// `controlgap catalogs`: lists frameworks, a framework's requirements, or one requirement.
struct CatalogsCommand {
  let arguments: CommandLineArguments

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(words, valued: ["--catalog"], flags: ["--help", "-h"])
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(Help.catalogs)
      return
    }
    guard arguments.positionals.count <= 2 else {
      throw CommandLineArguments.UsageError(
        message: "expected at most a framework and a requirement")
    }
    let installation = try Command.installation()
    var library = try FrameworkLibrary(
      shippedIn: installation.catalogsFolder, displayFolder: "Frameworks/catalogs",
      diagnostics: sink)
    for added in try Command.addedCatalogs(arguments.all("--catalog")) {
      guard FileManager.default.isReadableFile(atPath: added.url.path) else {
        throw ControlGapFailure(.missingInput, "catalog \(added.displayPath) does not exist")
      }
      try library.add(
        contentsOf: added.url, displayPath: added.displayPath, key: added.key, diagnostics: sink)
    }

    guard let key = arguments.positionals.first else {
      list(library)
      return
    }
    guard let framework = library.framework(key) else {
      let known = library.frameworks.map(\.key).joined(separator: ", ")
      throw CommandLineArguments.UsageError(
        message: "unknown framework '\(key)' (available: \(known))")
    }
    guard arguments.positionals.count == 2 else {
      list(framework.activeRequirements, indent: "")
      return
    }
    try show(arguments.positionals[1], in: framework)
  }

  /// One requirement a line: its id, then its title, or its statement where the title only
  /// repeats the id.
  private func list(_ requirements: [Requirement], indent: String = "  ") {
    for requirement in requirements {
      let summary =
        requirement.displayName == requirement.displayID ? requirement.statement : requirement.title
      Terminal.out(indent + Terminal.field(requirement.displayID) + "\t" + Terminal.field(summary))
    }
  }

  private func list(_ library: FrameworkLibrary) {
    Terminal.out("KEY\tREQUIREMENTS\tWITHDRAWN\tNAME\tVERSION")
    for framework in library.frameworks {
      let withdrawn = framework.requirements.count - framework.activeRequirements.count
      let fields = [
        framework.key, String(framework.activeRequirements.count), String(withdrawn),
        framework.name, framework.catalog.version,
      ]
      Terminal.out(fields.map(Terminal.field).joined(separator: "\t"))
    }
  }

  private func show(_ reference: String, in framework: Framework) throws {
    switch framework.resolve(reference) {
    case .active(let requirement):
      print(requirement, in: framework)
    case .withdrawn(let requirement, let targets):
      print(requirement, in: framework)
      Terminal.out("status: withdrawn; now \(targets.map(\.displayID).joined(separator: ", "))")
    case .category(let heading, let members):
      Terminal.out("\(heading.displayName) (category of \(framework.name))")
      list(members)
    case .withdrawnCategory(let heading, let now, let members):
      let successor = now.isEmpty ? "" : "; now \(now.joined(separator: ", "))"
      Terminal.out("\(heading.displayName) (withdrawn category of \(framework.name)\(successor))")
      list(members)
    case .function(let heading, let members):
      Terminal.out("\(heading.title) (function of \(framework.name))")
      list(members)
    case .unknown:
      throw CommandLineArguments.UsageError(
        message: "unknown requirement '\(reference)' in \(framework.name)")
    }
  }

  private func print(_ requirement: Requirement, in framework: Framework) {
    Terminal.out(requirement.displayName)
    Terminal.out("framework: \(framework.name) (\(framework.key))")
    if let function = requirement.function {
      Terminal.out("function: \(function.title)")
    }
    if let category = requirement.category {
      Terminal.out("category: \(category.displayName)")
    }
    if !requirement.statement.isEmpty {
      Terminal.out("")
      Terminal.out(requirement.statement)
    }
  }
}
