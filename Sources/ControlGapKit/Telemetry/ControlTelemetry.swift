/// Everything the events say about one control over the assessed period: its totals, a count
/// per day, and breakdowns that show where people meet it and where they route around it.
///
/// Each breakdown lists the slices with the most bypasses first, then by value, so that the
/// places to look at first lead and the order never depends on the order of the events.
///
/// User-days are counted only in `total`, `byRisk` and `byAppAndAction`, the slices whose
/// prompt fatigue a report reads; everywhere else `userDays` is 0. Keeping one person-and-day
/// set per value of every dimension would cost far more memory than those few slices need.
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
  /// Events without a path count under `EventAggregator.noValue`.
  public var byPath: [BreakdownEntry]
  /// One entry per `TelemetryPolicy.RiskReason` that occurred, valued by its raw value. An
  /// entry counts only the bypasses with that reason, so its challenges, bypasses and
  /// risk-driven bypasses are all that one number; a bypass with several reasons counts under
  /// each of them.
  public var byRiskReason: [BreakdownEntry]
  /// Bypasses that no registered exception covered on their day, including those in the scope
  /// of an exception that had expired. `nil` when the counts were read from an aggregate file
  /// rather than from events.
  public var uncoveredBypasses: Int?
  /// Events with the outcome `exception` that no registered exception has in scope on their
  /// day; those in the scope of an exception that had expired count as its uses after expiry
  /// instead. `nil` when the counts were read from an aggregate file rather than from events.
  public var unregisteredExceptionUses: Int?

  public init(
    control: String, total: OutcomeCounts, daily: [DayCounts] = [],
    byApp: [BreakdownEntry] = [], byRole: [BreakdownEntry] = [],
    byLocation: [BreakdownEntry] = [], byDevice: [BreakdownEntry] = [],
    byAction: [BreakdownEntry] = [], byAppAndAction: [AppActionEntry] = [],
    byRisk: [BreakdownEntry] = [], byPath: [BreakdownEntry] = [],
    byRiskReason: [BreakdownEntry] = [], uncoveredBypasses: Int? = nil,
    unregisteredExceptionUses: Int? = nil
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
    self.byPath = byPath
    self.byRiskReason = byRiskReason
    self.uncoveredBypasses = uncoveredBypasses
    self.unregisteredExceptionUses = unregisteredExceptionUses
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
  /// The bypasses of the app and action by the path they took, in breakdown order; each
  /// entry counts only bypasses. Bypasses without a path count under `EventAggregator.noValue`.
  /// `nil` when the counts were read from an aggregate file without the `path` column.
  public var bypassPaths: [BreakdownEntry]?

  public init(
    app: String, action: String, counts: OutcomeCounts, bypassPaths: [BreakdownEntry]? = nil
  ) {
    self.app = app
    self.action = action
    self.counts = counts
    self.bypassPaths = bypassPaths
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

extension ControlTelemetry {
  /// Breakdown entries in the documented order: most bypasses first, then by value in UTF-8
  /// byte order, so that the order never depends on how the entries were found.
  static func ordered(_ entries: [BreakdownEntry]) -> [BreakdownEntry] {
    entries.sorted { left, right in
      if left.counts.bypasses != right.counts.bypasses {
        return left.counts.bypasses > right.counts.bypasses
      }
      return left.value.precedesInUTF8(right.value)
    }
  }

  /// App-and-action entries in the documented order: most bypasses first, then by app and
  /// action in UTF-8 byte order.
  static func ordered(_ entries: [AppActionEntry]) -> [AppActionEntry] {
    entries.sorted { left, right in
      if left.counts.bypasses != right.counts.bypasses {
        return left.counts.bypasses > right.counts.bypasses
      }
      if !left.app.utf8.elementsEqual(right.app.utf8) {
        return left.app.precedesInUTF8(right.app)
      }
      return left.action.precedesInUTF8(right.action)
    }
  }
}

extension String {
  /// Whether the string sorts before `other` by its UTF-8 bytes. Unlike `<`, which compares
  /// canonical forms, this never calls two different byte sequences equal, so sorted output
  /// is the same on every run.
  func precedesInUTF8(_ other: String) -> Bool {
    utf8.lexicographicallyPrecedes(other.utf8)
  }
}
