import ControlGapKit
import Foundation

/// Dispatches to the subcommands.
enum Command {
  static let version = "0.1.0"

  static func run(_ arguments: [String], sink: StandardErrorSink) throws {
    guard let name = arguments.first else {
      Terminal.out(Help.main)
      return
    }
    let rest = Array(arguments.dropFirst())
    switch name {
    case "-h", "--help", "help":
      Terminal.out(Help.main)
    case "--version":
      Terminal.out("controlgap \(version)")
    case "report":
      try ReportCommand(rest, writes: true).run(sink: sink)
    case "validate":
      try ReportCommand(rest, writes: false).run(sink: sink)
    case "bundle":
      try BundleCommand(rest).run(sink: sink)
    case "verify":
      try VerifyCommand(rest).run(sink: sink)
    case "aggregate":
      try TelemetryCommand(rest, kind: .aggregate).run(sink: sink)
    case "sql":
      try TelemetryCommand(rest, kind: .sql).run(sink: sink)
    case "catalogs":
      try CatalogsCommand(rest).run(sink: sink)
    case "generate-events":
      try GenerateEventsCommand(rest).run()
    default:
      throw CommandLineArguments.UsageError(message: "unknown command '\(name)'")
    }
  }

  /// The installation holding Frameworks/ and Templates/, found from the running executable.
  static func installation() throws -> Installation {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let fallback = URL(fileURLWithPath: CommandLine.arguments.first ?? "controlgap")
    let environment = ProcessInfo.processInfo.environment
    if let home = environment["CONTROLGAP_HOME"], !home.isEmpty,
      Installation.locate(executable: executable, environment: environment) == nil
    {
      throw ControlGapFailure(
        .missingInput,
        "CONTROLGAP_HOME (\(home)) does not hold Frameworks/catalogs and Templates")
    }
    guard
      let found = Installation.locate(executable: executable, environment: environment)
        ?? Installation.locate(executable: fallback, environment: environment)
    else {
      throw ControlGapFailure(
        .missingInput,
        "cannot find ControlGap's Frameworks/ and Templates/ folders; set CONTROLGAP_HOME")
    }
    return found
  }

  /// The `--as-of` date, when given.
  static func asOf(_ arguments: CommandLineArguments) throws -> CalendarDate? {
    guard let text = arguments.value("--as-of") else { return nil }
    guard let date = CalendarDate(parsing: text) else {
      throw CommandLineArguments.UsageError(message: "--as-of '\(text)' is not a date (YYYY-MM-DD)")
    }
    return date
  }

  /// The workspace folder named by the one optional positional argument, or the bundled
  /// example, with the path diagnostics show for it.
  static func workspace(_ arguments: CommandLineArguments, installation: Installation) throws
    -> (url: URL, display: String)
  {
    guard arguments.positionals.count <= 1 else {
      throw CommandLineArguments.UsageError(
        message: "expected at most one workspace folder, got \(arguments.positionals.count)")
    }
    guard let path = arguments.positionals.first else {
      return (installation.exampleWorkspace, displayPath(of: installation.exampleWorkspace))
    }
    let display = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
    return (URL(fileURLWithPath: path), display)
  }

  /// A path shown relative to the current directory when it lies below it.
  static func displayPath(of url: URL) -> String {
    let current = FileManager.default.currentDirectoryPath
    let path = url.standardizedFileURL.path
    let prefix = current.hasSuffix("/") ? current : current + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  /// The assessment of `workspace` with the `--catalog` files added, showing progress on
  /// `terminal`: what `report`, `validate` and `bundle` all start with.
  static func assess(
    _ workspace: (url: URL, display: String), arguments: CommandLineArguments,
    installation: Installation, asOf: CalendarDate?, terminal: Terminal,
    sink: StandardErrorSink
  ) throws -> AssessmentRun.Outcome {
    terminal.progress("loading catalogs and workspace \(workspace.display)")
    let run = AssessmentRun(
      installation: installation, workspace: workspace.url, workspaceDisplay: workspace.display,
      addedCatalogs: try addedCatalogs(arguments.all("--catalog")), asOf: asOf,
      progress: { terminal.progress($0) })
    return try run.run(diagnostics: sink)
  }

  /// The report writer, with the `--templates` folder's files in place of the built-in ones
  /// when one is given.
  static func reportWriter(_ arguments: CommandLineArguments, installation: Installation) throws
    -> ReportWriter
  {
    var overrides: URL?
    let overridesDisplay = arguments.value("--templates") ?? ""
    if let path = arguments.value("--templates") {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        throw ControlGapFailure(.missingInput, "templates folder \(path) does not exist")
      }
      overrides = URL(fileURLWithPath: path)
    }
    return ReportWriter(
      templatesFolder: installation.templatesFolder,
      templatesDisplay: displayPath(of: installation.templatesFolder),
      overridesFolder: overrides, overridesDisplay: overridesDisplay, version: version)
  }

  /// `--catalog [KEY=]FILE` values, with paths as the user typed them.
  static func addedCatalogs(_ values: [String]) throws -> [AssessmentRun.AddedCatalog] {
    try values.map { value in
      var key: String?
      var path = value
      if let equals = value.firstIndex(of: "="), !value[..<equals].contains("/") {
        key = String(value[..<equals])
        path = String(value[value.index(after: equals)...])
        guard let name = key, !name.isEmpty,
          name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
        else {
          throw CommandLineArguments.UsageError(
            message: "catalog key '\(key ?? "")' may hold only letters, digits, '-', '.' and '_'")
        }
      }
      guard !path.isEmpty else {
        throw CommandLineArguments.UsageError(message: "option '--catalog' needs a file")
      }
      return AssessmentRun.AddedCatalog(
        url: URL(fileURLWithPath: path), displayPath: path, key: key)
    }
  }
}
