import ControlGapKit
import Foundation

/// `controlgap report` and `controlgap validate`: the same checks, with or without writing.
struct ReportCommand {
  let arguments: CommandLineArguments
  let writes: Bool

  init(_ words: [String], writes: Bool) throws {
    let valued: Set<String> =
      writes ? ["--catalog", "--as-of", "--output", "--templates"] : ["--catalog", "--as-of"]
    arguments = try CommandLineArguments(
      words, valued: valued, flags: ["--quiet", "--help", "-h"])
    self.writes = writes
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(writes ? Help.report : Help.validate)
      return
    }
    let asOf = try Command.asOf(arguments)
    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let installation = try Command.installation()
    let workspace = try Command.workspace(arguments, installation: installation)
    let outcome = try Command.assess(
      workspace, arguments: arguments, installation: installation, asOf: asOf,
      terminal: terminal, sink: sink)

    guard writes else {
      let counts = outcome.frameworks.map { "\($0.name) \($0.activeRequirements.count)" }
      let measured = outcome.assessment.findings.filter { $0.finding.origin == .telemetry }
      let events = outcome.assessment.telemetry.map { telemetry in
        ", " + Self.counted(telemetry.events, "event")
          + " raising " + Self.counted(measured.count, "measured finding")
      }
      Terminal.out(
        "\(workspace.display): valid; \(Self.counted(outcome.workspace.controls.count, "control")), "
          + Self.counted(outcome.workspace.findings.count, "written finding") + (events ?? "")
          + "; requirements: " + counts.joined(separator: ", "))
      return
    }

    terminal.progress("rendering reports")
    let base = URL(fileURLWithPath: arguments.value("--output") ?? "Reports")
    let folder = base.appendingPathComponent(outcome.assessment.period.description)
    let writer = try Command.reportWriter(arguments, installation: installation)
    let written = try writer.write(outcome.assessment, to: folder, diagnostics: sink)
    let shown =
      (arguments.value("--output") ?? "Reports") + "/" + outcome.assessment.period.description
    for name in written {
      Terminal.out("wrote \(shown)/\(name)")
    }
  }

  /// `1 control`, `2 controls`.
  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}
