import Foundation
import Testing

@testable import ControlGapKit

/// Access events read from CSV exports: good rows, every kind of bad row with its exact
/// message, unusable headers, and the bad-row limit.
@Suite("Access events from CSV")
struct AccessEventReaderTests {
  /// What one read gave back.
  struct Outcome {
    var events: [AccessEvent] = []
    var summary = AccessEventReader.ReadSummary()
    var lines: [String] = []
    var failure: ControlGapFailure?
  }

  static func read(
    _ bytes: [UInt8], path: String = "events/okta.csv",
    reader: AccessEventReader = AccessEventReader()
  ) throws -> Outcome {
    let collector = DiagnosticCollector()
    var outcome = Outcome()
    do {
      outcome.summary = try reader.read(
        bytes: bytes, displayPath: path, format: AccessEventReader.Format(path: path)!,
        diagnostics: collector
      ) { outcome.events.append($0) }
    } catch let failure as ControlGapFailure {
      outcome.failure = failure
    }
    outcome.lines = collector.diagnostics.map(\.description)
    return outcome
  }

  static func read(
    _ text: String, path: String = "events/okta.csv",
    reader: AccessEventReader = AccessEventReader()
  ) throws -> Outcome {
    try read(Array(text.utf8), path: path, reader: reader)
  }

  static let header = "timestamp,user,control,app,role,location,device,action,risk,outcome,path\n"
  static let goodRow =
    "2026-10-02T08:15:30Z,ana,C-1,Payroll,Analyst,Office,Laptop,view,low,passed,\n"

  static func time(_ text: String) -> Timestamp {
    Timestamp(iso8601: text)!
  }

  // MARK: Good rows

