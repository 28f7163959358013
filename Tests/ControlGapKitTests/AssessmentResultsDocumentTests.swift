import Foundation
import Testing

@testable import ControlGapKit

/// `assessment-results.xml`, read from the example's committed reports (which the golden-file
/// test keeps current) and rendered from the example's assessment in process.
@Suite("The assessment as OSCAL assessment results")
struct AssessmentResultsDocumentTests {
  static let committed = SharedData.packageRoot
    .appendingPathComponent("Reports/2026-Q4/assessment-results.xml")
  static let schemaPath = "oscal-schemas-v1.2.1/oscal_assessment-results_schema.xsd"
  static let schemaAvailable = FileManager.default.fileExists(
    atPath: SharedData.url(schemaPath).path)

  private static func parse(_ data: Data, schema: XMLSchema? = nil) throws -> XMLElementNode {
    let collector = DiagnosticCollector()
    let root = XMLReader(displayPath: "assessment-results.xml").read(
      data, schema: schema, diagnostics: collector)
    #expect(collector.diagnostics.map(\.description) == [])
    return try #require(root)
  }

  private static func result(_ root: XMLElementNode) throws -> XMLElementNode {
    try #require(root.child(named: "result"))
  }

  @Test(
    "the example validates against the OSCAL 1.2.1 assessment-results schema",
    .enabled(if: schemaAvailable, SharedData.absence))
  func validates() throws {
    let collector = DiagnosticCollector()
    let schema = try XMLSchema(
      contentsOf: SharedData.url(Self.schemaPath), displayPath: Self.schemaPath,
      diagnostics: collector)
    #expect(collector.diagnostics == [])
    let root = try Self.parse(try Data(contentsOf: Self.committed), schema: schema)
    #expect(root.name == "assessment-results")
    #expect(root.namespace == "http://csrc.nist.gov/ns/oscal/1.0")
  }

