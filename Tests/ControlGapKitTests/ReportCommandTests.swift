import Foundation
import Testing

/// `controlgap report`, `validate` and `catalogs` run as a user would run them.
@Suite("The report command end to end")
struct ReportCommandTests {
  /// Every file `report` writes, in the order it names them.
  static let outputs = [
    "gap-report.md", "gap-report.html", "results.json", "traceability.csv",
    "assessment-results.xml",
  ]

  private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-out-\(UUID().uuidString)")
  }

  private func read(_ url: URL) throws -> String {
    try String(contentsOf: url, encoding: .utf8)
  }

  /// Rows of the Markdown table that follows a heading, header and rule excluded.
  private func tableRows(after heading: String, in markdown: String) -> [String] {
    let lines = markdown.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: heading) else { return [] }
    return Array(
      lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2))
  }

  /// Lines under a framework's `###` heading, up to the next `##` or `###` heading.
  private func frameworkLines(under heading: String, in markdown: String) -> [String] {
    let lines = markdown.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: heading) else { return [] }
    return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("## ") && !$0.hasPrefix("### ") })
  }

  /// Rows of every table under a framework's heading, each table's header and rule excluded.
  private func groupedRows(under heading: String, in markdown: String) -> [String] {
    frameworkLines(under: heading, in: markdown)
      .filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Requirement |") }
  }

  /// The function (`####`) and category (`#####`) headings under a framework's heading.
  private func groupHeadings(under heading: String, in markdown: String) -> [String] {
    frameworkLines(under: heading, in: markdown).filter { $0.hasPrefix("####") }
  }

  @Test("with no arguments it reports on the bundled example")
  func example() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let result = try CommandLineRunner.run(["report", "--output", output.path])
    #expect(result.status == 0)
    #expect(
      result.stdout
        == Self.outputs.map { "wrote \(output.path)/2026-Q4/\($0)\n" }.joined())
    #expect(
      result.stderrLines == [
        "Examples/harbourline/controls/identity.xml:35:7: warning: 'PR.AC-4' is withdrawn from NIST CSF 2.0; counted toward PR.AA-05"
      ])

    let markdown = try read(output.appendingPathComponent("2026-Q4/gap-report.md"))
    let allSections = markdown.components(separatedBy: "## All requirements")[1]
    #expect(groupedRows(under: "### NIST CSF 2.0", in: allSections).count == 106)
    #expect(groupedRows(under: "### OWASP NHI Top 10 2025", in: allSections).count == 10)
    #expect(groupedRows(under: "### NIST AI RMF 1.0", in: allSections).count == 72)
    let csfGroups = groupHeadings(under: "### NIST CSF 2.0", in: allSections)
    #expect(csfGroups.filter { $0.hasPrefix("#### ") }.count == 6)
    #expect(csfGroups.filter { $0.hasPrefix("##### ") }.count == 22)
    #expect(
      Array(csfGroups.prefix(2)) == ["#### GOVERN (GV)", "##### GV.OC Organizational Context"])
    let aiGroups = groupHeadings(under: "### NIST AI RMF 1.0", in: allSections)
    #expect(aiGroups.filter { $0.hasPrefix("#### ") }.count == 4)
    #expect(aiGroups.filter { $0.hasPrefix("##### ") }.count == 19)
    // The NHI Top 10 has no categories: its requirements sit directly under the one function.
    #expect(
      groupHeadings(under: "### OWASP NHI Top 10 2025", in: allSections) == [
        "#### OWASP Non-Human Identities Top 10 (2025)"
      ])
    let accessControl = frameworkLines(under: "### NIST CSF 2.0", in: allSections)
      .drop { $0 != "##### PR.AA Identity Management, Authentication, and Access Control" }
    #expect(
      Array(accessControl.prefix(6)) == [
        "##### PR.AA Identity Management, Authentication, and Access Control", "",
        "Ineffective 3 · Gap 1 · Partial 1 · Not applicable 1", "",
        "| Requirement | Description | Status | Controls → evidence → findings → exceptions | "
          + "Reasons |", "|---|---|---|---|---|",
      ])
    // The reason chain runs from each control through its evidence to findings and exceptions.
    #expect(
      accessControl.first { $0.hasPrefix("| PR.AA-05 |") }?.contains(
        "| IAM-02 (implemented) → evidence evidence/privileged-access-review-2026-11.csv, "
          + "2026-11-28, current → findings BYP-105 → exceptions EX-210; IAM-03 (implemented) → "
          + "evidence evidence/access-recertification-2026-q1.txt, 2026-03-20, stale; IAM-04 "
          + "(implemented) → evidence evidence/service-account-policy.md, 2026-09-30, current → "
          + "findings TEL-IAM-04-1 |") == true)
    #expect(
      tableRows(after: "## Summary", in: markdown) == [
        "| NIST CSF 2.0 | 106 | 4 (3.8%) | 65 (61.9%) | 8 (7.6%) | 28 (26.7%) | 1 |",
        "| OWASP NHI Top 10 2025 | 10 | 2 (22.2%) | 2 (22.2%) | 1 (11.1%) | 4 (44.4%) | 1 |",
        "| NIST AI RMF 1.0 | 72 | 2 (2.8%) | 61 (85.9%) | 4 (5.6%) | 4 (5.6%) | 1 |",
      ])
    #expect(
      tableRows(after: "### Hotspots", in: markdown) == [
        "| Finance portal | view-report | 220 | 1262 | 17.4% | 2 | IAM-01 |",
        "| Depot scheduling | view-schedule | 84 | 848 | 9.9% | 0 | IAM-06 |",
        "| Reporting warehouse | export-data | 18 | 155 | 11.6% | 18 | IAM-04 |",
        "| Finance portal | download-statement | 11 | 328 | 3.4% | 0 | IAM-01 |",
        "| Finance portal | approve-payment | 2 | 169 | 1.2% | 2 | IAM-01 |",
        "| Admin console | restart-service | 1 | 38 | 2.6% | 1 | IAM-02 |",
      ])
    // The weekly trend in words on the first screen: its weeks add up to every bypass.
    #expect(
      markdown.contains(
        "Bypasses measured: 336, of which 23 risk-driven; per week from the period's start: 23, "
          + "20, 27, 27, 29, 26, 27, 19, 39, 32, 22, 15, 28, 2\\*"))
    let applicability = markdown.components(separatedBy: "## Statement of Applicability")[1]
    let csf = tableRows(after: "### NIST CSF 2.0", in: applicability)
    #expect(csf.count == 106)
    #expect(
      csf.filter { $0.hasPrefix("| PR.AA-0") } == [
        "| PR.AA-01 | Yes | Applies; addressed by IAM-03, IAM-04. |",
        "| PR.AA-02 | Yes | Applies; addressed by IAM-05. |",
        "| PR.AA-03 | Yes | Applies; addressed by IAM-01, IAM-02. |",
        "| PR.AA-04 | Yes | Applies; no control meets it yet. |",
        "| PR.AA-05 | Yes | Applies; addressed by IAM-02, IAM-03, IAM-04. |",
        "| PR.AA-06 | No | Physical access to the depots is run by the landlord under the lease; "
          + "assessed in the facilities audit |",
      ])
    #expect(
      tableRows(after: "### Largest risks", in: markdown) == [
        "| TEL-IAM-04-1 | IAM-04 Service accounts restricted to their workloads | export-data in "
          + "Reporting warehouse via service account svc-ai-reporting | risk | 18 of 155 (11.6%) | "
          + "5 requirements ineffective |",
        "| TEL-IAM-01-1 | IAM-01 Step-up MFA on the finance portal | view-report in Finance portal "
          + "via long-lived browser session | convenience | 220 of 1262 (17.4%) | 2 requirements "
          + "ineffective |",
        "| TEL-IAM-06-1 | IAM-06 Conditional access for depot kiosks | view-schedule in Depot "
          + "scheduling via shared kiosk session | convenience | 84 of 848 (9.9%) | 1 requirement "
          + "ineffective |",
      ])
    #expect(
      tableRows(after: "### Convenience or risk", in: markdown) == [
        "| Risk-driven | 23 | 6.8% |", "| Convenience | 313 | 93.2% |",
      ])
  }

  @Test("the HTML report is one self-contained file")
  func selfContained() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    _ = try CommandLineRunner.run(["report", "--output", output.path, "--quiet"])
    let html = try read(output.appendingPathComponent("2026-Q4/gap-report.html"))
    for external in ["<script", "<link", "src=", "href=\"http", "@import", "url("] {
      #expect(!html.contains(external), "found \(external)")
    }
    #expect(html.hasPrefix("<!DOCTYPE html>\n"))
    #expect(html.hasSuffix("</html>\n"))
    // One status badge per requirement in the grouped tables, and one per row needing
    // attention; the groups' count lines are plain text.
    #expect(html.components(separatedBy: "<span class=\"status ").count - 1 == 188 + 149)
    // One category heading per CSF and AI RMF category, none for the NHI Top 10.
    #expect(html.components(separatedBy: "<h5>").count - 1 == 22 + 19)
  }

  /// The example's reports are kept in Reports/2026-Q4 as golden files. After an intended
  /// change, `scripts/example` (or `controlgap report`) re-records them; review the diff.
  @Test("the committed example reports are current")
  func goldenReports() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    _ = try CommandLineRunner.run(["report", "--output", output.path, "--quiet"])
    let golden = SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4")
    for name in ReportCommandTests.outputs {
      let fresh = try read(output.appendingPathComponent("2026-Q4/\(name)"))
      let kept = try read(golden.appendingPathComponent(name))
      let firstDifference = zip(fresh.split(separator: "\n"), kept.split(separator: "\n"))
        .enumerated().first { $0.element.0 != $0.element.1 }
      #expect(
        fresh == kept,
        "Reports/2026-Q4/\(name) is out of date at line \((firstDifference?.offset ?? 0) + 1); run scripts/example and review the diff"
      )
    }
  }

  @Test("the binary finds its catalogs and templates when run from any folder")
  func anyFolder() throws {
    let folder = temporaryFolder()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandLineRunner.run(["report", "--quiet"], in: folder, home: false)
    #expect(result.status == 0)
    #expect(
      result.stdout
        == """
        wrote Reports/2026-Q4/gap-report.md
        wrote Reports/2026-Q4/gap-report.html
        wrote Reports/2026-Q4/results.json
        wrote Reports/2026-Q4/traceability.csv
        wrote Reports/2026-Q4/assessment-results.xml

        """)
    #expect(
      FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("Reports/2026-Q4/gap-report.html").path))
  }

  @Test("the same inputs give the same bytes")
  func deterministic() throws {
    let first = temporaryFolder()
    let second = temporaryFolder()
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    _ = try CommandLineRunner.run(["report", "--output", first.path, "--quiet"])
    _ = try CommandLineRunner.run(["report", "--output", second.path, "--quiet"])
    for name in ReportCommandTests.outputs {
      let a = try Data(contentsOf: first.appendingPathComponent("2026-Q4/\(name)"))
      let b = try Data(contentsOf: second.appendingPathComponent("2026-Q4/\(name)"))
      #expect(a == b, "\(name) differs between runs")
      #expect(!a.isEmpty)
    }
  }

  @Test("with --as-of, events after that day are counted out, and the counts add up")
  func asOfCountsEvents() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let validated = try CommandLineRunner.run(["validate", "--as-of", "2026-11-15", "--quiet"])
    let reported = try CommandLineRunner.run([
      "report", "--as-of", "2026-11-15", "--output", output.path, "--quiet",
    ])

    #expect(validated.status == 0)
    #expect(
      validated.stdout
        == "Examples/harbourline: valid; 24 controls, 1 written finding, 1986 events raising 3 "
        + "measured findings; requirements: NIST CSF 2.0 106, OWASP NHI Top 10 2025 10, "
        + "NIST AI RMF 1.0 72\n")
    #expect(reported.status == 0)
    let markdown = try read(output.appendingPathComponent("2026-Q4/gap-report.md"))
    #expect(
      markdown.contains(
        "Access events measured: 1986, dated 2026-10-01 to 2026-11-15 (UTC days). Bad rows left "
          + "out: 0. Events outside those days: 2014."))
    let results = try JSONSerialization.jsonObject(
      with: Data(contentsOf: output.appendingPathComponent("2026-Q4/results.json")))
    let telemetry = (results as? [String: Any])?["telemetry"] as? [String: Any]
    #expect(telemetry?["events"] as? Int == 1986)
    #expect((telemetry?["window"] as? [String: Any])?["outsideWindow"] as? Int == 2014)
    let challenges = (telemetry?["controls"] as? [[String: Any]])?.compactMap {
      $0["challenges"] as? Int
    }
    #expect(challenges?.reduce(0, +) == 1986)
  }

  @Test(
    "--catalog adds SP 800-53 Rev 5 with its 1007 active controls",
    .enabled(if: SharedData.isAvailable, SharedData.absence))
  func sp80053() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let catalog = SharedData.url("\(SharedData.catalogs)/NIST_SP-800-53_rev5_catalog.xml")
    let result = try CommandLineRunner.run([
      "report", "--catalog", "sp800-53=\(catalog.path)", "--output", output.path, "--quiet",
    ])
    #expect(result.status == 0)
    let markdown = try read(output.appendingPathComponent("2026-Q4/gap-report.md"))
    let name =
      "NIST Special Publication 800-53 Revision 5: Security and Privacy Controls for Federal Information Systems and Organizations"
    let summary = tableRows(after: "## Summary", in: markdown)
    #expect(
      summary.last
        == "| \(name) | 1007 | 0 (0.0%) | 1007 (100.0%) | 0 (0.0%) | 0 (0.0%) | 0 |")
    let all = markdown.components(separatedBy: "## All requirements")[1]
    let rows = groupedRows(under: "### \(name)", in: all)
    #expect(rows.count == 1007)
    #expect(rows.first?.hasPrefix("| AC-1 | Policy and Procedures | Gap |") == true)
  }

  @Test(
    "NIST's superseded CSF file loads, and its 91 unmarked CSF 1.1 ids are reported, not counted",
    .enabled(if: SharedData.isAvailable, SharedData.absence))
  func supersededCSF() throws {
    let catalog = SharedData.url(
      "\(SharedData.catalogs)/superseded/NIST_CSF_v2.0_catalog.src-3b3cdee.xml")
    let result = try CommandLineRunner.run(["validate", "--catalog", "old-csf=\(catalog.path)"])
    #expect(result.status == 0)
    let warnings = result.stderrLines.filter {
      $0.hasSuffix("but not marked withdrawn here; it is not counted")
    }
    #expect(warnings.count == 91)
    #expect(
      warnings.contains(
        "\(catalog.path):2178:13: warning: 'PR.AC-04' is withdrawn from NIST CSF 2.0 (now PR.AA-05) but not marked withdrawn here; it is not counted"
      ))
    #expect(result.stdout.hasSuffix("NIST AI RMF 1.0 72, NIST Cybersecurity Framework 2.0 106\n"))
  }

  @Test("catalogs lists the shipped frameworks and shows one requirement")
  func catalogs() throws {
    let list = try CommandLineRunner.run(["catalogs"])
    #expect(
      list.stdout == """
        KEY\tREQUIREMENTS\tWITHDRAWN\tNAME\tVERSION
        nist-ai-rmf-1.0\t72\t0\tNIST AI RMF 1.0\t1.0
        nist-csf-2.0\t106\t79\tNIST CSF 2.0\t2.0
        owasp-nhi-2025\t10\t0\tOWASP NHI Top 10 2025\t2025

        """)
    let show = try CommandLineRunner.run(["catalogs", "nist-csf-2.0", "pr.ac-4"])
    #expect(
      show.stdout == """
        PR.AC-04
        framework: NIST CSF 2.0 (nist-csf-2.0)
        function: PROTECT (PR)
        category: PR.AC Identity Management, Authentication and Access Control

        Access permissions and authorizations are managed, incorporating the principles of least privilege and separation of duties
        status: withdrawn; now PR.AA-05

        """)
    #expect(show.status == 0)
  }

  @Test(
    "--help on each command",
    arguments: ["report", "validate", "bundle", "catalogs", "generate-events"])
  func help(_ command: String) throws {
    let result = try CommandLineRunner.run([command, "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("usage: controlgap \(command)"))
    #expect(result.stdout.contains("exit codes: 0"))
  }
}

/// `--templates DIR`: the user's templates replace the built-in ones file by file.
@Suite("Templates of one's own")
struct TemplateOverrideTests {
  private func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-templates-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    return url
  }

  @Test("a template in the folder replaces the built-in one; the others stay")
  func override() throws {
    let templates = try folder([
      "gap-report.md.mustache": "# {{organisation}}\n\n{{> line}}\n", "line.mustache": "{{period}}",
    ])
    let output = try folder([:])
    defer {
      try? FileManager.default.removeItem(at: templates)
      try? FileManager.default.removeItem(at: output)
    }
    let result = try CommandLineRunner.run([
      "report", "--quiet", "--templates", templates.path, "--output", output.path,
    ])
    #expect(result.status == 0)
    let markdown = try String(
      contentsOf: output.appendingPathComponent("2026-Q4/gap-report.md"), encoding: .utf8)
    #expect(markdown == "# Harbourline Logistics\n\n2026-Q4\n")
    let html = try String(
      contentsOf: output.appendingPathComponent("2026-Q4/gap-report.html"), encoding: .utf8)
    let golden = try String(
      contentsOf: SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4/gap-report.html"),
      encoding: .utf8)
    #expect(html == golden)
  }

  @Test("an error in the user's template names its file, line and column; nothing is written")
  func brokenOverride() throws {
    let templates = try folder(["gap-report.md.mustache": "{{#frameworks}}\n"])
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-out-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: templates) }
    let result = try CommandLineRunner.run([
      "report", "--quiet", "--templates", templates.path, "--output", output.path,
    ])
    #expect(
      result.stderrLines.last
        == "\(templates.path)/gap-report.md.mustache:1:1: error: section 'frameworks' is never closed"
    )
    #expect(result.status == 65)
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test("a template that is a folder or a FIFO is refused, never waited on or skipped")
  func notRegularTemplate() throws {
    let templates = try folder([:])
    defer { try? FileManager.default.removeItem(at: templates) }
    let markdown = templates.appendingPathComponent("gap-report.md.mustache")
    var lines: [String] = []
    for kind in ["folder", "fifo"] {
      try? FileManager.default.removeItem(at: markdown)
      if kind == "folder" {
        try FileManager.default.createDirectory(at: markdown, withIntermediateDirectories: false)
      } else {
        #expect(mkfifo(markdown.path, 0o644) == 0)
      }
      let result = try CommandLineRunner.run([
        "report", "--quiet", "--templates", templates.path, "--output", templates.path,
      ])
      #expect(result.status == 65)
      lines.append(result.stderrLines.last ?? "")
    }
    let expected =
      "controlgap: error: template \(templates.path)/gap-report.md.mustache is not a regular file"
    #expect(lines == [expected, expected])
  }

  @Test("a templates folder that does not exist exits 66")
  func missingFolder() throws {
    let result = try CommandLineRunner.run(["report", "--quiet", "--templates", "/nonexistent/t"])
    #expect(
      result.stderrLines.last == "controlgap: error: templates folder /nonexistent/t does not exist"
    )
    #expect(result.status == 66)
  }
}
