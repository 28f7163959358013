import Testing

@testable import ControlGapKit

/// Which bypass and exception events registered exceptions cover, and how each exception was
/// used.
@Suite("Covering bypasses with exceptions")
struct ExceptionCoverageTests {
  static func day(_ day: Int, month: Int = 10) -> CalendarDate {
    CalendarDate(year: 2026, month: month, day: day)!
  }

  static func event(
    _ day: Int, control: String = "C-1", app: String = "crm", role: String? = "analyst",
    action: String = "export", outcome: AccessEvent.Outcome = .bypassed
  ) -> AccessEvent {
    let date = String(day).leftPadded(to: 2)
    return BypassClassificationTests.event(
      "2026-10-\(date)T12:00:00Z", app: app, role: role, action: action, outcome: outcome
    )
    .withControl(control)
  }

  struct Result {
    var usage: [ExceptionUsage]
    var uncovered: Int?
    var unregistered: Int?
    var controls: [String]
  }

  static func cover(_ events: [AccessEvent], _ exceptions: [ExceptionScope]) -> Result {
    var aggregator = EventAggregator(
      pseudonymiser: BypassClassificationTests.pseudonymiser, firstDay: day(1),
      lastDay: day(31), exceptions: exceptions)
    for event in events {
      aggregator.add(event)
    }
    let result = aggregator.result()
    return Result(
      usage: result.exceptionUsage ?? [],
      uncovered: result.telemetry(for: "C-1")?.uncoveredBypasses,
      unregistered: result.telemetry(for: "C-1")?.unregisteredExceptionUses,
      controls: result.controls.map(\.control))
  }

  @Test("a bypass in scope on a day the exception is valid is covered")
  func valid() {
    let result = Self.cover(
      [Self.event(5), Self.event(31)],
      [
        ExceptionScope(
          id: "EX-1", control: "C-1", app: "CRM", granted: Self.day(5), expires: Self.day(31))
      ])
    #expect(result.usage == [ExceptionUsage(id: "EX-1", uses: 2, lastUse: Self.day(31))])
    #expect(result.uncovered == 0)
    #expect(result.unregistered == 0)
  }

  @Test("a bypass after the exception expired is a use after expiry and stays uncovered")
  func expired() {
    let result = Self.cover(
      [Self.event(9), Self.event(20)],
      [ExceptionScope(id: "EX-1", control: "C-1", expires: Self.day(10))])
    #expect(
      result.usage == [
        ExceptionUsage(id: "EX-1", uses: 1, usesAfterExpiry: 1, lastUse: Self.day(20))
      ])
    #expect(result.uncovered == 1)
  }

  @Test("a bypass before the exception was granted is neither covered nor after expiry")
  func notYetGranted() {
    let result = Self.cover(
      [Self.event(5)], [ExceptionScope(id: "EX-1", control: "C-1", granted: Self.day(15))])
    #expect(result.usage == [ExceptionUsage(id: "EX-1", lastUse: Self.day(5))])
    #expect(result.uncovered == 1)
  }

  @Test("an exception without dates is valid on every day")
  func openBounds() {
    let result = Self.cover(
      [Self.event(1), Self.event(31)], [ExceptionScope(id: "EX-1", control: "C-1")])
    #expect(result.usage == [ExceptionUsage(id: "EX-1", uses: 2, lastUse: Self.day(31))])
    #expect(result.uncovered == 0)
  }

  @Test("of overlapping valid exceptions the first in the register takes the use")
  func overlapping() {
    let result = Self.cover(
      [Self.event(12)],
      [
        ExceptionScope(id: "EX-OLD", control: "C-1", expires: Self.day(10)),
        ExceptionScope(id: "EX-A", control: "C-1", app: "crm"),
        ExceptionScope(id: "EX-B", control: "C-1", action: "EXPORT"),
      ])
    #expect(
      result.usage == [
        ExceptionUsage(id: "EX-OLD", lastUse: Self.day(12)),
        ExceptionUsage(id: "EX-A", uses: 1, lastUse: Self.day(12)),
        ExceptionUsage(id: "EX-B", lastUse: Self.day(12)),
      ])
    #expect(result.uncovered == 0)
  }

  @Test("a use after expiry goes to the exception that expired last, the first on a tie")
  func latestExpiry() {
    let result = Self.cover(
      [Self.event(20)],
      [
        ExceptionScope(id: "EX-1", control: "C-1", expires: Self.day(5)),
        ExceptionScope(id: "EX-2", control: "C-1", expires: Self.day(15)),
        ExceptionScope(id: "EX-3", control: "C-1", expires: Self.day(15)),
        ExceptionScope(id: "EX-4", control: "C-1", granted: Self.day(25)),
      ])
    #expect(result.usage.map(\.usesAfterExpiry) == [0, 1, 0, 0])
    #expect(result.usage.map(\.uses) == [0, 0, 0, 0])
    #expect(result.uncovered == 1)
  }

  @Test("exception events that no exception covers are unregistered uses")
  func unregistered() {
    let result = Self.cover(
      [
        Self.event(5, outcome: .exception), Self.event(6, app: "erp", outcome: .exception),
        Self.event(7, app: "erp"), Self.event(8, outcome: .passed),
      ],
      [ExceptionScope(id: "EX-1", control: "C-1", app: "crm")])
    #expect(result.usage == [ExceptionUsage(id: "EX-1", uses: 1, lastUse: Self.day(5))])
    #expect(result.unregistered == 1)
    #expect(result.uncovered == 1)
  }

  @Test("a scope matches whole values of its own control, and a missing value matches no set field")
  func scopes() {
    let result = Self.cover(
      [
        Self.event(5, app: "crm-admin"), Self.event(6, role: nil),
        Self.event(7, control: "C-2"),
      ],
      [ExceptionScope(id: "EX-1", control: "C-1", app: "crm", role: "analyst")])
    #expect(result.usage == [ExceptionUsage(id: "EX-1")])
    #expect(result.uncovered == 2)
  }

  @Test("an exception of a control without events is listed with no uses")
  func controlWithoutEvents() {
    let result = Self.cover(
      [Self.event(5)],
      [
        ExceptionScope(id: "EX-9", control: "C-9"),
        ExceptionScope(id: "EX-1", control: "C-1"),
      ])
    #expect(
      result.usage == [
        ExceptionUsage(id: "EX-9"), ExceptionUsage(id: "EX-1", uses: 1, lastUse: Self.day(5)),
      ])
    #expect(result.controls == ["C-1"])
  }

  @Test("events outside the window are not matched")
  func outsideWindow() {
    var event = Self.event(5)
    event.timestamp = Timestamp(iso8601: "2026-11-01T00:00:00Z")!
    let result = Self.cover([event], [ExceptionScope(id: "EX-1", control: "C-1")])
    #expect(result.usage == [ExceptionUsage(id: "EX-1")])
    #expect(result.controls == [])
  }
}

extension AccessEvent {
  fileprivate func withControl(_ control: String) -> AccessEvent {
    var event = self
    event.control = control
    return event
  }
}
