import Foundation

/// Reads a workspace's access events and pre-aggregated files into one aggregate over the
/// assessed window.
///
/// Raw event files stream through one `EventAggregator`, so memory stays flat however large
/// they are. Aggregate files, produced where billions of events already live, are read as they
/// are. A control may come from one kind of source only: counting it twice would double its
/// numbers.
struct TelemetryLoading {
  /// The aggregate, the files it came from, and for each control the file or folder its
  /// counts were read from, for diagnostics about them.
  struct Loaded {
    var aggregate: TelemetryAggregate
    /// The part of `aggregate` counted from raw event files, which stands in for them where
    /// their user identifiers must not go; `nil` when there are none.
    var eventsAggregate: TelemetryAggregate?
    var sources: [TelemetrySource]
    var origins: [String: SourceLocation]
  }

  let workspace: Workspace
  let folder: URL
  let firstDay: CalendarDate
  let lastDay: CalendarDate
  let progress: @Sendable (String) -> Void

  /// The aggregate and its sources, or `nil` when the workspace has neither events nor
  /// aggregates.
  ///
  /// - Throws: `ControlGapFailure` when a file cannot be read, has more bad rows than the
  ///   settings allow, or its rows cannot be used.
  func load(diagnostics: DiagnosticSink) throws -> Loaded? {
    guard !workspace.eventFiles.isEmpty || !workspace.aggregateFiles.isEmpty else { return nil }
    let paths = WorkspacePaths(root: folder, displayRoot: workspace.root)
    let settings = workspace.settings.telemetry
    var sources: [TelemetrySource] = []
    var aggregate = TelemetryAggregate(
      firstDay: firstDay, lastDay: lastDay, controls: [], outsideWindow: 0,
      exceptionUsage: nil)

    var eventsAggregate: TelemetryAggregate?
    if !workspace.eventFiles.isEmpty {
      guard
        let pseudonymiser = PseudonymSecret.read(
          settings, folder: folder, displayRoot: workspace.root, diagnostics: diagnostics)
      else {
        throw ControlGapFailure(.badInput, "workspace \(workspace.root) has no usable secret")
      }
      var aggregator = EventAggregator(
        pseudonymiser: pseudonymiser, firstDay: firstDay, lastDay: lastDay,
        policy: settings.policy, exceptions: workspace.exceptions.map(\.scope))
      let reader = AccessEventReader(columns: settings.columns, maxBadRows: settings.maxBadRows)
      for file in workspace.eventFiles {
        progress("reading events \(paths.display(file))")
        let summary = try aggregator.addEvents(
          from: paths.url(file), displayPath: paths.display(file), reader: reader,
          diagnostics: diagnostics)
        sources.append(
          TelemetrySource(
            path: file, kind: .events, events: summary.events, badRows: summary.badRows))
      }
      aggregate = aggregator.result()
      eventsAggregate = aggregate
      if aggregate.outsideWindow > 0 {
        let count = aggregate.outsideWindow
        diagnostics.warning(
          "\(count) \(count == 1 ? "event falls" : "events fall") outside \(firstDay) to "
            + "\(lastDay) and \(count == 1 ? "is" : "are") not counted",
          at: SourceLocation(path: paths.display(WorkspaceLoader.eventsFolder)))
      }
    }

    var origin = Dictionary(
      aggregate.controls.map { ($0.control, WorkspaceLoader.eventsFolder) },
      uniquingKeysWith: { first, _ in first })
    var isUsable = true
    for file in workspace.aggregateFiles {
      progress("reading aggregates \(paths.display(file))")
      let read = try AggregateFileReader(firstDay: firstDay, lastDay: lastDay).read(
        file: paths.url(file), displayPath: paths.display(file), diagnostics: diagnostics)
      for control in read.controls {
        if let first = origin[control.control] {
          diagnostics.error(
            "control '\(control.control)' is already counted from \(first); a control's "
              + "events may come from one place only",
            at: SourceLocation(path: paths.display(file)))
          isUsable = false
          continue
        }
        origin[control.control] = paths.display(file)
        aggregate.controls.append(control)
      }
      sources.append(
        TelemetrySource(
          path: file, kind: .aggregate,
          events: read.controls.reduce(0) { $0.saturatingAdding($1.total.challenges) }, badRows: 0))
    }
    guard isUsable else {
      throw ControlGapFailure(.badInput, "telemetry of \(workspace.root) counts a control twice")
    }
    aggregate.controls.sort { $0.control < $1.control }
    return Loaded(
      aggregate: aggregate, eventsAggregate: eventsAggregate, sources: sources,
      origins: origin.mapValues { place in
        SourceLocation(
          path: place == WorkspaceLoader.eventsFolder
            ? paths.display(WorkspaceLoader.eventsFolder) : place)
      })
  }
}
