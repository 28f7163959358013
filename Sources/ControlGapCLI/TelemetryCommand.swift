import ControlGapKit
import Foundation

/// `controlgap aggregate` and `controlgap sql`: the workspace's telemetry as an aggregate file,
/// and the SQL that makes the same file where the events already live.
struct TelemetryCommand {
  enum Kind {
    /// Reads the events and writes the aggregate.
    case aggregate
    /// Prints the query for the workspace's settings.
    case sql
  }

  let arguments: CommandLineArguments
  let kind: Kind

  init(_ words: [String], kind: Kind) throws {
    let valued: Set<String> =
      kind == .aggregate ? ["--as-of", "--output"] : ["--as-of", "--table"]
    arguments = try CommandLineArguments(
      words, valued: valued, flags: ["--quiet", "--help", "-h"])
    self.kind = kind
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(kind == .aggregate ? Help.aggregate : Help.sql)
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
    let table = arguments.value("--table") ?? "access_events"
    guard AggregateQuery.isPlainName(table) else {
      throw CommandLineArguments.UsageError(
        message: "--table '\(table)' must be a plain or dotted SQL name (letters, digits, _)")
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
      display = ReportCommand.displayPath(of: workspace)
    }
    let run = TelemetryRun(
      installation: installation, workspace: workspace, workspaceDisplay: display, asOf: asOf,
      progress: { terminal.progress($0) })

    switch kind {
    case .sql:
      let (loaded, firstDay, lastDay) = try run.window(diagnostics: sink)
      let query = AggregateQuery(
        policy: loaded.settings.telemetry.policy, firstDay: firstDay, lastDay: lastDay)
      FileHandle.standardOutput.write(Data(query.sql(table: table).utf8))
    case .aggregate:
      let aggregate = try run.aggregate(diagnostics: sink)
      let bytes = Data(AggregateFile.bytes(of: aggregate))
      guard let output = arguments.value("--output") else {
        FileHandle.standardOutput.write(bytes)
        return
      }
      do {
        try bytes.write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        throw ControlGapFailure(.cannotWrite, "cannot write \(output)")
      }
      Terminal.out("wrote \(output)")
    }
  }
}
