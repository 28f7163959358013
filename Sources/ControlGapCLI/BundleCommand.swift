import ControlGapKit
import Foundation

/// `controlgap bundle`: the reports, the catalogs, the workspace and the cited evidence in one
/// ZIP archive, optionally signed.
struct BundleCommand {
  let arguments: CommandLineArguments

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(
      words, valued: ["--as-of", "--output", "--catalog", "--templates", "--sign"],
      flags: ["--quiet", "--help", "-h"])
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(Help.bundle)
      return
    }
    let asOf = try Command.asOf(arguments)
    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let installation = try Command.installation()
    let workspace = try Command.workspace(arguments, installation: installation)
    // The key is read first, so that a wrong key stops the run before any work is done.
    let signingKey = try arguments.value("--sign").map { path in
      try SigningKey(pemFile: URL(fileURLWithPath: path), displayPath: path, diagnostics: sink)
    }
    let writer = try Command.reportWriter(arguments, installation: installation)
    let outcome = try Command.assess(
      workspace, arguments: arguments, installation: installation, asOf: asOf,
      terminal: terminal, sink: sink)

    terminal.progress("rendering reports")
    let reports = try writer.render(outcome.assessment, diagnostics: sink)
    let bundle = try EvidenceBundle(
      assessment: outcome.assessment, reports: reports, frameworks: outcome.frameworks,
      workspace: outcome.workspace, eventsAggregate: outcome.eventsAggregate,
      folder: workspace.url,
      version: Command.version)

    let output: String
    if let given = arguments.value("--output") {
      output = given
    } else {
      // The default folder is the one `report` writes to, created as `report` would.
      let folder = "Reports/" + outcome.assessment.period.description
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw ControlGapFailure(.cannotWrite, "cannot create folder \(folder)")
      }
      output = folder + "/evidence-bundle.zip"
    }
    var manifest: BundleManifest?
    try OutputFile.write(to: output) { descriptor in
      manifest = try bundle.write(
        to: ZipWriter(descriptor: descriptor), signingKey: signingKey,
        progress: { terminal.progress("bundling \($0)") })
    }
    let files = manifest.map { ReportCommand.counted($0.entries.count, "file") } ?? "no files"
    let signed = signingKey.map { ", signed by key \($0.publicKey.fingerprint)" } ?? ""
    Terminal.out("wrote \(output) (\(files)\(signed))")
  }
}