  @Test("the example has one finding per requirement, and its observations and risks")
  func counts() throws {
    let result = try Self.result(try Self.parse(try Data(contentsOf: Self.committed)))
    let observations = result.children(named: "observation")
    #expect(result.children(named: "finding").count == 106 + 10 + 72)
    #expect(observations.count == 28)
    #expect(observations.filter { $0.child(named: "method")?.text == "EXAMINE" }.count == 22)
    #expect(observations.filter { $0.child(named: "method")?.text == "TEST" }.count == 6)
    #expect(result.children(named: "risk").count == 5)
    #expect(
      result.children(named: "risk").map { $0.child(named: "status")?.text } == [
        "open", "open", "open", "open", "open",
      ])
  }

  @Test("the result carries the period and its dates")
  func period() throws {
    let root = try Self.parse(try Data(contentsOf: Self.committed))
    let result = try Self.result(root)
    #expect(
      root.child(named: "metadata")?.child(named: "last-modified")?.text
        == "2026-12-31T00:00:00Z")
    #expect(result.child(named: "start")?.text == "2026-10-01T00:00:00Z")
    #expect(result.child(named: "end")?.text == "2026-12-31T00:00:00Z")
    #expect(
      result.children(named: "prop").map {
        "\($0[attribute: "name"] ?? "")=\($0[attribute: "value"] ?? "")"
      }
        == ["period=2026-Q4", "as-of=2026-12-31"])
    let importAP = try #require(root.child(named: "import-ap")?[attribute: "href"])
    let resource = root.child(named: "back-matter")?.child(named: "resource")?[attribute: "uuid"]
    #expect(importAP == "#" + (resource ?? ""))
  }

  @Test("PR.AA-03 is not satisfied, and ineffective to ControlGap")
  func ineffectiveFinding() throws {
    let result = try Self.result(try Self.parse(try Data(contentsOf: Self.committed)))
    let finding = try #require(
      result.children(named: "finding").first {
        $0.child(named: "target")?[attribute: "target-id"] == "PR.AA-03"
      })
    let target = try #require(finding.child(named: "target"))
    #expect(target[attribute: "type"] == "objective-id")
    #expect(target.child(named: "status")?[attribute: "state"] == "not-satisfied")
    #expect(
      finding.children(named: "prop").map {
        "\($0[attribute: "ns"] ?? "") \($0[attribute: "name"] ?? "")=\($0[attribute: "value"] ?? "")"
      } == ["urn:controlgap framework=nist-csf-2.0", "urn:controlgap status=ineffective"])
    #expect(
      finding.child(named: "description")?.children.map(\.text) == [
        "IAM-01 is bypassed above the 5.0% threshold: TEL-IAM-01-1 on view-report in Finance portal (220 of 1262 challenges, 17.4%)."
      ])
  }

  @Test("read back, it gives every requirement's framework, id and status, as results.json does")
  func readBack() throws {
    let result = try Self.result(try Self.parse(try Data(contentsOf: Self.committed)))
    let fromOSCAL = result.children(named: "finding").map { finding in
      let props = Dictionary(
        finding.children(named: "prop").map {
          ($0[attribute: "name"] ?? "", $0[attribute: "value"] ?? "")
        }, uniquingKeysWith: { first, _ in first })
      let id = finding.child(named: "target")?[attribute: "target-id"] ?? ""
      return "\(props["framework"] ?? "") \(id) \(props["status"] ?? "")"
    }
    let results =
      try JSONSerialization.jsonObject(
        with: Data(
          contentsOf: Self.committed.deletingLastPathComponent()
            .appendingPathComponent("results.json"))) as? [String: Any]
    let frameworks = try #require(results?["frameworks"] as? [[String: Any]])
    let fromJSON = frameworks.flatMap { framework in
      (framework["requirements"] as? [[String: Any]] ?? []).map { requirement in
        "\(framework["key"] as? String ?? "") \(requirement["id"] as? String ?? "") "
          + "\(requirement["status"] as? String ?? "")"
      }
    }

    #expect(fromOSCAL.count == 188)
    #expect(fromOSCAL == fromJSON)
    #expect(fromOSCAL.first == "nist-csf-2.0 GV.OC-01 gap")
    #expect(
      result.children(named: "prop").first { $0[attribute: "name"] == "period" }?[
        attribute: "value"] == results?["period"] as? String)
  }

  @Test("the same assessment gives the same bytes")
  func deterministic() throws {
    let assessment = try ExampleAssessmentTests.outcome().assessment
    let first = try AssessmentResultsDocument(assessment, generator: "ControlGap", version: "1")
    let second = try AssessmentResultsDocument(assessment, generator: "ControlGap", version: "1")
    #expect(first.text == second.text)
    #expect(first.text.hasSuffix("</assessment-results>\n"))
  }

  @Test("a name gives the version-5 UUID of the standard's own example")
  func nameBasedUUID() {
    // The DNS namespace and "python.org", whose version-5 UUID is widely published.
    let dns: [UInt8] = [
      0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
      0xc8,
    ]
    #expect(
      NameBasedUUID(name: "python.org", namespace: dns).description
        == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
  }

  @Test("hostile text comes back as written")
  func hostileText() throws {
    var assessment = try ExampleAssessmentTests.outcome().assessment
    let hostile = "<script>&amp;</script> \"q\" 'a' ]]> \u{202E}x עברית"
    assessment.organisation = hostile
    assessment.frameworks[0].requirements[0].reasons = [hostile, "bell\u{07}"]
    let document = try AssessmentResultsDocument(
      assessment, generator: "ControlGap", version: nil)
    let root = try Self.parse(Data(document.text.utf8))
    #expect(
      root.child(named: "metadata")?.child(named: "title")?.text
        == "ControlGap assessment results: \(hostile), 2026-Q4")
    #expect(root.child(named: "metadata")?.child(named: "version")?.text == "unknown")
    let finding = try #require(try Self.result(root).child(named: "finding"))
    #expect(
      finding.child(named: "description")?.children.map(\.text) == [hostile, "bell\u{FFFD}"])
  }
}
