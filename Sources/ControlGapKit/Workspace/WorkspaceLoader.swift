import Foundation

/// Reads a workspace folder into records with source locations.
///
/// Every file is validated against the workspace schema first; then the records are checked
/// against each other (duplicate ids, unknown controls, dates in the wrong order, evidence
/// outside the workspace). All problems are reported before the loader gives up, so a user
/// sees every one of them in one run.
public struct WorkspaceLoader: Sendable {
  public static let settingsFile = "workspace.xml"
  public static let controlsFolder = "controls"
  public static let findingsFolder = "findings"
  public static let exceptionsFolder = "exceptions"
  public static let eventsFolder = "events"
  public static let aggregatesFolder = "aggregates"

  let schema: XMLSchema

  public init(schema: XMLSchema) {
    self.schema = schema
  }

  /// Loads the workspace in `folder`.
  ///
  /// - Parameters:
  ///   - folder: The workspace folder.
  ///   - displayRoot: How the folder is named in diagnostics, e.g. as the user typed it.
  /// - Throws: `ControlGapFailure` with `.missingInput` when the folder or its settings file is
  ///   missing, `.badInput` when any file has an error.
  public func load(folder: URL, displayRoot: String, diagnostics: DiagnosticSink) throws
    -> Workspace
  {
    let paths = WorkspacePaths(root: folder, displayRoot: displayRoot)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
      diagnostics.error("workspace folder does not exist", at: SourceLocation(path: displayRoot))
      throw ControlGapFailure(.missingInput, "workspace \(displayRoot) does not exist")
    }
    guard isDirectory.boolValue else {
      diagnostics.error("workspace is a file, not a folder", at: SourceLocation(path: displayRoot))
      throw ControlGapFailure(.missingInput, "workspace \(displayRoot) is not a folder")
    }

    let settingsURL = folder.appendingPathComponent(Self.settingsFile)
    let settingsPath = paths.display(Self.settingsFile)
    guard FileManager.default.fileExists(atPath: settingsURL.path) else {
      diagnostics.error(
        "workspace settings file is missing", at: SourceLocation(path: settingsPath))
      throw ControlGapFailure(.missingInput, "\(settingsPath) is missing")
    }

    guard case .inside = paths.check(Self.settingsFile) else {
      diagnostics.error(
        "file is a link that leaves the workspace", at: SourceLocation(path: settingsPath))
      throw ControlGapFailure(.badInput, "\(settingsPath) leaves the workspace")
    }

    let collector = DiagnosticCollector()
    var reading = WorkspaceReading(paths: paths, diagnostics: collector)
    var files = [Self.settingsFile]
    let settingsRoot = read(Self.settingsFile, paths: paths, diagnostics: collector)
    let settings = settingsRoot.flatMap { reading.settings(from: $0) }

    var controls: [ObservedControl] = []
    var everyControlFileRead = true
    for file in paths.xmlFiles(in: Self.controlsFolder, diagnostics: collector) {
      files.append(file)
      if let root = read(file, paths: paths, diagnostics: collector) {
        controls += reading.controls(from: root, expectedRoot: "controls")
      } else {
        everyControlFileRead = false
      }
    }
    var findings: [BypassFinding] = []
    for file in paths.xmlFiles(in: Self.findingsFolder, diagnostics: collector) {
      files.append(file)
      if let root = read(file, paths: paths, diagnostics: collector) {
        findings += reading.findings(from: root, expectedRoot: "findings")
      }
    }
    var exceptions: [RegisteredException] = []
    for file in paths.files(
      in: Self.exceptionsFolder, extensions: ["xml", "csv"], diagnostics: collector)
    {
      files.append(file)
      if file.lowercased().hasSuffix(".csv") {
        exceptions += readRegister(file, paths: paths, reading: &reading, diagnostics: collector)
      } else if let root = read(file, paths: paths, diagnostics: collector) {
        exceptions += reading.exceptions(from: root, expectedRoot: "exceptions")
      }
    }
    // With a controls file unreadable, its findings would all look orphaned: one problem
    // reported many times.
    if everyControlFileRead {
      reading.checkFindingControls(findings, controls: controls)
      reading.checkExceptionControls(exceptions, controls: controls)
    }

    let eventFiles = paths.files(
      in: Self.eventsFolder, extensions: ["csv", "jsonl", "ndjson"], diagnostics: collector)
    let aggregateFiles = paths.files(
      in: Self.aggregatesFolder, extensions: ["csv"], diagnostics: collector)
    files += eventFiles + aggregateFiles
    if let settings, !eventFiles.isEmpty {
      _ = PseudonymSecret.read(settings.telemetry, paths: paths, diagnostics: collector)
    }

    collector.diagnostics.forEach(diagnostics.report)
    guard let settings, !collector.hasErrors else {
      throw ControlGapFailure(.badInput, "workspace \(displayRoot) has errors")
    }
    return Workspace(
      root: displayRoot, settings: settings, controls: controls, findings: findings,
      exceptions: exceptions, eventFiles: eventFiles, aggregateFiles: aggregateFiles,
      files: files)
  }

  private func readRegister(
    _ relativePath: String, paths: WorkspacePaths, reading: inout WorkspaceReading,
    diagnostics: DiagnosticSink
  ) -> [RegisteredException] {
    let display = paths.display(relativePath)
    guard
      let data = InputFile.contents(
        of: paths.url(relativePath), displayPath: display, diagnostics: diagnostics)
    else { return [] }
    var fileSeen: [String: SourceLocation] = [:]
    return ExceptionRegisterCSV(displayPath: display, diagnostics: diagnostics).read(
      Array(data)
    ) { id, location in
      reading.noteException(id, at: location, file: &fileSeen)
    }
  }

  private func read(_ relativePath: String, paths: WorkspacePaths, diagnostics: DiagnosticSink)
    -> XMLElementNode?
  {
    let display = paths.display(relativePath)
    guard
      let data = InputFile.contents(
        of: paths.url(relativePath), displayPath: display, diagnostics: diagnostics)
    else { return nil }
    return XMLReader(displayPath: display).read(data, schema: schema, diagnostics: diagnostics)
  }
}
