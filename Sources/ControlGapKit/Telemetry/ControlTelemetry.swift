/// Everything the events say about one control over the assessed period: its totals, a count
/// per day, and breakdowns that show where people meet it and where they route around it.
///
/// Each breakdown lists the slices with the most bypasses first, then by value, so that the
/// places to look at first lead and the order never depends on the order of the events.
public struct ControlTelemetry: Hashable, Sendable {
  /// The control's id, as the events name it (`C-1`).
  public var control: String
  /// The counts over the whole period.
  public var total: OutcomeCounts
  /// One entry per UTC day with events, in date order.
  public var daily: [DayCounts]
  public var byApp: [BreakdownEntry]
  /// Events without a role count under `EventAggregator.noValue`; likewise location and device.
  public var byRole: [BreakdownEntry]
  public var byLocation: [BreakdownEntry]
  public var byDevice: [BreakdownEntry]
  public var byAction: [BreakdownEntry]
  public var byAppAndAction: [AppActionEntry]
  /// One entry per risk rating (`low`, `medium`, `high`), and `EventAggregator.unrated` for
  /// events the export did not rate.
  public var byRisk: [BreakdownEntry]

  public init(
    control: String, total: OutcomeCounts, daily: [DayCounts] = [],
    byApp: [BreakdownEntry] = [], byRole: [BreakdownEntry] = [],
    byLocation: [BreakdownEntry] = [], byDevice: [BreakdownEntry] = [],
    byAction: [BreakdownEntry] = [], byAppAndAction: [AppActionEntry] = [],
    byRisk: [BreakdownEntry] = []
  ) {
    self.control = control
    self.total = total
    self.daily = daily
    self.byApp = byApp
    self.byRole = byRole
    self.byLocation = byLocation
    self.byDevice = byDevice
    self.byAction = byAction
    self.byAppAndAction = byAppAndAction
    self.byRisk = byRisk
  }
}

/// The counts for the events that share one value of a dimension, such as the app `crm`.
public struct BreakdownEntry: Hashable, Sendable {
  public var value: String
  public var counts: OutcomeCounts

  public init(value: String, counts: OutcomeCounts) {
    self.value = value
    self.counts = counts
  }
}

/// The counts for the events of one action in one app, such as `export` in `crm`.
public struct AppActionEntry: Hashable, Sendable {
  public var app: String
  public var action: String
  public var counts: OutcomeCounts

  public init(app: String, action: String, counts: OutcomeCounts) {
    self.app = app
    self.action = action
    self.counts = counts
  }
}

/// The counts for the events of one UTC day, for trends across the period.
public struct DayCounts: Hashable, Sendable {
  public var date: CalendarDate
  public var counts: OutcomeCounts

  public init(date: CalendarDate, counts: OutcomeCounts) {
    self.date = date
    self.counts = counts
  }
}
