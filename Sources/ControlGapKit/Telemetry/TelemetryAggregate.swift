/// What the access events of an assessed period add up to, control by control.
public struct TelemetryAggregate: Hashable, Sendable {
  /// The first UTC day whose events were counted.
  public var firstDay: CalendarDate
  /// The last UTC day whose events were counted.
  public var lastDay: CalendarDate
  /// One entry per control that has events in the period, sorted by control id.
  public var controls: [ControlTelemetry]
  /// Events left out because they fell before `firstDay` or after `lastDay`.
  public var outsideWindow: Int
  /// How the events used each registered exception, one entry per exception in the order the
  /// aggregator was given them. `nil` when the counts were read from an aggregate file, which
  /// carries no events to match against exceptions.
  public var exceptionUsage: [ExceptionUsage]?

  public init(
    firstDay: CalendarDate, lastDay: CalendarDate, controls: [ControlTelemetry],
    outsideWindow: Int, exceptionUsage: [ExceptionUsage]? = nil
  ) {
    self.firstDay = firstDay
    self.lastDay = lastDay
    self.controls = controls
    self.outsideWindow = outsideWindow
    self.exceptionUsage = exceptionUsage
  }

  /// The telemetry for the control with id `control`, or `nil` when it has no events.
  public func telemetry(for control: String) -> ControlTelemetry? {
    controls.first { $0.control == control }
  }
}
