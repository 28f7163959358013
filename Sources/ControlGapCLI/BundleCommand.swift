import ControlGapKit
import Foundation

/// `controlgap bundle`: the reports, the workspace and the cited evidence in one ZIP archive.
struct BundleCommand {
  let arguments: CommandLineArguments

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(
      words, valued: ["--as-of", "--output"], flags: ["--quiet", "--help", "-h"])
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(Help.bundle)
      return
    }
    let asOf = try Command.asOf(arguments)
    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let installation = try Command.installation()
    let (workspace, display) = try Command.workspace(arguments, installation: installation)

    terminal.progress("loading catalogs and workspace \(display)")
    let run = AssessmentRun(
      installation: installation, workspace: workspace, workspaceDisplay: display,
      addedCatalogs: [], asOf: asOf, progress: { terminal.progress($0) })
    let outcome = try run.run(diagnostics: sink)

    terminal.progress("rendering reports")
    let writer = ReportWriter(
      templatesFolder: installation.templatesFolder,
      templatesDisplay: Command.displayPath(of: installation.templatesFolder),
      overridesFolder: nil, overridesDisplay: "", version: Command.version)
    let reports = try writer.render(outcome.assessment, diagnostics: sink)

    terminal.progress("bundling")
    let bundle = try EvidenceBundle(
      assessment: outcome.assessment, reports: reports, workspace: outcome.workspace,
      folder: workspace, version: Command.version)
    let bytes = try bundle.archive()

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
    try OutputFile.write(to: output) { try OutputFile.write(bytes, to: $0) }
    Terminal.out("wrote \(output)")
  }
}
