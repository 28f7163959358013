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
      kind == .aggregate ? ["--as-of", "--output"] : ["--as-of", "--dialect"]
    arguments = try CommandLineArguments(
      words, valued: valued, flags: ["--quiet", "--help", "-h"])
    self.kind = kind
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(kind == .aggregate ? Help.aggregate : Help.sql)
      return
    }
    let asOf = try Command.asOf(arguments)
    let name = arguments.value("--dialect") ?? "duckdb"
    guard let dialect = AggregateQuery.Dialect(rawValue: name.lowercased()) else {
      throw CommandLineArguments.UsageError(
        message: "--dialect '\(name)' is not one of bigquery, duckdb, spark, trino")
    }

    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let installation = try Command.installation()
    let (workspace, display) = try Command.workspace(arguments, installation: installation)
    let run = TelemetryRun(
      installation: installation, workspace: workspace, workspaceDisplay: display, asOf: asOf,
      progress: { terminal.progress($0) })

    switch kind {
    case .sql:
      let (loaded, firstDay, lastDay) = try run.window(diagnostics: sink)
      let query = AggregateQuery.sql(
        policy: loaded.settings.telemetry.policy, firstDay: firstDay, lastDay: lastDay,
        dialect: dialect)
      FileHandle.standardOutput.write(Data(query.utf8))
    case .aggregate:
      let aggregate = try run.aggregate(diagnostics: sink)
      let bytes = Array(AggregateFile.csv(for: aggregate).utf8)
      guard let output = arguments.value("--output") else {
        FileHandle.standardOutput.write(Data(bytes))
        return
      }
      try OutputFile.write(to: output) { try OutputFile.write(bytes, to: $0) }
      Terminal.out("wrote \(output)")
    }
  }
}
