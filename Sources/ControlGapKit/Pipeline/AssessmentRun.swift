import Foundation

/// One assessment from inputs to result: catalogs → frameworks, workspace → records,
/// linking, then assessment. Renderers take the result from here.
public struct AssessmentRun: Sendable {
  /// A catalog file the user adds, with an optional key to name it by.
  public struct AddedCatalog: Sendable {
    public var url: URL
    public var displayPath: String
    public var key: String?

    public init(url: URL, displayPath: String, key: String?) {
      self.url = url
      self.displayPath = displayPath
      self.key = key
    }
  }

  public var installation: Installation
  public var workspace: URL
  public var workspaceDisplay: String
  public var addedCatalogs: [AddedCatalog]
  public var asOf: CalendarDate?
  /// Told what the run is doing before each long step, for a progress line.
  public var progress: @Sendable (String) -> Void

  public init(
    installation: Installation, workspace: URL, workspaceDisplay: String,
    addedCatalogs: [AddedCatalog] = [], asOf: CalendarDate? = nil,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.progress = progress
    self.installation = installation
    self.workspace = workspace
    self.workspaceDisplay = workspaceDisplay
    self.addedCatalogs = addedCatalogs
    self.asOf = asOf
  }

  /// The loaded inputs and the assessment made from them.
  public struct Outcome: Sendable {
    public var workspace: Workspace
    public var frameworks: [Framework]
    public var assessment: Assessment
    /// What the raw event files counted to, in the form of an aggregate file; `nil` without
    /// event files.
    public var eventsAggregate: TelemetryAggregate?
  }

  /// Runs every stage, reporting all problems found before stopping.
  ///
  /// - Throws: `ControlGapFailure` with the exit code that fits the first stage that failed.
  public func run(diagnostics: DiagnosticSink) throws -> Outcome {
    var library = try FrameworkLibrary(
      shippedIn: installation.catalogsFolder, displayFolder: "Frameworks/catalogs",
      diagnostics: diagnostics)
    for added in addedCatalogs {
      guard FileManager.default.isReadableFile(atPath: added.url.path) else {
        diagnostics.error(
          "catalog file does not exist", at: SourceLocation(path: added.displayPath))
        throw ControlGapFailure(.missingInput, "catalog \(added.displayPath) does not exist")
      }
      try library.add(
        contentsOf: added.url, displayPath: added.displayPath, key: added.key,
        diagnostics: diagnostics)
    }

    let workspace = try installation.loadWorkspace(
      self.workspace, displayRoot: workspaceDisplay, diagnostics: diagnostics)

    let collector = DiagnosticCollector()
    let frameworks = scope(workspace.settings, library: library, diagnostics: collector)
    let outOfScope = Set(library.frameworks.map(\.key)).subtracting(frameworks.map(\.key))
    let linkage = RequirementLinker(frameworks: frameworks, outOfScope: outOfScope).link(
      workspace, diagnostics: collector)
    collector.diagnostics.forEach(diagnostics.report)
    if collector.hasErrors {
      throw ControlGapFailure(.badInput, "workspace \(workspaceDisplay) has errors")
    }

    let date = try workspace.settings.period.assessmentDate(asOf)
    let loading = TelemetryLoading(
      workspace: workspace, folder: self.workspace, firstDay: workspace.settings.period.firstDay,
      lastDay: min(date, workspace.settings.period.lastDay), progress: progress)
    let loaded = try loading.load(diagnostics: diagnostics)
    let telemetry = loaded.map { loaded in
      TelemetryDiagnoser(
        thresholds: workspace.settings.thresholds, controls: workspace.controls,
        exceptions: workspace.exceptions
      ).diagnose(
        loaded.aggregate, sources: loaded.sources, origins: loaded.origins,
        diagnostics: diagnostics)
    }
    var assessment = Assessor(frameworks: frameworks, asOf: date).assess(
      workspace, linkage: linkage, telemetry: telemetry, diagnostics: diagnostics)
    progress("computing the SHA-256 of the input files")
    let paths = WorkspacePaths(root: self.workspace, displayRoot: workspaceDisplay)
    assessment.inputDigests = workspace.files.compactMap { file in
      InputDigest.of(paths.url(file), path: file)
    }
    return Outcome(
      workspace: workspace, frameworks: frameworks, assessment: assessment,
      eventsAggregate: loaded?.eventsAggregate)
  }

  /// The frameworks in scope: those the settings name (all shipped ones when none are named),
  /// followed by every catalog added on the command line.
  private func scope(
    _ settings: WorkspaceSettings, library: FrameworkLibrary, diagnostics: DiagnosticSink
  ) -> [Framework] {
    var keys: [String] = []
    if settings.frameworks.isEmpty {
      keys = library.frameworks.map(\.key).filter { !library.addedKeys.contains($0) }
    }
    for selection in settings.frameworks {
      guard let found = library.framework(selection.key) else {
        let known = library.frameworks.map(\.key).joined(separator: ", ")
        diagnostics.error(
          "unknown framework '\(selection.key)' (available: \(known))", at: selection.location)
        continue
      }
      if !keys.contains(found.key) { keys.append(found.key) }
    }
    for key in library.addedKeys where !keys.contains(key) {
      keys.append(key)
    }
    return keys.compactMap { library.framework($0) }
  }
}
