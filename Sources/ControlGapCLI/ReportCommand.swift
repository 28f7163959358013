import ControlGapKit
import Foundation

/// `controlgap report` and `controlgap validate`: the same checks, with or without writing.
struct ReportCommand {
  let arguments: CommandLineArguments
  let writes: Bool

  init(_ words: [String], writes: Bool) throws {
    let valued: Set<String> =
      writes ? ["--catalog", "--as-of", "--output"] : ["--catalog", "--as-of"]
    arguments = try CommandLineArguments(
      words, valued: valued, flags: ["--quiet", "--help", "-h"])
    self.writes = writes
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(writes ? Help.report : Help.validate)
      return
    }
    guard arguments.positionals.count <= 1 else {
      throw CommandLineArguments.UsageError(
        message: "expected at most one workspace folder, got \(arguments.positionals.count)")
    }
    var asOf: CalendarDate?
    if let text = arguments.value("--as-of") {
      guard let date = CalendarDate(parsing: text) else {
        throw CommandLineArguments.UsageError(
          message: "--as-of '\(text)' is not a date (YYYY-MM-DD)")
      }
      asOf = date
    }

    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let installation = try Command.installation()
    let workspace: URL
    let display: String
    if let path = arguments.positionals.first {
      workspace = URL(fileURLWithPath: path)
      display = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    } else {
      workspace = installation.exampleWorkspace
      display = Self.displayPath(of: workspace)
    }

    terminal.progress("loading catalogs and workspace \(display)")
    let run = AssessmentRun(
      installation: installation, workspace: workspace, workspaceDisplay: display,
      addedCatalogs: try Command.addedCatalogs(arguments.all("--catalog")), asOf: asOf,
      progress: { terminal.progress($0) })
    let outcome = try run.run(diagnostics: sink)

    guard writes else {
      let counts = outcome.frameworks.map { "\($0.name) \($0.activeRequirements.count)" }
      Terminal.out(
        "\(display): valid; \(outcome.workspace.controls.count) controls, "
          + "\(outcome.workspace.findings.count) findings; requirements: "
          + counts.joined(separator: ", "))
      return
    }

    terminal.progress("rendering reports")
    let base = URL(fileURLWithPath: arguments.value("--output") ?? "Reports")
    let folder = base.appendingPathComponent(outcome.assessment.period.description)
    let writer = ReportWriter(
      templatesFolder: installation.templatesFolder,
      templatesDisplay: Self.displayPath(of: installation.templatesFolder))
    let written = try writer.write(outcome.assessment, to: folder, diagnostics: sink)
    let shown =
      (arguments.value("--output") ?? "Reports") + "/" + outcome.assessment.period.description
    for name in written {
      Terminal.out("wrote \(shown)/\(name)")
    }
  }

  /// A path shown relative to the current directory when it lies below it.
  static func displayPath(of url: URL) -> String {
    let current = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    let prefix = current.hasSuffix("/") ? current : current + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }
}
