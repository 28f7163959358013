import Foundation
import Testing

/// `controlgap aggregate` and `controlgap sql`, and reports made from pre-aggregated files, run
/// as a user would run them.
@Suite("The telemetry commands end to end")
struct TelemetryCommandTests {
  static let header =
    "control,dimension,value,action,challenges,passes,failures,abandons,bypasses,exception_uses,"
    + "risk_driven_bypasses,distinct_users,distinct_bypassers,user_days,first_bypass_day,"
    + "last_bypass_day,path"

  @Test("aggregate writes the example's counts and no user identifier")
  func aggregate() throws {
    let result = try CommandLineRunner.run(["aggregate", "--quiet"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == Self.header)
    #expect(lines.count == 591)
    #expect(lines.contains("IAM-04,total,,,294,273,2,1,18,0,18,18,10,133,2026-10-01,2026-12-30,"))
    #expect(
      lines.contains(
        "IAM-04,risk_reason,machine-identity,,18,0,0,0,18,0,18,10,10,,2026-10-01,2026-12-30,"))
    // The days of IAM-01's bypasses of download-statement, 7 October to 23 December, are
    // narrower than those of the control, 1 October to 31 December; the raw event files say so.
    #expect(
      lines.contains(
        "IAM-01,app_action,Finance portal,download-statement,328,269,6,11,11,31,0,70,9,157,"
          + "2026-10-07,2026-12-23,"))
    // All 220 bypasses of view-report took one path, though IAM-01's took three.
    #expect(
      lines.contains(
        "IAM-01,app_action_path,Finance portal,view-report,220,0,0,0,220,0,2,59,59,,"
          + "2026-10-01,2026-12-31,long-lived browser session"))
    #expect(!result.stdout.contains("@"))
  }

  @Test("the reports hold no user identifier")
  func reportsArePseudonymous() throws {
    for name in ReportCommandTests.outputs {
      let report = try String(
        contentsOf: SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4/\(name)"),
        encoding: .utf8)
      #expect(!report.contains("@harbourline.example"), "\(name)")
    }
  }

  @Test("sql writes the workspace's period and classification lists into the query")
  func sql() throws {
    let result = try CommandLineRunner.run(["sql"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("FROM access_events"))
    #expect(
      result.stdout.contains(
        "WHERE CAST(event_time AS DATE) BETWEEN DATE '2026-10-01' AND DATE '2026-12-31'"))
    #expect(result.stdout.contains("'unmanaged laptop'"))
    #expect(result.stdout.contains("'rotterdam, nl'"))
    #expect(result.stdout.contains("CAST(day AS VARCHAR)"))
    let spark = try CommandLineRunner.run(["sql", "--dialect", "spark", "--as-of", "2026-11-30"])
    #expect(spark.stdout.contains("CAST(day AS STRING)"))
    #expect(spark.stdout.contains("AND DATE '2026-11-30'"))
  }

  @Test("an unknown dialect is a usage error")
  func dialect() throws {
    let result = try CommandLineRunner.run(["sql", "--dialect", "oracle"])
    #expect(
      result.stderrLines == [
        "controlgap: error: --dialect 'oracle' is not one of bigquery, duckdb, spark, trino "
          + "(see 'controlgap --help')"
      ])
    #expect(result.status == 64)
  }

  @Test("aggregate on a workspace without events exits 66")
  func noEvents() throws {
    let workspace = try TemporaryWorkspace()
    let result = try CommandLineRunner.run(["aggregate", workspace.root.path])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "WS: error: the workspace has no access events in events/ and no aggregates in aggregates/"
      ])
    #expect(result.status == 66)
  }

  @Test("aggregate never replaces a link, a FIFO or a device with its output")
  func outputOverLink() throws {
    let workspace = try TemporaryWorkspace(["target.csv": "keep\n"])
    let link = workspace.root.appendingPathComponent("link.csv")
    try FileManager.default.createSymbolicLink(
      at: link, withDestinationURL: workspace.root.appendingPathComponent("target.csv"))
    let result = try CommandLineRunner.run(["aggregate", "--quiet", "--output", link.path])
    #expect(
      result.stderrLines == [
        "controlgap: error: cannot write \(link.path): it exists and is not a regular file"
      ])
    #expect(result.status == 73)
    #expect(
      try FileManager.default.destinationOfSymbolicLink(atPath: link.path)
        == workspace.root.appendingPathComponent("target.csv").path)
    #expect(
      try String(contentsOf: workspace.root.appendingPathComponent("target.csv"), encoding: .utf8)
        == "keep\n")
  }

  /// The example's settings and controls, with its events replaced by their aggregate.
  private func aggregatedExample() throws -> TemporaryWorkspace {
    let example = SharedData.packageRoot.appendingPathComponent("Examples/harbourline")
    // Writing no file leaves the folder to be made by the copy.
    let workspace = try TemporaryWorkspace([:], defaults: false)
    try FileManager.default.copyItem(at: example, to: workspace.root)
    let aggregate = try CommandLineRunner.run(["aggregate", "--quiet"])
    try FileManager.default.removeItem(at: workspace.root.appendingPathComponent("events"))
    try workspace.write("aggregates/warehouse-export.csv", aggregate.stdout)
    return workspace
  }

  @Test("a report from the aggregate file says what the events said")
  func fromAggregate() throws {
    let workspace = try aggregatedExample()
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--quiet", "--output", output.path,
    ])
    #expect(result.status == 0)
    let markdown = try String(
      contentsOf: output.appendingPathComponent("2026-Q4/gap-report.md"), encoding: .utf8)
    let golden = try String(
      contentsOf: SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4/gap-report.md"),
      encoding: .utf8)
    func section(_ text: String, _ start: String, _ end: String) -> String {
      let tail = text.components(separatedBy: start).dropFirst().first ?? ""
      return tail.components(separatedBy: end).first ?? ""
    }
    // Statuses and hotspots are the same; exception coverage, and the recommendation that
    // follows from it, need the raw events.
    #expect(
      section(markdown, "## Summary", "Bypasses measured")
        == section(golden, "## Summary", "Bypasses measured"))
    #expect(
      section(markdown, "## Requirements ineffective", "## Bypass telemetry")
        == section(golden, "## Requirements ineffective", "## Bypass telemetry"))
    #expect(
      section(markdown, "### Hotspots", "### Recommendations")
        == section(golden, "### Hotspots", "### Recommendations"))
    #expect(!markdown.contains("Record every exception in the register"))
    #expect(golden.contains("Record every exception in the register"))
    #expect(
      markdown.contains(
        "Exception coverage is not measured: it needs raw access events, and this telemetry comes from aggregates."
      ))
  }

  /// The first and last day and the path of each measured finding in the results.json of a
  /// report of `workspace`.
  private func measuredFindingDays(_ workspace: TemporaryWorkspace) throws -> [String] {
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--quiet", "--output", output.path,
    ])
    #expect(result.status == 0)
    let data = try Data(contentsOf: output.appendingPathComponent("2026-Q4/results.json"))
    let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let findings = try #require(document["findings"] as? [[String: Any]])
    return findings.filter { $0["origin"] as? String == "telemetry" }.map {
      "\($0["id"] ?? "") \($0["firstSeen"] ?? "") \($0["lastSeen"] ?? "") "
        + "\($0["bypassPath"] as? String ?? "nil")"
    }
  }

  @Test("measured findings from an aggregate file keep the days and path of their own bypasses")
  func findingDaysFromAggregate() throws {
    #expect(
      try measuredFindingDays(aggregatedExample()) == [
        "TEL-IAM-01-1 2026-10-01 2026-12-31 long-lived browser session",
        "TEL-IAM-01-2 2026-10-07 2026-12-23 mobile app session",
        "TEL-IAM-04-1 2026-10-01 2026-12-30 service account svc-ai-reporting",
        "TEL-IAM-06-1 2026-10-01 2026-12-30 shared kiosk session",
      ])
  }

  @Test("an aggregate file without the path column names a path only where the control has one")
  func findingPathsFromOlderAggregate() throws {
    let workspace = try aggregatedExample()
    let file = workspace.root.appendingPathComponent("aggregates/warehouse-export.csv")
    let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
    // The file as written before it had paths: no rows of paths, and no path, the last field,
    // which holds no comma in the example.
    let older = lines.filter { !$0.contains(",app_action_path,") }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropLast()
        .joined(separator: ",")
    }
    try workspace.write("aggregates/warehouse-export.csv", older.joined(separator: "\n") + "\n")
    // IAM-01's bypasses took three paths, so neither of its findings names one.
    #expect(
      try measuredFindingDays(workspace) == [
        "TEL-IAM-01-1 2026-10-01 2026-12-31 nil", "TEL-IAM-01-2 2026-10-07 2026-12-23 nil",
        "TEL-IAM-04-1 2026-10-01 2026-12-30 service account svc-ai-reporting",
        "TEL-IAM-06-1 2026-10-01 2026-12-30 shared kiosk session",
      ])
  }

  @Test("an aggregate file without bypass-day columns dates findings by their control's days")
  func findingDaysFromOlderAggregate() throws {
    let workspace = try aggregatedExample()
    let file = workspace.root.appendingPathComponent("aggregates/warehouse-export.csv")
    let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
    // The file as written before it had bypass days and paths: no rows of paths, and the days
    // and path, the last three fields, never hold a comma, so they are the last three pieces
    // of each line.
    let older = lines.filter { !$0.contains(",app_action_path,") }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(3)
        .joined(separator: ",")
    }
    try workspace.write("aggregates/warehouse-export.csv", older.joined(separator: "\n") + "\n")
    #expect(
      try measuredFindingDays(workspace) == [
        "TEL-IAM-01-1 2026-10-01 2026-12-31 nil", "TEL-IAM-01-2 2026-10-01 2026-12-31 nil",
        "TEL-IAM-04-1 2026-10-01 2026-12-30 service account svc-ai-reporting",
        "TEL-IAM-06-1 2026-10-01 2026-12-30 shared kiosk session",
      ])
  }

  @Test("a control counted from both events and an aggregate is refused")
  func countedTwice() throws {
    let workspace = try aggregatedExample()
    try workspace.write(
      "events/extra.csv",
      "timestamp,user,control,app,action,outcome\n"
        + "2026-10-05T09:00:00Z,ana@example.test,IAM-04,Reporting warehouse,export-data,passed\n")
    let result = try CommandLineRunner.run(["validate", workspace.root.path])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "WS/controls/identity.xml:35:7: warning: 'PR.AC-4' is withdrawn from NIST CSF 2.0; counted toward PR.AA-05",
        "WS/aggregates/warehouse-export.csv: error: control 'IAM-04' is already counted from events; a control's events may come from one place only",
      ])
    #expect(result.status == 65)
  }
}

/// Pages that quote the tool's output, kept in step with it.
@Suite("Documentation quoting the telemetry commands")
struct TelemetryDocumentationTests {
  @Test("TELEMETRY.md shows the query that `controlgap sql` prints for the example")
  func exampleQuery() throws {
    let page = try String(
      contentsOf: SharedData.packageRoot.appendingPathComponent("TELEMETRY.md"), encoding: .utf8)
    let block = page.components(separatedBy: "```sql\n").dropFirst().first?
      .components(separatedBy: "```").first
    let result = try CommandLineRunner.run(["sql"])
    #expect(result.status == 0)
    #expect(block == result.stdout)
  }
}
