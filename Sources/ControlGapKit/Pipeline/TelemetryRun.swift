import Foundation

/// The telemetry stages on their own: workspace → events → aggregate, without catalogs or an
/// assessment. Used to hand the aggregate to other tools and to check it against them.
public struct TelemetryRun: Sendable {
  public var installation: Installation
  public var workspace: URL
  public var workspaceDisplay: String
  public var asOf: CalendarDate?
  public var progress: @Sendable (String) -> Void

  public init(
    installation: Installation, workspace: URL, workspaceDisplay: String,
    asOf: CalendarDate? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.installation = installation
    self.workspace = workspace
    self.workspaceDisplay = workspaceDisplay
    self.asOf = asOf
    self.progress = progress
  }

  /// The workspace, with the UTC days whose events count: the period's first day through the
  /// assessment date or the period's last day, whichever comes first.
  public func window(diagnostics: DiagnosticSink) throws -> (
    workspace: Workspace, firstDay: CalendarDate, lastDay: CalendarDate
  ) {
    let loaded = try installation.loadWorkspace(
      workspace, displayRoot: workspaceDisplay, diagnostics: diagnostics)
    let period = loaded.settings.period
    let date = try period.assessmentDate(asOf)
    // Assessing after the quarter (an audit in January) moves the clock for evidence and
    // exceptions; the events counted stay those of the quarter.
    return (loaded, period.firstDay, min(date, period.lastDay))
  }

  /// The aggregate of the workspace's events and aggregate files over the window.
  ///
  /// - Throws: `ControlGapFailure(.missingInput)` when the workspace has no telemetry, and
  ///   whatever reading the workspace or its events throws.
  public func aggregate(diagnostics: DiagnosticSink) throws -> TelemetryAggregate {
    let (loaded, firstDay, lastDay) = try window(diagnostics: diagnostics)
    let loading = TelemetryLoading(
      workspace: loaded, folder: workspace, firstDay: firstDay, lastDay: lastDay,
      progress: progress)
    guard let aggregate = try loading.load(diagnostics: diagnostics)?.aggregate else {
      diagnostics.error(
        "the workspace has no access events in events/ and no aggregates in aggregates/",
        at: SourceLocation(path: workspaceDisplay))
      throw ControlGapFailure(.missingInput, "no telemetry in \(workspaceDisplay)")
    }
    return aggregate
  }
}
