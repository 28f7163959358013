import Testing

@testable import ControlGapKit

/// Exports whose values are nearly all distinct, which once made the aggregator's memory grow
/// with apps times actions or people times slices, count exactly and quickly.
@Suite("Counting exports with many distinct values")
struct DistinctValueScaleTests {
  static let quarter = Quarter(year: 2026, number: 4)!
  static let assessmentDate = CalendarDate(year: 2026, month: 12, day: 31)!

  /// A CSV export with one line per event, each made by `line` from the event's number.
  static func export(_ events: Int, line: (Int) -> String) -> [UInt8] {
    var text = "timestamp,user,control,app,role,location,device,action,risk,outcome,path\n"
    for number in 0..<events {
      text += line(number) + "\n"
    }
    return Array(text.utf8)
  }

  static func aggregate(_ bytes: [UInt8]) throws -> ControlTelemetry {
    var aggregator = EventAggregator(
      pseudonymiser: BypassClassificationTests.pseudonymiser, quarter: quarter,
      assessmentDate: assessmentDate)
    let collector = DiagnosticCollector()
    try aggregator.addEvents(
      fromBytes: bytes, displayPath: "events.csv", format: .csv, diagnostics: collector)
    #expect(collector.diagnostics.isEmpty)
    let result = aggregator.result()
    #expect(result.controls.count == 1)
    return try #require(result.controls.first)
  }

  /// The day of October 2026 numbered `day` from 0, as a timestamp at noon.
  static func timestamp(_ day: Int) -> String {
    "2026-10-\(day + 1 < 10 ? "0" : "")\(day + 1)T12:00:00Z"
  }

  @Test("an app per event: every app and app-and-action pair is its own slice")
  func distinctApps() throws {
    // Seven people over five days: 35 person-and-day pairs, as 7 and 5 have no common factor.
    let control = try Self.aggregate(
      Self.export(6_000) { number in
        "\(Self.timestamp(number % 5)),user\(number % 7),IAM-01,App\(number),engineer,"
          + "Home,laptop,\(number % 2 == 0 ? "read" : "write"),low,"
          + "\(number % 3 == 0 ? "bypassed" : "passed"),"
      })

    #expect(control.total.challenges == 6_000)
    #expect(control.total.bypasses == 2_000)
    #expect(control.total.distinctUsers == 7)
    #expect(control.total.distinctBypassers == 7)
    #expect(control.total.userDays == 35)
    #expect(control.byApp.count == 6_000)
    #expect(control.byAppAndAction.count == 6_000)
    #expect(control.byAction.map(\.value) == ["read", "write"])
    #expect(control.byAction.map(\.counts.distinctUsers) == [7, 7])
    #expect(control.daily.map(\.counts.userDays) == [0, 0, 0, 0, 0])
    #expect(control.daily.map(\.counts.distinctUsers) == [7, 7, 7, 7, 7])

    let first = try #require(control.byAppAndAction.first)
    #expect(first.app == "App0")
    #expect(first.action == "read")
    #expect(
      first.counts
        == OutcomeCounts(
          challenges: 1, bypasses: 1, distinctUsers: 1, userDays: 1, distinctBypassers: 1,
          bypassDays: .days("2026-10-01")))
  }

  @Test("a person per event: every slice has as many people as events")
  func distinctUsers() throws {
    let control = try Self.aggregate(
      Self.export(12_000) { number in
        "\(Self.timestamp(number % 30)),person\(number),IAM-01,vault,engineer,Home,laptop,"
          + "read,\(number % 2 == 0 ? "low" : "high"),passed,"
      })

    #expect(control.total.challenges == 12_000)
    #expect(control.total.distinctUsers == 12_000)
    #expect(control.total.userDays == 12_000)
    #expect(control.daily.count == 30)
    #expect(Set(control.daily.map(\.counts.distinctUsers)) == [400])
    #expect(control.byRisk.map(\.value) == ["high", "low"])
    #expect(control.byRisk.map(\.counts.distinctUsers) == [6_000, 6_000])
    #expect(control.byRisk.map(\.counts.userDays) == [6_000, 6_000])
    #expect(control.byAppAndAction.map(\.counts.userDays) == [12_000])
  }
}
