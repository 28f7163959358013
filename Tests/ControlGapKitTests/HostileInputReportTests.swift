import Foundation
import Testing

@testable import ControlGapKit

/// Hostile text in every free-text field of a workspace comes out escaped, the report tables
/// keep their shape, and the data files give the text back as written.
@Suite("Hostile input in reports")
struct HostileInputReportTests {
  static let long = String(repeating: "x", count: 9_990) + "<b>|`</b>"
  static let values = [
    "<script>alert(1)</script>", "a|b|c", "`code` **bold** _em_", "# heading", "[link](http://x)",
    "\u{202E}evil\u{202C} עברית", "&amp; &lt;", long, "=cmd|' /C calc'!A0,\"x\"",
  ]

  /// The value as an evidence path: cut to fit the schema's limit on paths, and never absolute.
  private static func path(_ value: String) -> String {
    let cut = String(value.prefix(200))
    return cut.hasPrefix("/") ? "." + cut : cut
  }

  /// A CSV field holding the value exactly.
  private static func csv(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// XML-escapes a value for an attribute or text node of a fixture.
  private static func xml(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: "\"", with: "&quot;")
  }

  private func workspace(_ value: String) throws -> TemporaryWorkspace {
    let v = Self.xml(value)
    let control = """
      <control id="C-1"><title>\(v)</title><owner>\(v)</owner><status>implemented</status>\
      <enforcement-point>\(v)</enforcement-point><satisfies>\
      <requirement framework="nist-csf-2.0" ref="PR.AA-03"/></satisfies>\
      <evidence path="\(Self.xml(Self.path(value)))" effective="2026-11-01">\(v)</evidence></control>
      """
    let finding = """
      <finding id="F-1" control="C-1"><summary>\(v)</summary><first-seen>2026-10-01</first-seen>\
      <last-seen>2026-12-01</last-seen><app>\(v)</app><role>\(v)</role><location>\(v)</location>\
      <device>\(v)</device><action-type>\(v)</action-type><count>90</count>\
      <challenges>100</challenges><distinct-users>5</distinct-users><driver>risk</driver>\
      <bypass-path>\(v)</bypass-path><exception approver="\(v)" expires="2026-12-01"/></finding>
      """
    let settings = TemporaryWorkspace.settings(
      extra: "<telemetry><pseudonym-secret path=\"secret.key\"/></telemetry>"
    ).replacingOccurrences(
      of: "<organisation>Test Org</organisation>", with: "<organisation>\(v)</organisation>")
    // The same value in every text field of the access events and of the exceptions register.
    let c = Self.csv(value)
    var events = ["timestamp,user,control,app,role,location,device,action,risk,outcome,path"]
    for (minute, outcome) in (["passed", "passed"] + Array(repeating: "bypassed", count: 10))
      .enumerated()
    {
      events.append(
        "2026-11-02T09:\(minute < 10 ? "0" : "")\(minute):00Z,\(c),C-1,\(c),\(c),\(c),\(c),\(c),"
          + "low,\(outcome),\(outcome == "bypassed" ? c : "")")
    }
    let register = """
      id,control,app,role,action,approver,granted,expires,reason
      EX-1,C-1,\(c),\(c),\(c),\(c),2026-10-01,2026-11-01,\(c)

      """
    return try TemporaryWorkspace([
      "workspace.xml": settings,
      "controls/controls.xml": TemporaryWorkspace.controls(control),
      "findings/findings.xml": TemporaryWorkspace.findings(finding),
      "secret.key": "0123456789abcdef0123456789abcdef\n",
      "events/hostile.csv": events.joined(separator: "\n") + "\n",
      "exceptions/register.csv": register,
    ])
  }

  /// Pipes that separate cells: those not escaped with a backslash.
  private func cellSeparators(_ row: String) -> Int {
    var count = 0
    var escaped = false
    for character in row {
      if character == "|" && !escaped { count += 1 }
      escaped = character == "\\" && !escaped
    }
    return count
  }

  @Test("is escaped in Markdown and HTML", arguments: values.indices)
  func escaped(_ index: Int) throws {
    let value = Self.values[index]
    let workspace = try workspace(value)
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--output", output.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")

    let html = try String(
      contentsOf: output.appendingPathComponent("2026-Q4/gap-report.html"), encoding: .utf8)
    #expect(!html.contains("<script>"))
    #expect(!html.contains("<b>"))
    #expect(!html.contains("\u{202E}"))
    if value.contains("<script>") {
      #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    let markdown = try String(
      contentsOf: output.appendingPathComponent("2026-Q4/gap-report.md"), encoding: .utf8)
    #expect(!markdown.contains("<script>"))
    #expect(!markdown.contains("\u{202E}"))
    // Every row of every table has as many cells as its header.
    var expected: Int?
    for line in markdown.components(separatedBy: "\n") {
      guard line.hasPrefix("|") else {
        expected = nil
        continue
      }
      let cells = cellSeparators(line)
      if let expected {
        #expect(cells == expected, "row breaks its table: \(line.prefix(120))")
      } else {
        expected = cells
      }
    }
  }

  @Test("comes back as written from results.json and traceability.csv", arguments: values.indices)
  func data(_ index: Int) throws {
    let value = Self.values[index]
    let workspace = try workspace(value)
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--output", output.path, "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")

    let json = try Data(contentsOf: output.appendingPathComponent("2026-Q4/results.json"))
    let results = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    #expect(results["organisation"] as? String == value)
    let findings = try #require(results["findings"] as? [[String: Any]])
    // The hand-written finding and the one measured from the events both carry the path.
    #expect(findings.map { $0["id"] as? String } == ["F-1", "TEL-C-1-1"])
    #expect(findings.map { $0["bypassPath"] as? String } == [value, value])
    #expect(findings.map { $0["app"] as? String } == [value, value])

    let csv = try Data(contentsOf: output.appendingPathComponent("2026-Q4/traceability.csv"))
    let reader = CSVRecordReader(bytes: Array(csv))
    var evidence: Set<String> = []
    while let record = try reader.nextRecord() {
      #expect(record.problem == nil)
      #expect(record.count == 12)
      if record.string(at: 3) == "C-1" { evidence.insert(record.string(at: 5)) }
    }
    #expect(evidence == [TraceabilityTable.spreadsheetSafe(Self.path(value))])
  }
}
