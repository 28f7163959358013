import Foundation
import Testing

@testable import ControlGapKit

/// `results.json` and `traceability.csv`, read from the example's committed reports (which
/// the golden-file test keeps current) and built from hostile values.
@Suite("The assessment as data")
struct ResultsDataTests {
  private static let folder = SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4")

  private func read(_ name: String) throws -> String {
    try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
  }

  // MARK: traceability.csv

  @Test("the example traces every requirement, one row per combination")
  func traceabilityRows() throws {
    let text = try read("traceability.csv")
    #expect(text.hasSuffix(",,,,\n"))
    #expect(!text.contains("\r"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.last == "")
    let rows = lines.dropFirst().dropLast()
    #expect(lines.first == TraceabilityTable.header.joined(separator: ","))
    #expect(rows.count == 195)
    let requirements = Set(rows.map { $0.split(separator: ",").prefix(2).joined(separator: ",") })
    #expect(requirements.count == 106 + 10 + 72)
    #expect(
      rows.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[8] != "" }
        .count == 14)
    #expect(rows.first == "nist-csf-2.0,GV.OC-01,gap,,,,,,,,,")
    #expect(
      Array(rows.filter { $0.hasPrefix("nist-csf-2.0,PR.AA-03,") }) == [
        "nist-csf-2.0,PR.AA-03,ineffective,IAM-01,implemented,evidence/finance-step-up-policy.json,2026-10-14,current,TEL-IAM-01-1,convenience,220,1262",
        "nist-csf-2.0,PR.AA-03,ineffective,IAM-01,implemented,evidence/finance-step-up-policy.json,2026-10-14,current,TEL-IAM-01-2,convenience,11,328",
        "nist-csf-2.0,PR.AA-03,ineffective,IAM-02,implemented,evidence/privileged-access-review-2026-11.csv,2026-11-28,current,BYP-105,convenience,4,96",
      ])
    #expect(
      rows.contains(
        "owasp-nhi-2025,NHI9:2025,ineffective,IAM-04,implemented,evidence/service-account-policy.md,2026-09-30,current,TEL-IAM-04-1,risk,18,155"
      ))
  }

  struct HostileCell: CustomTestStringConvertible, Sendable {
    var name: String
    var cell: String
    /// What a reader gets back: the cell, with `'` before a formula's first character.
    var read: String
    var testDescription: String { name }
  }

  static let hostile = [
    HostileCell(name: "comma", cell: "a,b", read: "a,b"),
    HostileCell(name: "quotes", cell: "say \"hi\"", read: "say \"hi\""),
    HostileCell(name: "line break", cell: "one\ntwo\r\nthree", read: "one\ntwo\r\nthree"),
    HostileCell(name: "formula", cell: "=cmd|' /C calc'!A0", read: "'=cmd|' /C calc'!A0"),
    HostileCell(name: "plus", cell: "+1+1", read: "'+1+1"),
    HostileCell(name: "minus", cell: "-2,\"x\"", read: "'-2,\"x\""),
    HostileCell(name: "at", cell: "@SUM(A1)", read: "'@SUM(A1)"),
    HostileCell(name: "tab", cell: "\t=1", read: "'\t=1"),
    HostileCell(name: "formula later", cell: "a=1", read: "a=1"),
    HostileCell(name: "empty", cell: "", read: ""),
  ]

  @Test("hostile cells read back as written, formulas marked as text", arguments: hostile)
  func hostileCell(_ hostile: HostileCell) throws {
    let cells = ["first", hostile.cell, "last"]
    let text = TraceabilityTable.line(cells) + "\n" + TraceabilityTable.line(cells) + "\n"
    let reader = CSVRecordReader(bytes: Array(text.utf8), chunkSize: 7)
    var records: [[String]] = []
    while let record = try reader.nextRecord() {
      #expect(record.problem == nil)
      records.append(record.strings)
    }
    #expect(records == [["first", hostile.read, "last"], ["first", hostile.read, "last"]])
  }

  // MARK: results.json

  @Test("the example's results hold its counts and findings")
  func resultsFragments() throws {
    let text = try read("results.json")
    #expect(text.hasPrefix("{\n  \"schemaVersion\": 1,\n  \"generator\": \"ControlGap\",\n"))
    #expect(text.hasSuffix("}\n") && !text.hasSuffix("\n\n"))
    #expect(!text.contains("@harbourline.example"))
    #expect(
      text.contains(
        """
              "counts": {
                "ineffective": 2,
                "gap": 2,
                "partial": 1,
                "covered": 4,
                "not-applicable": 1
              },
        """))
    #expect(
      text.contains(
        """
              "count": 220,
              "challenges": 1262,
              "distinctUsers": 59,
              "rate": 0.1743,
              "driver": "convenience",
              "bypassPath": "long-lived browser session",
        """))
    #expect(
      text.contains(
        """
              "state": "expired",
              "daysToExpiry": -61,
              "uses": 44,
              "usesAfterExpiry": 132,
              "usedAfterExpiry": true
        """))
    #expect(
      text.contains(
        """
            "window": {
              "firstDay": "2026-10-01",
              "lastDay": "2026-12-31",
              "outsideWindow": 0
            },
            "events": 4000,
            "badRows": 0,
        """))
  }

  @Test("the example's results match the documented schema")
  func resultsMatchSchema() throws {
    let schemaURL = SharedData.packageRoot.appendingPathComponent(
      "Frameworks/schemas/results.schema.json")
    let schema = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
    let results = try JSONSerialization.jsonObject(
      with: Data(try read("results.json").utf8), options: .fragmentsAllowed)
    var problems: [String] = []
    SchemaCheck(root: schema).check(results, against: schema, at: "$", problems: &problems)
    #expect(problems == [])
  }

  @Test("hostile text round-trips through JSON")
  func hostileJSON() throws {
    let values = ["\"quoted\" \\ back", "line\nbreak\u{01}\u{1F}", "עברית \u{202E}x", "</script>"]
    for value in values {
      let text = JSONValue.object([("v", .string(value))]).text() + "\n"
      let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
      #expect(parsed == ["v": value])
    }
  }

  @Test(
    "numbers have a fixed form",
    arguments: [
      (0.17438, "0.1744"), (0.05, "0.0500"), (3, "3.0000"), (0, "0.0000"), (-0.00004, "0.0000"),
      (-1.5, "-1.5000"), (Double.nan, "0.0000"),
    ])
  func fixedDecimals(_ value: Double, _ text: String) {
    #expect(JSONValue.fixed(value) == text)
  }
}

