import Foundation
import Testing

@testable import ControlGapKit

@Suite("Report charts")
struct ChartTests {
  static let hostile = "<script>alert(1)</script> \"quoted\" & \u{202E}more"

  /// Parses the SVG with the project's XML reader, failing the test on any problem.
  private func parse(_ svg: String?) throws -> XMLElementNode {
    let text = try #require(svg)
    let collector = DiagnosticCollector()
    let root = XMLReader(displayPath: "chart.svg").read(Data(text.utf8), diagnostics: collector)
    #expect(collector.diagnostics.map(\.description) == [])
    let svg = try #require(root)
    #expect(svg.name == "svg")
    #expect(svg[attribute: "role"] == "img")
    #expect(
      svg[attribute: "aria-labelledby"]
        == "\(svg[attribute: "id"]!)-title \(svg[attribute: "id"]!)-desc")
    return svg
  }

  private func descendants(_ node: XMLElementNode, named name: String) -> [XMLElementNode] {
    node.children.flatMap { ($0.name == name ? [$0] : []) + descendants($0, named: name) }
  }

  private func texts(_ node: XMLElementNode) -> [String] {
    node.children(named: "text").map(\.text)
  }

  @Test("coverage: one segment per status present, counts written under each bar")
  func coverage() throws {
    let chart = CoverageChart(rows: [
      .init(name: "NIST CSF 2.0", counts: [1, 2, 0, 6, 1]),
      .init(name: Self.hostile, counts: [0, 0, 0, 3, 0]),
    ])
    let svg = try parse(chart.svg())
    // Four segments, one segment, and five legend swatches.
    #expect(svg.children(named: "rect").count == 4 + 1 + 5)
    #expect(
      svg.children(named: "rect").compactMap { $0.child(named: "title")?.text } == [
        "NIST CSF 2.0, Ineffective: 1 of 10", "NIST CSF 2.0, Gap: 2 of 10",
        "NIST CSF 2.0, Covered: 6 of 10", "NIST CSF 2.0, Not applicable: 1 of 10",
        "<script>alert(1)</script> \"quoted\" & more, Covered: 3 of 3",
      ])
    #expect(
      texts(svg).prefix(6) == [
        "NIST CSF 2.0", "10 requirements",
        "Ineffective 1  ·  Gap 2  ·  Partial 0  ·  Covered 6  ·  Not applicable 1",
        "<script>alert(1)</script> \"quoted\" & more", "3 requirements",
        "Ineffective 0  ·  Gap 0  ·  Partial 0  ·  Covered 3  ·  Not applicable 0",
      ])
    #expect(
      svg.child(named: "desc")?.text
        == "NIST CSF 2.0: 10 requirements; ineffective 1, gap 2, partial 0, covered 6, "
        + "not applicable 1. <script>alert(1)</script> \"quoted\" & more: 3 requirements; "
        + "ineffective 0, gap 0, partial 0, covered 3, not applicable 0.")
    #expect(CoverageChart(rows: [.init(name: "x", counts: [0, 0, 0, 0, 0])]).svg() == nil)
  }

  @Test("heat map: one cell per app and action, busiest first, count in each cell")
  func heatMap() throws {
    let chart = BypassHeatMap(cells: [
      .init(app: "crm", action: "export", bypasses: 7),
      .init(app: Self.hostile, action: "view", bypasses: 3),
      .init(app: "crm", action: "view", bypasses: 1),
      .init(app: "quiet", action: "view", bypasses: 0),
    ])
    let svg = try parse(chart.svg())
    #expect(
      svg.children(named: "rect").compactMap { $0.child(named: "title")?.text } == [
        "crm, export: 7 bypasses", "crm, view: 1 bypasses",
        "<script>alert(1)</script> \"quoted\" & more, export: 0 bypasses",
        "<script>alert(1)</script> \"quoted\" & more, view: 3 bypasses",
      ])
    #expect(
      texts(svg) == [
        "App ↓ / action →", "export", "view", "crm", "7", "1",
        "<script>alert(1)</script> \"quoted\" & more", "0", "3",
      ])
    #expect(
      svg.child(named: "desc")?.text
        == "Bypasses by app and action: crm: export 7, view 1. "
        + "<script>alert(1)</script> \"quoted\" & more: export 0, view 3.")
    #expect(BypassHeatMap(cells: [.init(app: "a", action: "b", bypasses: 0)]).svg() == nil)
  }

  @Test("trend: 7-day buckets from the window's first day, the short last week marked")
  func trend() throws {
    func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    func counts(_ bypasses: Int) -> OutcomeCounts {
      var counts = OutcomeCounts()
      counts.bypasses = bypasses
      return counts
    }
    let weeks = BypassTrendChart.weeks(
      firstDay: day("2026-10-01"), lastDay: day("2026-10-15"),
      daily: [
        [
          DayCounts(date: day("2026-10-01"), counts: counts(2)),
          DayCounts(date: day("2026-10-08"), counts: counts(5)),
        ],
        [
          DayCounts(date: day("2026-10-07"), counts: counts(1)),
          DayCounts(date: day("2026-10-15"), counts: counts(4)),
        ],
      ])
    #expect(
      weeks == [
        .init(start: day("2026-10-01"), days: 7, bypasses: 3),
        .init(start: day("2026-10-08"), days: 7, bypasses: 5),
        .init(start: day("2026-10-15"), days: 1, bypasses: 4),
      ])
    let svg = try parse(BypassTrendChart(weeks: weeks).svg())
    #expect(svg.children(named: "rect").count == 3)
    #expect(
      texts(svg) == [
        "0", "5", "10", "Bypasses", "3", "1 Oct", "5", "8 Oct", "4", "15 Oct*",
        "Week starting (UTC), * last week 1 day",
      ])
    #expect(
      svg.child(named: "desc")?.text
        == "Bypasses per 7-day week, summed over every control: week from 2026-10-01 3, "
        + "week from 2026-10-08 5, week from 2026-10-15 (1 day) 4.")
  }

  @Test("timeline: one bar per exception, open-ended without expiry, marker at the date")
  func timeline() throws {
    func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    let chart = ExceptionTimeline(
      entries: [
        .init(id: "EX-1", controlID: "C-1", granted: day("2026-09-01"), expires: day("2026-11-30")),
        .init(id: Self.hostile, controlID: "C-2", granted: day("2026-10-15"), expires: nil),
      ], asOf: day("2026-12-31"))
    let svg = try parse(chart.svg())
    #expect(
      svg.children(named: "rect").compactMap { $0.child(named: "title")?.text } == [
        "EX-1 (C-1) granted 2026-09-01, expires 2026-11-30",
        "<script>alert(1)</script> \"quoted\" & more (C-2) granted 2026-10-15, no expiry",
      ])
    #expect(
      texts(svg).suffix(5) == [
        "EX-1 · C-1", "expired 2026-11-30",
        "<script>alert(1)</script> \"quoted\" & more · C-2", "no expiry →",
        "Assessed 2026-12-31",
      ])
    #expect(
      svg.child(named: "desc")?.text
        == "Assessment date 2026-12-31. EX-1 (C-1) granted 2026-09-01, expires 2026-11-30; "
        + "<script>alert(1)</script> \"quoted\" & more (C-2) granted 2026-10-15, no expiry.")
    #expect(ExceptionTimeline(entries: [], asOf: day("2026-12-31")).svg() == nil)
  }

  @Test("heat map: totals past what an Int holds saturate instead of trapping")
  func heatMapSaturates() throws {
    let half = Int.max / 2 + 1
    let chart = BypassHeatMap(cells: [
      .init(app: "a", action: "x", bypasses: half), .init(app: "a", action: "y", bypasses: half),
      .init(app: "a", action: "x", bypasses: half),
    ])
    let svg = try parse(chart.svg())
    #expect(svg.child(named: "desc")?.text.contains("\(Int.max)") == true)
  }

  @Test("timeline: an expiry of 9999-12-31 draws one gridline every few Januaries, no more")
  func farExpiry() throws {
    func day(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }
    let chart = ExceptionTimeline(
      entries: [
        .init(id: "EX-1", controlID: "C-1", granted: day("2026-09-01"), expires: day("9999-12-31"))
      ], asOf: day("9999-12-31"))
    let svg = try parse(chart.svg())
    let labels = texts(svg).filter { $0.hasPrefix("Jan ") }
    // 2026-08-25 to 10000-01-21 spans 95,681 months: a line every 399 years from January 2026,
    // which falls before the first day and is not drawn.
    #expect(labels.count == 19)
    #expect(labels.first == "Jan 2425")
    #expect(labels.last == "Jan 9607")
    #expect(texts(svg).suffix(3) == ["EX-1 · C-1", "expires 9999-12-31", "Assessed 9999-12-31"])
  }

  @Test("hostile text is escaped in the raw SVG, and the same input gives the same bytes")
  func escapingAndDeterminism() throws {
    let make = {
      BypassHeatMap(cells: [
        .init(app: Self.hostile, action: "b", bypasses: 2),
        .init(app: "a", action: Self.hostile, bypasses: 2),
      ]).svg()
    }
    let svg = try #require(make())
    #expect(!svg.contains("<script>"))
    #expect(!svg.contains("\u{202E}"))
    #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; more"))
    #expect(make() == svg)
  }

  @Test(
    "coordinates have one decimal at most, whatever the value",
    arguments: [
      (12.0, "12"), (12.25, "12.3"), (-0.04, "0"), (-3.5, "-3.5"), (Double.nan, "0"),
    ])
  func numbers(_ value: Double, _ text: String) {
    #expect(SVGChart.number(value) == text)
  }
}

/// Coverage per function, drawn from the bundled example's assessment.
@Suite("Coverage per function")
struct FunctionCoverageChartTests {
  @Test("one bar per function of NIST CSF 2.0, counts in catalog order")
  func functions() throws {
    let outcome = try ExampleAssessmentTests.outcome()
    let csf = try #require(outcome.assessment.frameworks.first { $0.key == "nist-csf-2.0" })
    let chart = CoverageChart(functionsOf: csf)
    #expect(
      chart.rows.map(\.name) == [
        "GOVERN (GV)", "IDENTIFY (ID)", "PROTECT (PR)", "DETECT (DE)", "RESPOND (RS)",
        "RECOVER (RC)",
      ])
    #expect(chart.rows.map { $0.counts.reduce(0, +) } == [31, 21, 22, 11, 13, 8])
    #expect(chart.rows.map { $0.counts[0] } == [0, 0, 3, 1, 0, 0])
    let nhi = try #require(outcome.assessment.frameworks.first { $0.key == "owasp-nhi-2025" })
    #expect(CoverageChart(functionsOf: nhi).rows.count == 1)
  }
}
