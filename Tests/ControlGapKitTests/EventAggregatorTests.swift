import Testing

@testable import ControlGapKit

@Suite("Aggregating access events per control")
struct EventAggregatorTests {
  private let pseudonymiser = Pseudonymiser(key: Array("aggregator-test-secret".utf8))!
  private let quarter = Quarter(year: 2026, number: 4)!
  private let assessmentDate = CalendarDate(year: 2026, month: 10, day: 31)!

  private func event(
    _ time: String, _ user: String, control: String = "C-1", app: String = "crm",
    role: String? = "analyst", location: String? = "office", device: String? = "laptop",
    action: String = "view", risk: AccessEvent.Risk? = .low, outcome: AccessEvent.Outcome
  ) throws -> AccessEvent {
    AccessEvent(
      timestamp: try #require(Timestamp(iso8601: time)), user: user, control: control, app: app,
      role: role, location: location, device: device, action: action, risk: risk,
      outcome: outcome)
  }

  /// Six events of C-1 over two days, one of C-2, and three outside the fourth quarter of 2026
  /// up to the assessment date.
  private func sampleEvents() throws -> [AccessEvent] {
    [
      try event(
        "2026-10-05T12:00:00Z", "alice", control: "C-2", app: "erp", outcome: .passed),
      try event("2026-10-02T08:00:00Z", "alice", outcome: .passed),
      try event(
        "2026-10-02T09:00:00Z", "alice", action: "export", risk: .high, outcome: .bypassed),
      try event(
        "2026-10-02T10:00:00Z", "bob", role: "admin", location: "remote", device: nil,
        action: "export", risk: .high, outcome: .bypassed),
      try event("2026-10-03T08:00:00Z", "alice", risk: nil, outcome: .failed),
      try event(
        "2026-10-03T09:00:00Z", "bob", app: "erp", role: "admin", location: nil,
        device: "phone", action: "admin", risk: .medium, outcome: .exception),
      try event(
        "2026-10-03T10:00:00Z", "carol", app: "erp", role: nil, location: "remote",
        device: "phone", outcome: .abandoned),
      try event("2026-09-30T23:59:59Z", "alice", outcome: .bypassed),
      try event("2026-11-01T00:00:00Z", "alice", outcome: .bypassed),
      // 23:00 on 30 September in UTC, so before the quarter although the local date is 1 October.
      try event("2026-10-01T01:00:00+02:00", "alice", outcome: .bypassed),
    ]
  }

  private func aggregate(_ events: [AccessEvent]) -> TelemetryAggregate {
    var aggregator = EventAggregator(
      pseudonymiser: pseudonymiser, quarter: quarter, assessmentDate: assessmentDate)
    for event in events {
      aggregator.add(event)
    }
    return aggregator.result()
  }

  private func controlOne() throws -> ControlTelemetry {
    try #require(aggregate(try sampleEvents()).telemetry(for: "C-1"))
  }

