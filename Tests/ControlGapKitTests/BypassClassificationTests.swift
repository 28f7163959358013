import Testing

@testable import ControlGapKit

/// Risk-driven and convenience bypasses, distinct bypassers, and which slices count user-days.
@Suite("Classifying bypasses")
struct BypassClassificationTests {
  static let pseudonymiser = Pseudonymiser(key: Array("classification-test-secret".utf8))!
  static let firstDay = CalendarDate(year: 2026, month: 10, day: 1)!
  static let lastDay = CalendarDate(year: 2026, month: 12, day: 31)!

  static func event(
    _ time: String = "2026-10-02T08:00:00Z", _ user: String = "alice", app: String = "crm",
    role: String? = "analyst", location: String? = nil, device: String? = nil,
    action: String = "view", risk: AccessEvent.Risk? = .low,
    outcome: AccessEvent.Outcome = .bypassed, path: String? = nil
  ) -> AccessEvent {
    AccessEvent(
      timestamp: Timestamp(iso8601: time)!, user: user, control: "C-1", app: app, role: role,
      location: location, device: device, action: action, risk: risk, outcome: outcome,
      path: path)
  }

  static func telemetry(
    _ events: [AccessEvent], policy: TelemetryPolicy = .standard
  ) throws -> ControlTelemetry {
    var aggregator = EventAggregator(
      pseudonymiser: pseudonymiser, firstDay: firstDay, lastDay: lastDay, policy: policy)
    for event in events {
      aggregator.add(event)
    }
    return try #require(aggregator.result().telemetry(for: "C-1"))
  }

  /// The entry that one risk-driven bypass by one person on `day` gives a risk reason.
  static func single(
    _ reason: TelemetryPolicy.RiskReason, on day: String = "2026-10-02"
  ) -> BreakdownEntry {
    BreakdownEntry(
      value: reason.rawValue,
      counts: OutcomeCounts(
        challenges: 1, bypasses: 1, distinctUsers: 1, riskDrivenBypasses: 1,
        distinctBypassers: 1, bypassDays: .days(day)))
  }

  static let policy = TelemetryPolicy(
    unmanagedDevices: ["BYOD-Phone", "kiosk"], usualLocations: ["Office", "home"])

  static let reasons: [(String, AccessEvent, TelemetryPolicy.RiskReason)] = [
    ("an action rated high", event(risk: .high), .highRiskAction),
    ("a listed device, in another letter case", event(device: "byod-PHONE"), .unmanagedDevice),
    ("a location not in the usual list", event(location: "Cafe"), .unusualLocation),
    (
      "a marker inside the path, in another letter case",
      event(path: "via Service Account svc-7"), .machineIdentity
    ),
  ]

  @Test("each reason makes a bypass risk-driven", arguments: reasons)
  func eachReason(_ name: String, _ bypass: AccessEvent, _ reason: TelemetryPolicy.RiskReason)
    throws
  {
    let telemetry = try Self.telemetry([bypass], policy: Self.policy)
    #expect(telemetry.byRiskReason == [Self.single(reason)])
    #expect(telemetry.total.riskDrivenBypasses == 1)
    #expect(telemetry.total.convenienceBypasses == 0)
  }

