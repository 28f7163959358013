import Foundation
import Testing

@testable import ControlGapKit

/// Access events read from JSON Lines exports: one object per line, keys as column names.
@Suite("Access events from JSON Lines")
struct JSONLinesReaderTests {
  static func read(
    _ text: String, reader: AccessEventReader = AccessEventReader()
  ) throws -> AccessEventReaderTests.Outcome {
    try AccessEventReaderTests.read(Array(text.utf8), path: "events/siem.jsonl", reader: reader)
  }

  static let good =
    #"{"timestamp":"2026-10-02T08:15:30Z","user":"ana","control":"C-1","app":"Payroll","#
    + #""action":"view","outcome":"passed"}"#

  @Test("reads keys without regard to case, and ignores keys it does not use")
  func fields() throws {
    let outcome = try Self.read(
      #"{"Timestamp": "2026-10-02T10:15:30.5+02:00", "USER": "ana", "control": "C-1", "#
        + #""app": "Payroll", "role": "Analyst", "location": null, "device": "", "#
        + #""action": "view", "risk": "MEDIUM", "outcome": "Bypassed", "path": "shared login", "#
        + #""extra": {"nested": [1, 2, {"deep": true}]}, "count": -1.5e3}"# + "\n")
    #expect(outcome.lines == [])
    #expect(
      outcome.events == [
        AccessEvent(
          timestamp: Timestamp(iso8601: "2026-10-02T08:15:30.500Z")!, user: "ana",
          control: "C-1", app: "Payroll", role: "Analyst", action: "view", risk: .medium,
          outcome: .bypassed, path: "shared login", line: 1)
      ])
  }

