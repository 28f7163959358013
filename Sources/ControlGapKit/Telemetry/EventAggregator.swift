/// Adds access events up, one at a time, into the counts an assessment reads per control.
///
/// The aggregator keeps one tally per distinct control, day and dimension value, so its memory
/// grows with the number of distinct values and never with the number of events. People are
/// counted by the first 8 bytes of their keyed hash from the `Pseudonymiser` (the same bytes
/// that its pseudonym spells in hexadecimal); no user identifier is kept. The result depends
/// only on which events were added, not on their order.
///
/// ```swift
/// var aggregator = EventAggregator(
///   pseudonymiser: pseudonymiser, quarter: quarter, assessmentDate: assessmentDate)
/// _ = try reader.read(file: url, displayPath: path, diagnostics: sink) { event in
///   aggregator.add(event)
/// }
/// let aggregate = aggregator.result()
/// ```
public struct EventAggregator: Sendable {
  /// The value under which events without a role, location or device are counted.
  public static let noValue = "(none)"
  /// The value under which events without a risk rating are counted.
  public static let unrated = "unrated"

  /// The first UTC day whose events are counted.
  public let firstDay: CalendarDate
  /// The last UTC day whose events are counted.
  public let lastDay: CalendarDate
  /// Events left out so far because they fell outside `firstDay` through `lastDay`.
  public private(set) var outsideWindow = 0

  private let pseudonymiser: Pseudonymiser
  private let firstDayNumber: Int
  private let lastDayNumber: Int
  private var controls: [String: ControlTally] = [:]

  /// Counts the events of the UTC days from `firstDay` through `lastDay`, both included. When
  /// `lastDay` is before `firstDay`, every event is outside the window.
  public init(pseudonymiser: Pseudonymiser, firstDay: CalendarDate, lastDay: CalendarDate) {
    self.pseudonymiser = pseudonymiser
    self.firstDay = firstDay
    self.lastDay = lastDay
    firstDayNumber = firstDay.dayNumber
    lastDayNumber = lastDay.dayNumber
  }

  /// Counts the events from the first day of `quarter` through `assessmentDate`, both included.
  public init(pseudonymiser: Pseudonymiser, quarter: Quarter, assessmentDate: CalendarDate) {
    self.init(pseudonymiser: pseudonymiser, firstDay: quarter.firstDay, lastDay: assessmentDate)
  }

  /// Counts one event, or counts it as outside the window when its UTC day is not in it.
  public mutating func add(_ event: AccessEvent) {
    let day = Self.dayNumber(of: event.timestamp)
    guard day >= firstDayNumber, day <= lastDayNumber else {
      outsideWindow += 1
      return
    }
    let user = userKey(for: event.user)
    controls[event.control, default: ControlTally()].add(event, user: user, day: day)
  }

  /// The counts of every event added so far, sorted as `TelemetryAggregate` describes.
  public func result() -> TelemetryAggregate {
    let telemetry = controls.sorted { $0.key < $1.key }.map { control, tally in
      tally.telemetry(for: control)
    }
    return TelemetryAggregate(
      firstDay: firstDay, lastDay: lastDay, controls: telemetry, outsideWindow: outsideWindow)
  }

  /// The first 8 bytes of the identifier's keyed hash, read big-endian.
  private func userKey(for identifier: String) -> UInt64 {
    pseudonymiser.mac(Array(identifier.utf8)).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// Days since 1970-01-01 of the UTC day containing `timestamp`, rounded towards the past so
  /// that instants before 1970 fall on their own day.
  private static func dayNumber(of timestamp: Timestamp) -> Int {
    let milliseconds = timestamp.millisecondsSinceEpoch
    let perDay = Timestamp.millisecondsPerDay
    let quotient = milliseconds / perDay
    return Int(milliseconds % perDay < 0 ? quotient - 1 : quotient)
  }
}

/// The tallies of one control: its total, one per day and one per value of each dimension.
private struct ControlTally: Sendable {
  /// An app and an action together.
  struct AppAction: Hashable, Sendable {
    var app: String
    var action: String
  }

  var total = OutcomeTally()
  var daily: [Int: OutcomeTally] = [:]
  var byApp: [String: OutcomeTally] = [:]
  var byRole: [String: OutcomeTally] = [:]
  var byLocation: [String: OutcomeTally] = [:]
  var byDevice: [String: OutcomeTally] = [:]
  var byAction: [String: OutcomeTally] = [:]
  var byAppAndAction: [AppAction: OutcomeTally] = [:]
  var byRisk: [String: OutcomeTally] = [:]

  mutating func add(_ event: AccessEvent, user: UInt64, day: Int) {
    let outcome = event.outcome
    total.add(outcome, user: user, day: day)
    daily[day, default: OutcomeTally()].add(outcome, user: user, day: day)
    byApp[event.app, default: OutcomeTally()].add(outcome, user: user, day: day)
    byRole[event.role ?? EventAggregator.noValue, default: OutcomeTally()]
      .add(outcome, user: user, day: day)
    byLocation[event.location ?? EventAggregator.noValue, default: OutcomeTally()]
      .add(outcome, user: user, day: day)
    byDevice[event.device ?? EventAggregator.noValue, default: OutcomeTally()]
      .add(outcome, user: user, day: day)
    byAction[event.action, default: OutcomeTally()].add(outcome, user: user, day: day)
    byAppAndAction[AppAction(app: event.app, action: event.action), default: OutcomeTally()]
      .add(outcome, user: user, day: day)
    byRisk[event.risk?.rawValue ?? EventAggregator.unrated, default: OutcomeTally()]
      .add(outcome, user: user, day: day)
  }

  func telemetry(for control: String) -> ControlTelemetry {
    let days = daily.sorted { $0.key < $1.key }.map { day, tally in
      DayCounts(date: CalendarDate(dayNumber: day), counts: tally.outcomeCounts)
    }
    let appActions = byAppAndAction.map { key, tally in
      AppActionEntry(app: key.app, action: key.action, counts: tally.outcomeCounts)
    }
    .sorted { left, right in
      if left.counts.bypasses != right.counts.bypasses {
        return left.counts.bypasses > right.counts.bypasses
      }
      return (left.app, left.action) < (right.app, right.action)
    }
    return ControlTelemetry(
      control: control, total: total.outcomeCounts, daily: days,
      byApp: Self.breakdown(byApp), byRole: Self.breakdown(byRole),
      byLocation: Self.breakdown(byLocation), byDevice: Self.breakdown(byDevice),
      byAction: Self.breakdown(byAction), byAppAndAction: appActions,
      byRisk: Self.breakdown(byRisk))
  }

  /// The entries of one dimension, most bypasses first, then by value.
  private static func breakdown(_ tallies: [String: OutcomeTally]) -> [BreakdownEntry] {
    tallies.map { value, tally in BreakdownEntry(value: value, counts: tally.outcomeCounts) }
      .sorted { left, right in
        if left.counts.bypasses != right.counts.bypasses {
          return left.counts.bypasses > right.counts.bypasses
        }
        return left.value < right.value
      }
  }
}