  @Test("a bypass with every reason counts once in the total and once under each reason")
  func severalReasons() throws {
    let telemetry = try Self.telemetry(
      [
        Self.event(
          location: "airport", device: "KIOSK", risk: .high, path: "shared API-KEY")
      ], policy: Self.policy)
    #expect(
      telemetry.byRiskReason
        == [.highRiskAction, .machineIdentity, .unmanagedDevice, .unusualLocation].map {
          Self.single($0)
        })
    #expect(
      telemetry.total
        == OutcomeCounts(
          challenges: 1, bypasses: 1, distinctUsers: 1, userDays: 1, riskDrivenBypasses: 1,
          distinctBypassers: 1, bypassDays: .days("2026-10-02")))
  }

  @Test("a bypass without a reason is convenience: listed values, no path, a quiet rating")
  func convenience() throws {
    let telemetry = try Self.telemetry(
      [
        Self.event(location: "OFFICE", device: "managed-laptop", risk: .medium),
        Self.event("2026-10-02T09:00:00Z", location: nil, device: nil, risk: nil),
        Self.event("2026-10-02T10:00:00Z", path: "legacy endpoint"),
      ], policy: Self.policy)
    #expect(telemetry.byRiskReason == [])
    #expect(telemetry.total.bypasses == 3)
    #expect(telemetry.total.riskDrivenBypasses == 0)
    #expect(telemetry.total.convenienceBypasses == 3)
  }

  @Test("with no usual locations, no location is unusual")
  func noUsualLocations() throws {
    let telemetry = try Self.telemetry(
      [Self.event(location: "anywhere"), Self.event(location: "Antarctica")],
      policy: TelemetryPolicy(unmanagedDevices: ["kiosk"]))
    #expect(telemetry.byRiskReason == [])
    #expect(telemetry.total.riskDrivenBypasses == 0)
  }

  @Test("only bypasses are classified")
  func onlyBypasses() throws {
    let telemetry = try Self.telemetry(
      [
        Self.event(risk: .high, outcome: .passed),
        Self.event(device: "kiosk", outcome: .exception),
        Self.event(location: "cafe", outcome: .failed),
        Self.event(outcome: .abandoned, path: "service account"),
      ], policy: Self.policy)
    #expect(telemetry.byRiskReason == [])
    #expect(
      telemetry.total
        == OutcomeCounts(
          challenges: 4, passes: 1, failures: 1, abandons: 1, exceptionUses: 1, distinctUsers: 1,
          userDays: 1))
  }

  @Test("reasons count their bypasses and people, most bypasses first")
  func reasonCounts() throws {
    let telemetry = try Self.telemetry(
      [
        Self.event("2026-10-02T08:00:00Z", "alice", risk: .high),
        Self.event("2026-10-03T08:00:00Z", "alice", risk: .high, path: "bot account"),
        Self.event("2026-10-03T09:00:00Z", "bob", risk: .high),
        Self.event("2026-10-03T10:00:00Z", "bob", risk: .high, outcome: .passed),
      ])
    #expect(
      telemetry.byRiskReason == [
        BreakdownEntry(
          value: "high-risk-action",
          counts: OutcomeCounts(
            challenges: 3, bypasses: 3, distinctUsers: 2, riskDrivenBypasses: 3,
            distinctBypassers: 2, bypassDays: .days("2026-10-02", "2026-10-03"))),
        Self.single(.machineIdentity, on: "2026-10-03"),
      ])
  }

  @Test("distinct bypassers count the people with at least one bypass in the slice")
  func distinctBypassers() throws {
    let telemetry = try Self.telemetry([
      Self.event("2026-10-02T08:00:00Z", "alice"),
      Self.event("2026-10-02T09:00:00Z", "alice"),
      Self.event("2026-10-02T10:00:00Z", "bob", outcome: .passed),
      Self.event("2026-10-03T08:00:00Z", "carol", app: "erp"),
      Self.event("2026-10-03T09:00:00Z", "bob", app: "erp", outcome: .exception),
    ])
    #expect(
      telemetry.total
        == OutcomeCounts(
          challenges: 5, passes: 1, bypasses: 3, exceptionUses: 1, distinctUsers: 3, userDays: 4,
          distinctBypassers: 2, bypassDays: .days("2026-10-02", "2026-10-03")))
    #expect(telemetry.byApp.map(\.counts.distinctBypassers) == [1, 1])
    #expect(telemetry.byApp.map(\.counts.distinctUsers) == [2, 2])
  }

  @Test("user-days are counted in the total, by risk and by app and action only")
  func userDayPlacement() throws {
    let telemetry = try Self.telemetry([
      Self.event("2026-10-02T08:00:00Z", "alice", outcome: .passed),
      Self.event("2026-10-02T09:00:00Z", "alice", outcome: .passed),
      Self.event("2026-10-03T08:00:00Z", "alice", risk: .high),
      Self.event("2026-10-03T09:00:00Z", "bob", outcome: .passed),
    ])
    #expect(telemetry.total.userDays == 3)
    #expect(telemetry.byRisk.map(\.value) == ["high", "low"])
    #expect(telemetry.byRisk.map(\.counts.userDays) == [1, 2])
    #expect(telemetry.byAppAndAction.map(\.counts.userDays) == [3])

    let elsewhere = [
      telemetry.daily.map(\.counts), telemetry.byApp.map(\.counts),
      telemetry.byRole.map(\.counts), telemetry.byLocation.map(\.counts),
      telemetry.byDevice.map(\.counts), telemetry.byAction.map(\.counts),
      telemetry.byPath.map(\.counts), telemetry.byRiskReason.map(\.counts),
    ]
    #expect(elsewhere.map { $0.map(\.userDays) } == [[0, 0], [0], [0], [0], [0], [0], [0], [0]])
  }

  @Test("by path, a missing path under (none)")
  func byPath() throws {
    let telemetry = try Self.telemetry([
      Self.event(path: "shared credential"),
      Self.event(outcome: .passed),
    ])
    #expect(
      telemetry.byPath == [
        BreakdownEntry(
          value: "shared credential",
          counts: OutcomeCounts(
            challenges: 1, bypasses: 1, distinctUsers: 1, distinctBypassers: 1,
            bypassDays: .days("2026-10-02"))),
        BreakdownEntry(
          value: "(none)", counts: OutcomeCounts(challenges: 1, passes: 1, distinctUsers: 1)),
      ])
  }
}