  @Test("reads keys named otherwise through the column map")
  func columnMap() throws {
    let reader = AccessEventReader(
      columns: EventColumnMap([.user: "actor.alternateId", .timestamp: "published"]))
    let outcome = try Self.read(
      #"{"published":"2026-10-02T08:15:30Z","actor.alternateId":"ana@example.com","#
        + #""control":"C-1","app":"Payroll","action":"view","outcome":"passed"}"#,
      reader: reader)
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.user) == ["ana@example.com"])
  }

  @Test("decodes escapes and reads numbers and booleans as text")
  func values() throws {
    let outcome = try Self.read(
      #"{"timestamp":"2026-10-02T08:15:30Z","user":42,"control":"C-\u0031","#
        + #""app":"Pay\"roll\" caf\u00e9 \ud83d\ude00\/","action":true,"outcome":"passed"}"#)
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.user) == ["42"])
    #expect(outcome.events.map(\.control) == ["C-1"])
    #expect(outcome.events.map(\.app) == ["Pay\"roll\" café 😀/"])
    #expect(outcome.events.map(\.action) == ["true"])
  }

  @Test("skips blank lines, and reads CRLF, a byte-order mark and a last line without LF")
  func lines() throws {
    let outcome = try Self.read("\u{FEFF}\n  \r\n" + Self.good + "\r\n\t\n" + Self.good)
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.line) == [3, 5])
  }

  static let badLines: [(String, String, [String])] = [
    ("an array", "[1, 2]", ["events/siem.jsonl:2:1: warning: not a JSON object"]),
    ("a string", #"  "text""#, ["events/siem.jsonl:2:3: warning: not a JSON object"]),
    (
      "a truncated object", #"{"user": "ana""#,
      ["events/siem.jsonl:2:15: warning: invalid JSON: expected ',' or '}' after a value"]
    ),
    (
      "a key without quotes", #"{user: "ana"}"#,
      ["events/siem.jsonl:2:2: warning: invalid JSON: expected a key in double quotes"]
    ),
    (
      "a missing colon", #"{"user" "ana"}"#,
      ["events/siem.jsonl:2:9: warning: invalid JSON: expected ':' after the key"]
    ),
    (
      "a bare word", #"{"user": ana}"#,
      ["events/siem.jsonl:2:10: warning: invalid JSON: expected a value"]
    ),
    (
      "a trailing comma", #"{"user": "ana",}"#,
      ["events/siem.jsonl:2:16: warning: invalid JSON: expected a key in double quotes"]
    ),
    (
      "text after the object", #"{"user": "ana"} x"#,
      ["events/siem.jsonl:2:17: warning: invalid JSON: text after the object"]
    ),
    (
      "an unclosed string", #"{"user": "ana}"#,
      [
        "events/siem.jsonl:2:10: warning: invalid JSON: string is not closed before the end of "
          + "the line"
      ]
    ),
    (
      "a bad escape", #"{"user": "a\qb"}"#,
      ["events/siem.jsonl:2:12: warning: invalid JSON: invalid escape sequence"]
    ),
    (
      "a lone surrogate", #"{"user": "a\ud800b"}"#,
      [#"events/siem.jsonl:2:12: warning: invalid JSON: invalid \u escape"#]
    ),
    (
      "a bad number", #"{"user": -01}"#,
      ["events/siem.jsonl:2:12: warning: invalid JSON: expected ',' or '}' after a value"]
    ),
    (
      "a number without digits", #"{"user": 1.}"#,
      ["events/siem.jsonl:2:12: warning: invalid JSON: invalid number"]
    ),
    (
      "an unclosed nested array", #"{"x": [1, {"a": 2}"#,
      ["events/siem.jsonl:2:19: warning: invalid JSON: expected ',' or ']' after an array element"]
    ),
    (
      "a tab inside a string", "{\"user\": \"a\tb\"}",
      ["events/siem.jsonl:2:12: warning: invalid JSON: control character in a string"]
    ),
    (
      "a missing required key",
      #"{"timestamp":"2026-10-02T08:15:30Z","control":"C-1","app":"P","action":"v","#
        + #""outcome":"passed"}"#,
      ["events/siem.jsonl:2: warning: missing value for required field 'user'"]
    ),
    (
      "a null required value",
      #"{"timestamp":"2026-10-02T08:15:30Z","user":null,"control":"C-1","app":"P","#
        + #""action":"v","outcome":"passed"}"#,
      ["events/siem.jsonl:2:44: warning: missing value for required field 'user'"]
    ),
    (
      "an object for a field",
      #"{"timestamp":"2026-10-02T08:15:30Z","user":{"id":1},"control":"C-1","app":"P","#
        + #""action":"v","outcome":"passed"}"#,
      ["events/siem.jsonl:2:44: warning: field 'user' must be a string, not an object"]
    ),
    (
      "a key given twice",
      #"{"timestamp":"2026-10-02T08:15:30Z","user":"a","USER":"b","control":"C-1","#
        + #""app":"P","action":"v","outcome":"passed"}"#,
      ["events/siem.jsonl:2:48: warning: duplicate key 'USER' for field 'user'"]
    ),
    (
      "a bad timestamp, after non-ASCII text",
      #"{"app":"Zürich","timestamp":"2026-02-30T08:15:30Z","user":"a","control":"C-1","#
        + #""action":"v","outcome":"passed"}"#,
      [
        "events/siem.jsonl:2:29: warning: timestamp '2026-02-30T08:15:30Z' is not an ISO 8601 "
          + "date-time with a time zone"
      ]
    ),
    (
      "an unknown outcome",
      #"{"timestamp":"2026-10-02T08:15:30Z","user":"a","control":"C-1","app":"P","#
        + #""action":"v","outcome":"maybe"}"#,
      [
        "events/siem.jsonl:2:97: warning: outcome 'maybe' is not one of passed, failed, "
          + "abandoned, bypassed, exception"
      ]
    ),
  ]

  @Test("reports a bad line with its line and column, and carries on", arguments: badLines)
  func badLine(_ name: String, _ line: String, _ lines: [String]) throws {
    let outcome = try Self.read(Self.good + "\n" + line + "\n" + Self.good + "\n")
    #expect(outcome.lines == lines)
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 2, badRows: 1))
  }

  @Test("reports invalid UTF-8 in a string")
  func invalidUTF8() throws {
    let bytes =
      Array((Self.good + "\n").utf8) + Array(#"{"user":"a"#.utf8) + [0xFF] + Array("\"}\n".utf8)
    let outcome = try AccessEventReaderTests.read(bytes, path: "events/siem.ndjson")
    #expect(outcome.lines == ["events/siem.ndjson:2:9: warning: string is not valid UTF-8"])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 1, badRows: 1))
  }

  @Test("reports a line over the size limit and carries on")
  func tooLong() throws {
    let padding = String(repeating: " ", count: 300)
    let outcome = try Self.read(
      Self.good + "\n" + padding + Self.good + "\n" + Self.good,
      reader: AccessEventReader(maxRecordBytes: 200))
    #expect(outcome.lines == ["events/siem.jsonl:2: warning: line is longer than 200 bytes"])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 2, badRows: 1))
  }

  @Test("deep nesting is checked without recursion")
  func deepNesting() throws {
    let depth = 100_000
    let line =
      #"{"x": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    let outcome = try Self.read(line + "\n" + Self.good)
    #expect(
      outcome.lines == [
        "events/siem.jsonl:1: warning: missing value for required field 'timestamp'",
        "events/siem.jsonl:1: warning: missing value for required field 'user'",
        "events/siem.jsonl:1: warning: missing value for required field 'control'",
        "events/siem.jsonl:1: warning: missing value for required field 'app'",
        "events/siem.jsonl:1: warning: missing value for required field 'action'",
        "events/siem.jsonl:1: warning: missing value for required field 'outcome'",
      ])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 1, badRows: 1))
  }

  @Test("gives the same events and diagnostics whatever the chunk size", arguments: 1...64)
  func chunkSizes(_ chunkSize: Int) throws {
    let text =
      "\u{FEFF}" + Self.good + "\r\n\n"
      + Self.badLines.map(\.1).joined(separator: "\n") + "\n" + Self.good
    let expected = try Self.read(text)
    let chunked = try Self.read(text, reader: AccessEventReader(chunkSize: chunkSize))
    #expect(expected.summary == AccessEventReader.ReadSummary(events: 2, badRows: 21))
    #expect(chunked.summary == expected.summary)
    #expect(chunked.events == expected.events)
    #expect(chunked.lines == expected.lines)
  }
}