  @Test("every event is a challenge and counts under its outcome")
  func totals() throws {
    let total = try controlOne().total
    #expect(
      total
        == OutcomeCounts(
          challenges: 6, passes: 1, failures: 1, abandons: 1, bypasses: 2, exceptionUses: 1,
          distinctUsers: 3, userDays: 5, riskDrivenBypasses: 2, distinctBypassers: 2,
          bypassDays: .days("2026-10-02")))
  }

  @Test("the rates divide the counts as documented")
  func rates() throws {
    let total = try controlOne().total
    #expect(total.promptsPerUserDay == 1.2)
    #expect(total.bypassRate == 1.0 / 3.0)
    #expect(total.failureRate == 1.0 / 6.0)
    #expect(total.abandonRate == 1.0 / 6.0)
    #expect(total.exceptionShare == 1.0 / 3.0)
  }

  @Test("rates over no events are 0, not a division by zero")
  func emptyRates() {
    let empty = OutcomeCounts()
    #expect(empty.promptsPerUserDay == 0)
    #expect(empty.bypassRate == 0)
    #expect(empty.failureRate == 0)
    #expect(empty.abandonRate == 0)
    #expect(empty.exceptionShare == 0)
    #expect(OutcomeCounts(challenges: 4, passes: 4, distinctUsers: 1).exceptionShare == 0)
  }

  @Test("the same user on two days counts once as a user and twice as a user-day")
  func userDays() throws {
    let counts = aggregate([
      try event("2026-10-02T08:00:00Z", "alice", outcome: .passed),
      try event("2026-10-02T17:00:00Z", "alice", outcome: .passed),
      try event("2026-10-03T08:00:00Z", "alice", outcome: .passed),
    ]).controls.map(\.total)
    #expect(
      counts == [OutcomeCounts(challenges: 3, passes: 3, distinctUsers: 1, userDays: 2)])
    #expect(counts.first?.promptsPerUserDay == 1.5)
  }

  @Test("one entry per UTC day, in date order")
  func daily() throws {
    #expect(
      try controlOne().daily == [
        DayCounts(
          date: CalendarDate(year: 2026, month: 10, day: 2)!,
          counts: OutcomeCounts(
            challenges: 3, passes: 1, bypasses: 2, distinctUsers: 2, riskDrivenBypasses: 2,
            distinctBypassers: 2, bypassDays: .days("2026-10-02"))),
        DayCounts(
          date: CalendarDate(year: 2026, month: 10, day: 3)!,
          counts: OutcomeCounts(
            challenges: 3, failures: 1, abandons: 1, exceptionUses: 1, distinctUsers: 3)),
      ])
  }

  @Test("events outside the quarter up to the assessment date are counted apart")
  func window() throws {
    let result = aggregate(try sampleEvents())
    #expect(result.outsideWindow == 3)
    #expect(result.firstDay == CalendarDate(year: 2026, month: 10, day: 1)!)
    #expect(result.lastDay == assessmentDate)
    #expect(result.controls.map(\.total.challenges).reduce(0, +) == 7)
  }

  @Test("controls are sorted by id whatever order their events came in")
  func controlOrder() throws {
    let result = aggregate(try sampleEvents())
    #expect(result.controls.map(\.control) == ["C-1", "C-2"])
    #expect(
      result.telemetry(for: "C-2")?.byApp == [
        BreakdownEntry(
          value: "erp",
          counts: OutcomeCounts(challenges: 1, passes: 1, distinctUsers: 1))
      ])
    #expect(result.telemetry(for: "C-3") == nil)
  }

  @Test("by app, most bypasses first")
  func byApp() throws {
    #expect(
      try controlOne().byApp == [
        BreakdownEntry(
          value: "crm",
          counts: OutcomeCounts(
            challenges: 4, passes: 1, failures: 1, bypasses: 2, distinctUsers: 2,
            riskDrivenBypasses: 2, distinctBypassers: 2, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "erp",
          counts: OutcomeCounts(
            challenges: 2, abandons: 1, exceptionUses: 1, distinctUsers: 2)),
      ])
  }

  @Test("by role, ties broken by value, a missing role under (none)")
  func byRole() throws {
    #expect(
      try controlOne().byRole == [
        BreakdownEntry(
          value: "admin",
          counts: OutcomeCounts(
            challenges: 2, bypasses: 1, exceptionUses: 1, distinctUsers: 1, riskDrivenBypasses: 1,
            distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "analyst",
          counts: OutcomeCounts(
            challenges: 3, passes: 1, failures: 1, bypasses: 1, distinctUsers: 1,
            riskDrivenBypasses: 1, distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "(none)",
          counts: OutcomeCounts(challenges: 1, abandons: 1, distinctUsers: 1)),
      ])
  }

  @Test("by location, a missing location under (none)")
  func byLocation() throws {
    #expect(
      try controlOne().byLocation == [
        BreakdownEntry(
          value: "office",
          counts: OutcomeCounts(
            challenges: 3, passes: 1, failures: 1, bypasses: 1, distinctUsers: 1,
            riskDrivenBypasses: 1, distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "remote",
          counts: OutcomeCounts(
            challenges: 2, abandons: 1, bypasses: 1, distinctUsers: 2, riskDrivenBypasses: 1,
            distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "(none)",
          counts: OutcomeCounts(challenges: 1, exceptionUses: 1, distinctUsers: 1)),
      ])
  }

  @Test("by device, (none) sorted with the values when it ties on bypasses")
  func byDevice() throws {
    #expect(
      try controlOne().byDevice == [
        BreakdownEntry(
          value: "(none)",
          counts: OutcomeCounts(
            challenges: 1, bypasses: 1, distinctUsers: 1, riskDrivenBypasses: 1,
            distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "laptop",
          counts: OutcomeCounts(
            challenges: 3, passes: 1, failures: 1, bypasses: 1, distinctUsers: 1,
            riskDrivenBypasses: 1, distinctBypassers: 1, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "phone",
          counts: OutcomeCounts(
            challenges: 2, abandons: 1, exceptionUses: 1, distinctUsers: 2)),
      ])
  }

  @Test("by action")
  func byAction() throws {
    #expect(
      try controlOne().byAction == [
        BreakdownEntry(
          value: "export",
          counts: OutcomeCounts(
            challenges: 2, bypasses: 2, distinctUsers: 2, riskDrivenBypasses: 2,
            distinctBypassers: 2, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "admin",
          counts: OutcomeCounts(challenges: 1, exceptionUses: 1, distinctUsers: 1)),
        BreakdownEntry(
          value: "view",
          counts: OutcomeCounts(
            challenges: 3, passes: 1, failures: 1, abandons: 1, distinctUsers: 2)),
      ])
  }

  @Test("by app and action together")
  func byAppAndAction() throws {
    #expect(
      try controlOne().byAppAndAction == [
        AppActionEntry(
          app: "crm", action: "export",
          counts: OutcomeCounts(
            challenges: 2, bypasses: 2, distinctUsers: 2, userDays: 2, riskDrivenBypasses: 2,
            distinctBypassers: 2, bypassDays: .days("2026-10-02")),
          bypassPaths: [
            BreakdownEntry(
              value: EventAggregator.noValue,
              counts: OutcomeCounts(
                challenges: 2, bypasses: 2, distinctUsers: 2, riskDrivenBypasses: 2,
                distinctBypassers: 2, bypassDays: .days("2026-10-02")))
          ]),
        AppActionEntry(
          app: "crm", action: "view",
          counts: OutcomeCounts(
            challenges: 2, passes: 1, failures: 1, distinctUsers: 1, userDays: 2),
          bypassPaths: []),
        AppActionEntry(
          app: "erp", action: "admin",
          counts: OutcomeCounts(challenges: 1, exceptionUses: 1, distinctUsers: 1, userDays: 1),
          bypassPaths: []),
        AppActionEntry(
          app: "erp", action: "view",
          counts: OutcomeCounts(challenges: 1, abandons: 1, distinctUsers: 1, userDays: 1),
          bypassPaths: []),
      ])
  }

  @Test("bypasses by app, action and path: only bypasses, each pair its own paths")
  func bypassPaths() throws {
    func event(
      _ day: Int, _ user: String, app: String = "crm", action: String = "export",
      outcome: AccessEvent.Outcome = .bypassed, path: String?
    ) throws -> AccessEvent {
      AccessEvent(
        timestamp: try #require(Timestamp(iso8601: "2026-10-\(10 + day)T08:00:00Z")),
        user: user, control: "C-1", app: app, action: action, outcome: outcome, path: path)
    }
    let control = try #require(
      aggregate([
        try event(0, "alice", path: "vpn"),
        try event(2, "bob", path: "vpn"),
        try event(1, "alice", path: "api token"),
        try event(3, "carol", outcome: .passed, path: "vpn"),
        try event(4, "carol", app: "erp", path: nil),
        try event(5, "dave", action: "view", outcome: .exception, path: "break-glass"),
      ]).telemetry(for: "C-1"))
    #expect(
      control.byAppAndAction.map { "\($0.app) \($0.action)" } == [
        "crm export", "erp export", "crm view",
      ])
    #expect(
      control.byAppAndAction.map { $0.bypassPaths ?? [] } == [
        [
          BreakdownEntry(
            value: "vpn",
            counts: OutcomeCounts(
              challenges: 2, bypasses: 2, distinctUsers: 2, distinctBypassers: 2,
              bypassDays: .days("2026-10-10", "2026-10-12"))),
          // "api token" is one of the standard policy's machine-identity markers.
          BreakdownEntry(
            value: "api token",
            counts: OutcomeCounts(
              challenges: 1, bypasses: 1, distinctUsers: 1, riskDrivenBypasses: 1,
              distinctBypassers: 1, bypassDays: .days("2026-10-11"))),
        ],
        [
          BreakdownEntry(
            value: EventAggregator.noValue,
            counts: OutcomeCounts(
              challenges: 1, bypasses: 1, distinctUsers: 1, distinctBypassers: 1,
              bypassDays: .days("2026-10-14")))
        ],
        [],
      ])
  }

  @Test("each slice keeps the first and last UTC day of its own bypasses, not the order seen")
  func bypassDays() throws {
    // The first event seen is the latest bypass, and the third is on 13 October in UTC though
    // on the 12th where it was logged.
    let control = try #require(
      aggregate([
        try event("2026-10-20T10:00:00Z", "alice", action: "export", outcome: .bypassed),
        try event("2026-10-05T09:00:00Z", "bob", outcome: .bypassed),
        try event("2026-10-12T23:30:00-02:00", "carol", action: "export", outcome: .bypassed),
        try event("2026-10-01T08:00:00Z", "alice", action: "export", outcome: .passed),
        try event("2026-10-25T08:00:00Z", "bob", app: "erp", outcome: .passed),
      ]).telemetry(for: "C-1"))
    #expect(control.total.bypassDays == .days("2026-10-05", "2026-10-20"))
    #expect(
      control.byAppAndAction.map { "\($0.app) \($0.action)" } == [
        "crm export", "crm view", "erp view",
      ])
    #expect(
      control.byAppAndAction.map(\.counts.bypassDays) == [
        .days("2026-10-13", "2026-10-20"), .days("2026-10-05"), nil,
      ])
    #expect(
      control.daily.map(\.counts.bypassDays) == [
        nil, .days("2026-10-05"), .days("2026-10-13"), .days("2026-10-20"), nil,
      ])
    #expect(control.byApp.map(\.counts.bypassDays) == [.days("2026-10-05", "2026-10-20"), nil])
  }

  @Test("by risk, an unrated event under unrated rather than low")
  func byRisk() throws {
    #expect(
      try controlOne().byRisk == [
        BreakdownEntry(
          value: "high",
          counts: OutcomeCounts(
            challenges: 2, bypasses: 2, distinctUsers: 2, userDays: 2, riskDrivenBypasses: 2,
            distinctBypassers: 2, bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "low",
          counts: OutcomeCounts(
            challenges: 2, passes: 1, abandons: 1, distinctUsers: 2, userDays: 2)),
        BreakdownEntry(
          value: "medium",
          counts: OutcomeCounts(challenges: 1, exceptionUses: 1, distinctUsers: 1, userDays: 1)),
        BreakdownEntry(
          value: "unrated",
          counts: OutcomeCounts(challenges: 1, failures: 1, distinctUsers: 1, userDays: 1)),
      ])
  }

  @Test("the same events in another order give an equal result")
  func orderIndependent() throws {
    let events = try sampleEvents()
    let rotated = Array(events[4...] + events[..<4])
    let expected = aggregate(events)
    #expect(aggregate(events.reversed()) == expected)
    #expect(aggregate(rotated) == expected)
  }

  @Test("the aggregator keeps no user identifier")
  func noRawUsers() throws {
    var aggregator = EventAggregator(
      pseudonymiser: pseudonymiser, quarter: quarter, assessmentDate: assessmentDate)
    for event in try sampleEvents() {
      aggregator.add(event)
    }
    var stored = ""
    dump(aggregator, to: &stored)
    #expect(stored.contains("crm"))
    #expect(!stored.contains("alice"))
    #expect(!stored.contains("bob"))
    #expect(!stored.contains("carol"))
  }

  @Test("an assessment date before the quarter leaves every event outside the window")
  func emptyWindow() throws {
    var aggregator = EventAggregator(
      pseudonymiser: pseudonymiser, firstDay: CalendarDate(year: 2026, month: 10, day: 1)!,
      lastDay: CalendarDate(year: 2026, month: 9, day: 30)!)
    for event in try sampleEvents() {
      aggregator.add(event)
    }
    let result = aggregator.result()
    #expect(result.controls.isEmpty)
    #expect(result.outsideWindow == 10)
  }
}