/// Just enough of JSON Schema to check `results.json` against its documented layout: `$ref`
/// into `$defs`, `anyOf`, `const`, `enum`, `type`, `required`, `properties`,
/// `additionalProperties: false` and `items`.
private struct SchemaCheck {
  let root: [String: Any]

  func check(_ value: Any, against schema: [String: Any], at path: String, problems: inout [String])
  {
    if let reference = schema["$ref"] as? String {
      let name = String(reference.dropFirst("#/$defs/".count))
      guard let definitions = root["$defs"] as? [String: Any],
        let target = definitions[name] as? [String: Any]
      else { return problems.append("\(path): unknown reference \(reference)") }
      return check(value, against: target, at: path, problems: &problems)
    }
    if let options = schema["anyOf"] as? [[String: Any]] {
      let fits = options.contains { option in
        var inner: [String] = []
        check(value, against: option, at: path, problems: &inner)
        return inner.isEmpty
      }
      if !fits { problems.append("\(path): matches no option") }
      return
    }
    if let constant = schema["const"] as? Int, (value as? Int) != constant {
      problems.append("\(path): is not \(constant)")
    }
    if let allowed = schema["enum"] as? [String], !allowed.contains(value as? String ?? "") {
      problems.append("\(path): \(value) is not one of \(allowed)")
    }
    if let type = schema["type"] {
      let types = (type as? [String]) ?? [type as? String ?? ""]
      let kind = Self.kind(of: value)
      let fits = types.contains(kind) || (types.contains("number") && kind == "integer")
      if !fits { problems.append("\(path): is \(kind), not \(types.joined(separator: " or "))") }
    }
    if let object = value as? [String: Any], Self.kind(of: value) == "object" {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        problems.append("\(path): lacks \(key)")
      }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for (key, member) in object {
        if let property = properties[key] as? [String: Any] {
          check(member, against: property, at: "\(path).\(key)", problems: &problems)
        } else if schema["additionalProperties"] as? Bool == false {
          problems.append("\(path): has undocumented \(key)")
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (index, element) in array.enumerated() {
        check(element, against: items, at: "\(path)[\(index)]", problems: &problems)
      }
    }
  }

  /// The JSON type of a parsed value; booleans and numbers both arrive as `NSNumber`, told
  /// apart by the C type they hold.
  static func kind(of value: Any) -> String {
    switch value {
    case is NSNull: return "null"
    case is String: return "string"
    case is [Any]: return "array"
    case is [String: Any]: return "object"
    case let number as NSNumber:
      switch String(cString: number.objCType) {
      case "c", "B": return "boolean"
      case "d", "f": return "number"
      default: return "integer"
      }
    default: return "unknown"
    }
  }
}