  @Test("reads every field, leaving empty optional fields out")
  func fields() throws {
    let outcome = try Self.read(
      Self.header
        + "2026-10-02T10:15:30.250+02:00,ana,C-1,Payroll,Analyst,Office,Laptop,view,High,"
        + "BYPASSED,service account\n"
        + "2026-10-02T08:16:00Z,bo,C-1,Payroll,,,,export,,failed,\n")
    #expect(outcome.lines == [])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 2, badRows: 0))
    #expect(
      outcome.events == [
        AccessEvent(
          timestamp: Self.time("2026-10-02T08:15:30.250Z"), user: "ana", control: "C-1",
          app: "Payroll", role: "Analyst", location: "Office", device: "Laptop", action: "view",
          risk: .high, outcome: .bypassed, path: "service account", line: 2),
        AccessEvent(
          timestamp: Self.time("2026-10-02T08:16:00Z"), user: "bo", control: "C-1",
          app: "Payroll", action: "export", outcome: .failed, line: 3),
      ])
  }

  @Test("matches header names without regard to case, order or padding, and ignores others")
  func headerNames() throws {
    let outcome = try Self.read(
      "Outcome, ACTION ,eventId,App,Control,USER,Timestamp\n"
        + "Passed,view,e-1,Payroll,C-1,ana,2026-10-02T08:15:30Z\n")
    #expect(outcome.lines == [])
    #expect(
      outcome.events == [
        AccessEvent(
          timestamp: Self.time("2026-10-02T08:15:30Z"), user: "ana", control: "C-1",
          app: "Payroll", action: "view", outcome: .passed, line: 2)
      ])
  }

  @Test("reads columns named otherwise through the column map")
  func columnMap() throws {
    let reader = AccessEventReader(
      columns: EventColumnMap([
        .timestamp: "published", .user: "actor.alternateId", .control: "policy",
        .app: "target.displayName", .action: "eventType", .outcome: "outcome.result",
      ]))
    let outcome = try Self.read(
      "published,actor.alternateId,policy,target.displayName,eventType,outcome.result,user\n"
        + "2026-10-02T08:15:30Z,ana@example.com,C-1,Payroll,user.session.start,passed,ignored\n",
      reader: reader)
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.user) == ["ana@example.com"])
    #expect(outcome.events.map(\.action) == ["user.session.start"])
  }

  @Test("a column map names each field's column; one column may feed two fields")
  func columnMapLookup() throws {
    var map = EventColumnMap([.user: "actor.alternateId", .device: "app"])
    map[.timestamp] = "published"
    #expect(map[.user] == "actor.alternateId")
    #expect(map[.timestamp] == "published")
    #expect(map[.control] == "control")
    #expect(map.fields(forColumn: "PUBLISHED") == [.timestamp])
    #expect(map.fields(forColumn: "timestamp") == [])
    #expect(map.fields(forColumn: "App") == [.app, .device])

    let outcome = try Self.read(
      "published,actor.alternateId,control,app,action,outcome\n"
        + "2026-10-02T08:15:30Z,ana,C-1,Payroll,view,passed\n",
      reader: AccessEventReader(columns: map))
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.device) == ["Payroll"])
  }

  @Test("reads quoted commas, quotes and line breaks in values, CRLF and a byte-order mark")
  func quoting() throws {
    let text =
      "timestamp,user,control,app,action,outcome,path\r\n"
      + "2026-10-02T08:15:30Z,\"o'neil, ann\",C-1,\"Payroll \"\"EU\"\"\",view,passed,\"line\r\n"
      + "two\"\r\n"
      + "2026-10-02T08:16:00Z,bo,C-1,Payroll,view,passed,"
    let outcome = try Self.read([0xEF, 0xBB, 0xBF] + Array(text.utf8))
    #expect(outcome.lines == [])
    #expect(outcome.events.map(\.user) == ["o'neil, ann", "bo"])
    #expect(outcome.events.map(\.app) == ["Payroll \"EU\"", "Payroll"])
    #expect(outcome.events.map(\.path) == ["line\r\ntwo", nil])
    #expect(outcome.events.map(\.line) == [2, 4])
  }

  @Test("an instant written in two zones reads as the same UTC instant")
  func zones() throws {
    let outcome = try Self.read(
      "timestamp,user,control,app,action,outcome\n"
        + "2026-10-02T08:15:30.123Z,ana,C-1,Payroll,view,passed\n"
        + "2026-10-02T10:15:30.123+02:00,ana,C-1,Payroll,view,passed\n")
    #expect(outcome.events.count == 2)
    #expect(outcome.events[0].timestamp == outcome.events[1].timestamp)
    #expect(outcome.events[0].timestamp.millisecondsSinceEpoch == 1_790_928_930_123)
    #expect(outcome.events[0].timestamp.utcDay.description == "2026-10-02")
  }

  // MARK: Bad rows

  struct BadRow: CustomTestStringConvertible, Sendable {
    var name: String
    var row: [UInt8]
    var lines: [String]
    var testDescription: String { name }

    init(_ name: String, _ row: String, _ lines: [String]) {
      self.init(name, Array(row.utf8), lines)
    }

    init(_ name: String, _ row: [UInt8], _ lines: [String]) {
      self.name = name
      self.row = row
      self.lines = lines
    }
  }

  static let badRows: [BadRow] = [
    BadRow(
      "impossible month",
      "2026-13-02T08:00:00Z,ana,C-1,Payroll,,,,view,,passed,\n",
      [
        "events/okta.csv:3:1: warning: timestamp '2026-13-02T08:00:00Z' is not an ISO 8601 "
          + "date-time with a time zone"
      ]),
    BadRow(
      "timestamp without a zone",
      "2026-10-02T08:00:00,ana,C-1,Payroll,,,,view,,passed,\n",
      [
        "events/okta.csv:3:1: warning: timestamp '2026-10-02T08:00:00' is not an ISO 8601 "
          + "date-time with a time zone"
      ]),
    BadRow(
      "unknown outcome",
      "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,,maybe,\n",
      [
        "events/okta.csv:3:10: warning: outcome 'maybe' is not one of passed, failed, abandoned, "
          + "bypassed, exception"
      ]),
    BadRow(
      "unknown risk",
      "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,severe,passed,\n",
      ["events/okta.csv:3:9: warning: risk 'severe' is not one of low, medium, high"]),
    BadRow(
      "too few fields",
      "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,low\n",
      ["events/okta.csv:3: warning: row has 9 fields, the header has 11"]),
    BadRow(
      "too many fields",
      "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,low,passed,,extra\n",
      ["events/okta.csv:3: warning: row has 12 fields, the header has 11"]),
    BadRow(
      "one field",
      "oops\n",
      ["events/okta.csv:3: warning: row has 1 field, the header has 11"]),
    BadRow(
      "missing user",
      "2026-10-02T08:00:00Z,,C-1,Payroll,,,,view,,passed,\n",
      ["events/okta.csv:3:2: warning: missing value for required field 'user'"]),
    BadRow(
      "several problems in one row",
      "yesterday,ana,,Payroll,,,,,extreme,ok,\n",
      [
        "events/okta.csv:3:1: warning: timestamp 'yesterday' is not an ISO 8601 date-time with a "
          + "time zone",
        "events/okta.csv:3:3: warning: missing value for required field 'control'",
        "events/okta.csv:3:8: warning: missing value for required field 'action'",
        "events/okta.csv:3:9: warning: risk 'extreme' is not one of low, medium, high",
        "events/okta.csv:3:10: warning: outcome 'ok' is not one of passed, failed, abandoned, "
          + "bypassed, exception",
      ]),
    BadRow(
      "quote inside an unquoted field",
      "2026-10-02T08:00:00Z,an\"a,C-1,Payroll,,,,view,,passed,\n",
      ["events/okta.csv:3:2: warning: quote inside an unquoted field"]),
    BadRow(
      "characters after a closing quote",
      "2026-10-02T08:00:00Z,ana,\"C-1\" ,Payroll,,,,view,,passed,\n",
      ["events/okta.csv:3:3: warning: characters after the closing quote of a field"]),
    BadRow(
      "invalid UTF-8",
      Array("2026-10-02T08:00:00Z,ana,C-1,".utf8) + [0x50, 0xE9, 0x79]
        + Array(",,,,view,,passed,\n".utf8),
      ["events/okta.csv:3:4: warning: field is not valid UTF-8"]),
    BadRow(
      "a value with a line break is shown escaped and cut short",
      "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,,\"passed\nor failed, "
        + String(repeating: "x", count: 80) + "\",\n",
      [
        "events/okta.csv:3:10: warning: outcome 'passed\\nor failed, "
          + String(repeating: "x", count: 46) + "…' is not one of passed, failed, abandoned, "
          + "bypassed, exception"
      ]),
  ]

  @Test("reports a bad row with its line and field, and carries on", arguments: badRows)
  func badRow(_ item: BadRow) throws {
    let input =
      Array((Self.header + Self.goodRow).utf8) + item.row + Array(Self.goodRow.utf8)
    let outcome = try Self.read(input)
    #expect(outcome.lines == item.lines)
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 2, badRows: 1))
    #expect(outcome.events.count == 2)
    #expect(outcome.failure == nil)
  }

  @Test("reports a quoted field left open at the end of the file")
  func unterminated() throws {
    let outcome = try Self.read(
      Self.header + Self.goodRow + "2026-10-02T08:00:00Z,ana,C-1,\"Payroll,,,,view,,passed,\n")
    #expect(
      outcome.lines == [
        "events/okta.csv:3:4: warning: quoted field is not closed before the end of the file"
      ])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 1, badRows: 1))
  }

  @Test("reports a row over the size limit and carries on")
  func tooLong() throws {
    let reader = AccessEventReader(maxRecordBytes: 100)
    let outcome = try Self.read(
      Self.header + Self.goodRow + "2026-10-02T08:00:00Z,\(String(repeating: "a", count: 100))\n"
        + Self.goodRow, reader: reader)
    #expect(outcome.lines == ["events/okta.csv:3: warning: record is longer than 100 bytes"])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 2, badRows: 1))
  }

  // MARK: Headers

  @Test(
    "refuses a header it cannot use",
    arguments: [
      (
        "timestamp,user,app,outcome\n" + goodRow,
        [
          "events/okta.csv:1: error: no column 'control' for required field 'control'",
          "events/okta.csv:1: error: no column 'action' for required field 'action'",
        ]
      ),
      (
        "timestamp,user,control,app,action,outcome,User\n" + goodRow,
        ["events/okta.csv:1:7: error: duplicate column 'User' (also column 2)"]
      ),
      (
        "timestamp,user,\"control\"x,app,action,outcome\n" + goodRow,
        ["events/okta.csv:1:3: error: characters after the closing quote of a field"]
      ),
      ("", ["events/okta.csv: error: file is empty"]),
      ("\n\r\n", ["events/okta.csv: error: file is empty"]),
    ])
  func unusableHeader(_ input: String, _ lines: [String]) throws {
    let outcome = try Self.read(input)
    #expect(outcome.lines == lines)
    #expect(
      outcome.failure == ControlGapFailure(.badInput, "cannot read access events events/okta.csv"))
    #expect(outcome.events.isEmpty)
  }

  @Test("a header without rows is an export with no events")
  func headerOnly() throws {
    let outcome = try Self.read(Self.header)
    #expect(outcome.lines == [])
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 0, badRows: 0))
    #expect(outcome.failure == nil)
  }

  // MARK: The bad-row limit

  @Test("stops after more bad rows than the limit")
  func badRowLimit() throws {
    let bad = "2026-10-02T08:00:00Z,ana,C-1,Payroll,,,,view,,maybe,\n"
    let outcome = try Self.read(
      Self.header + Self.goodRow + bad + bad + Self.goodRow + bad + Self.goodRow,
      reader: AccessEventReader(maxBadRows: 2))
    let message =
      "warning: outcome 'maybe' is not one of passed, failed, abandoned, bypassed, exception"
    #expect(
      outcome.lines == [
        "events/okta.csv:3:10: \(message)",
        "events/okta.csv:4:10: \(message)",
        "events/okta.csv:6:10: \(message)",
        "events/okta.csv:6: error: more than 2 bad rows; stopping",
      ])
    #expect(outcome.events.count == 2)
    #expect(
      outcome.failure
        == ControlGapFailure(.badInput, "too many bad rows in access events events/okta.csv"))
  }

  @Test("a limit of zero stops at the first bad row")
  func zeroBadRows() throws {
    let outcome = try Self.read(
      Self.header + "x\n" + Self.goodRow, reader: AccessEventReader(maxBadRows: 0))
    #expect(
      outcome.lines == [
        "events/okta.csv:2: warning: row has 1 field, the header has 11",
        "events/okta.csv:2: error: more than 0 bad rows; stopping",
      ])
    #expect(outcome.events.isEmpty)
    #expect(outcome.failure?.kind == .badInput)
  }

  @Test("the limit counts rows, not problems")
  func limitCountsRows() throws {
    let outcome = try Self.read(
      Self.header + "x,,,,,,,,,,\n" + Self.goodRow, reader: AccessEventReader(maxBadRows: 1))
    #expect(outcome.lines.count == 6)
    #expect(outcome.summary == AccessEventReader.ReadSummary(events: 1, badRows: 1))
    #expect(outcome.failure == nil)
  }

  // MARK: Chunk sizes

  @Test("gives the same events and diagnostics whatever the chunk size", arguments: 1...64)
  func chunkSizes(_ chunkSize: Int) throws {
    let input =
      Array(("\u{FEFF}" + Self.header + Self.goodRow).utf8) + Self.badRows.flatMap(\.row)
      + Array(
        ("\r\n" + Self.goodRow + "2026-10-02T08:00:00Z,\"a\r\nb\",C-1,P,,,,v,,passed,x")
          .utf8)
    let expected = try Self.read(input)
    let chunked = try Self.read(input, reader: AccessEventReader(chunkSize: chunkSize))
    #expect(expected.summary == AccessEventReader.ReadSummary(events: 3, badRows: 13))
    #expect(chunked.summary == expected.summary)
    #expect(chunked.events == expected.events)
    #expect(chunked.lines == expected.lines)
  }
}
