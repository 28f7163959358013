import Testing

@testable import ControlGapKit

/// The CSV reader on good and malformed input, through every chunk size from 1 to 64 bytes so
/// that chunk boundaries fall inside quoted fields, doubled quotes and CRLF pairs.
@Suite("CSV records")
struct CSVRecordReaderTests {
  /// A record as the tests compare it: where it starts, its fields as text, its problem.
  struct Record: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var problem: CSVProblem? = nil

    var description: String { "\(line): \(fields) \(problem.map { "\($0)" } ?? "")" }
  }

  static func records(
    _ bytes: [UInt8], chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20
  ) throws -> [Record] {
    let reader = CSVRecordReader(
      bytes: bytes, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    var records: [Record] = []
    while let record = try reader.nextRecord() {
      records.append(Record(line: record.line, fields: record.strings, problem: record.problem))
    }
    return records
  }

  static func records(_ text: String, chunkSize: Int = 1 << 20) throws -> [Record] {
    try records(Array(text.utf8), chunkSize: chunkSize)
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [UInt8]
    var expected: [(line: Int, fields: [String])]
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ expected: [(line: Int, fields: [String])]) {
      self.init(name, Array(input.utf8), expected)
    }

    init(_ name: String, _ input: [UInt8], _ expected: [(line: Int, fields: [String])]) {
      self.name = name
      self.input = input
      self.expected = expected
    }
  }

  static let goodCases: [Case] = [
    Case("plain fields", "a,b,c\n1,2,3\n", [(1, ["a", "b", "c"]), (2, ["1", "2", "3"])]),
    Case("quoted comma", "a,\"b,c\",d\n", [(1, ["a", "b,c", "d"])]),
    Case("doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", [(1, ["say \"hi\"", "\""])]),
    Case(
      "LF inside a field", "\"one\ntwo\",x\ny,z\n", [(1, ["one\ntwo", "x"]), (3, ["y", "z"])]),
    Case(
      "CRLF inside a field", "\"one\r\ntwo\",x\r\ny,z\r\n",
      [(1, ["one\r\ntwo", "x"]), (3, ["y", "z"])]),
    Case(
      "CR inside a field", "\"one\rtwo\",x\ny,z\n", [(1, ["one\rtwo", "x"]), (3, ["y", "z"])]),
    Case("CRLF record ends", "a,b\r\nc,d\r\n", [(1, ["a", "b"]), (2, ["c", "d"])]),
    Case("CR record ends", "a,b\rc,d\r", [(1, ["a", "b"]), (2, ["c", "d"])]),
    Case(
      "byte-order mark", [0xEF, 0xBB, 0xBF] + Array("a,b\nc,d\n".utf8),
      [
        (1, ["a", "b"]), (2, ["c", "d"]),
      ]),
    Case("no final line break", "a,b\nc,d", [(1, ["a", "b"]), (2, ["c", "d"])]),
    Case("final quoted field without line break", "a,\"b\"", [(1, ["a", "b"])]),
    Case(
      "empty fields", ",,\na,,b\n\"\",x,\n",
      [
        (1, ["", "", ""]), (2, ["a", "", "b"]), (3, ["", "x", ""]),
      ]),
    Case("trailing comma at end of file", "a,", [(1, ["a", ""])]),
    Case(
      "blank lines are skipped", "\n\na,b\n\r\n\nc,d\n\n", [(3, ["a", "b"]), (6, ["c", "d"])]),
    Case("one quoted empty field is a record", "\"\"\n", [(1, [""])]),
    Case("non-ASCII text", "café,\"Zürich, CH\",東京\n", [(1, ["café", "Zürich, CH", "東京"])]),
    Case("empty input", "", []),
    Case("only a byte-order mark", [0xEF, 0xBB, 0xBF], []),
  ]

  @Test("reads good input", arguments: goodCases)
  func good(_ item: Case) throws {
    let expected = item.expected.map { Record(line: $0.line, fields: $0.fields) }
    #expect(try Self.records(item.input) == expected)
  }

  static let malformedCases: [(String, String, [Record])] = [
    (
      "quote inside an unquoted field", "a,b\"c,d\ne,f\n",
      [
        Record(line: 1, fields: ["a", "b\"c", "d"], problem: .quoteInUnquotedField(field: 2)),
        Record(line: 2, fields: ["e", "f"]),
      ]
    ),
    (
      "characters after the closing quote", "a,\"b\"c,d\ne,f\n",
      [
        Record(line: 1, fields: ["a", "b\"c", "d"], problem: .textAfterClosingQuote(field: 2)),
        Record(line: 2, fields: ["e", "f"]),
      ]
    ),
    (
      "unterminated quoted field", "a,b\nc,\"d\ne,f\n",
      [
        Record(line: 1, fields: ["a", "b"]),
        Record(line: 2, fields: ["c", "d\ne,f\n"], problem: .unterminatedQuotedField(field: 2)),
      ]
    ),
  ]

  @Test("reports malformed records and carries on", arguments: malformedCases)
  func malformed(_ name: String, _ input: String, _ expected: [Record]) throws {
    #expect(try Self.records(input) == expected)
  }

  @Test("reports invalid UTF-8 with the field it is in")
  func invalidUTF8() throws {
    let input = Array("a,b\n".utf8) + [0x78, 0x2C, 0xC3, 0x28, 0x0A] + Array("c,d\n".utf8)
    let records = try Self.records(input)
    #expect(records.map(\.problem) == [nil, .invalidUTF8(field: 2), nil])
    #expect(records.map(\.line) == [1, 2, 3])
  }

  @Test(
    "refuses overlong forms and surrogates as UTF-8",
    arguments: [
      [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
      [0xE2, 0x82],
    ] as [[UInt8]])
  func invalidSequences(_ bytes: [UInt8]) throws {
    #expect(try Self.records(bytes + [0x0A]).map(\.problem) == [.invalidUTF8(field: 1)])
  }

  @Test("skips a record over the size limit and carries on")
  func recordTooLong() throws {
    let long = String(repeating: "x", count: 40)
    let input = "a,b\n\(long),\"quoted\nline \(long)\"\nc,d\n\(long)"
    for chunkSize in [1, 7, 16, 1024] {
      let records = try Self.records(Array(input.utf8), chunkSize: chunkSize, maxRecordBytes: 32)
      #expect(
        records == [
          Record(line: 1, fields: ["a", "b"]),
          Record(line: 2, fields: [], problem: .recordTooLong(limit: 32)),
          Record(line: 4, fields: ["c", "d"]),
          Record(line: 5, fields: [], problem: .recordTooLong(limit: 32)),
        ], "chunk size \(chunkSize)")
    }
  }

  @Test("a skipped record ends where a kept one would: stray quotes do not open a field")
  func recordTooLongWithQuotes() throws {
    let long = String(repeating: "x", count: 40)
    // A stray quote past the limit, a quoted field with a doubled quote and a line break, and a
    // quote that opens a field right after a comma.
    let input =
      "a,b\n\(long) 5\" screen,b\nc,d\n\(long),\"say \"\"hi\"\"\nthere\",\"x\"\ne,f\n"
    for chunkSize in [1, 3, 16, 1024] {
      let records = try Self.records(Array(input.utf8), chunkSize: chunkSize, maxRecordBytes: 32)
      #expect(
        records == [
          Record(line: 1, fields: ["a", "b"]),
          Record(line: 2, fields: [], problem: .recordTooLong(limit: 32)),
          Record(line: 3, fields: ["c", "d"]),
          Record(line: 4, fields: [], problem: .recordTooLong(limit: 32)),
          Record(line: 6, fields: ["e", "f"]),
        ], "chunk size \(chunkSize)")
    }
  }

  @Test("a record exactly at the size limit is kept")
  func recordAtLimit() throws {
    let field = String(repeating: "y", count: 16)
    let records = try Self.records(Array("\(field)\r\n".utf8), chunkSize: 5, maxRecordBytes: 16)
    #expect(records == [Record(line: 1, fields: [field])])
  }

  /// Every feature the reader handles, in one document.
  static let everything: [UInt8] =
    [0xEF, 0xBB, 0xBF]
    + Array(
      ("time,user,note\r\n"
        + "2026-10-02T08:15:30Z,ana,\"line one\r\nline two\"\r\n"
        + "\r\n"
        + "2026-10-02T08:16:00Z,\"bo, jr\",\"he said \"\"no\"\"\"\n"
        + "2026-10-02T08:17:00Z,,\r"
        + "2026-10-02T08:18:00Z,\"cé\"\"cile\",\n"
        + "bad\"quote,x,y\n"
        + "\"closed\"extra,x,y\n"
        + "last,\"multi\nline\",end").utf8)

  static let everythingExpected: [Record] = [
    Record(line: 1, fields: ["time", "user", "note"]),
    Record(line: 2, fields: ["2026-10-02T08:15:30Z", "ana", "line one\r\nline two"]),
    Record(line: 5, fields: ["2026-10-02T08:16:00Z", "bo, jr", "he said \"no\""]),
    Record(line: 6, fields: ["2026-10-02T08:17:00Z", "", ""]),
    Record(line: 7, fields: ["2026-10-02T08:18:00Z", "cé\"cile", ""]),
    Record(line: 8, fields: ["bad\"quote", "x", "y"], problem: .quoteInUnquotedField(field: 1)),
    Record(
      line: 9, fields: ["closed\"extra", "x", "y"], problem: .textAfterClosingQuote(field: 1)),
    Record(line: 10, fields: ["last", "multi\nline", "end"]),
  ]

  @Test("gives the same records whatever the chunk size", arguments: 1...64)
  func chunkSizes(_ chunkSize: Int) throws {
    #expect(try Self.records(Self.everything, chunkSize: chunkSize) == Self.everythingExpected)
  }

  @Test("a chunk boundary inside a quoted field and inside a CRLF changes nothing")
  func chunkBoundaries() throws {
    // With 7-byte chunks the first boundary falls after `a,"b "`, inside the quoted field and
    // before its doubled quote; the second between the CR and the LF that end the record.
    let input = Array("a,\"b \"\"c\"\"\",d\r\ne,f\r\n".utf8)
    #expect(input[6] == UInt8(ascii: "\""))
    #expect(input[13] == UInt8(ascii: "\r") && input[14] == UInt8(ascii: "\n"))
    let records = try Self.records(input, chunkSize: 7)
    #expect(
      records == [
        Record(line: 1, fields: ["a", "b \"c\"", "d"]), Record(line: 2, fields: ["e", "f"]),
      ]
    )
  }

  @Test("ordinary bytes below '-' and non-ASCII text end no field, at any offset")
  func ordinaryBytesAtEveryOffset() throws {
    // The scanner steps over eight bytes at a time; these bytes make it stop and look.
    let ordinary = " !#$%&'()*+é\t"
    for offset in 0..<16 {
      let field = String(repeating: "a", count: offset) + ordinary + "z"
      let input = "\(field),\(field)\r\n\(field)"
      #expect(
        try Self.records(input) == [
          Record(line: 1, fields: [field, field]), Record(line: 2, fields: [field]),
        ], "offset \(offset)")
    }
  }

  @Test("short, empty and quoted fields read alike at every offset within a word")
  func fieldsAtEveryOffset() throws {
    // The scanner takes eight bytes at a time: several commas may share one word, a quote may
    // open a field in the middle of one, and text after a doubled quote moves down a byte.
    for offset in 1...16 {
      let lead = String(repeating: "a", count: offset)
      let input = "\(lead),b,,\"c, \"\"d\"\" and a long tail\",\"\",e\r\n\(lead)"
      #expect(
        try Self.records(input) == [
          Record(line: 1, fields: [lead, "b", "", "c, \"d\" and a long tail", "", "e"]),
          Record(line: 2, fields: [lead]),
        ], "offset \(offset)")
    }
  }

  @Test("reads records with many fields")
  func manyFields() throws {
    let fields = (1...300).map { "f\($0)" }
    let input = fields.joined(separator: ",") + "\n" + fields.reversed().joined(separator: ",")
    let records = try Self.records(input, chunkSize: 64)
    #expect(
      records == [Record(line: 1, fields: fields), Record(line: 2, fields: fields.reversed())])
  }

  @Test("problems name the field as the diagnostic column")
  func problemText() {
    #expect(CSVProblem.quoteInUnquotedField(field: 3).message == "quote inside an unquoted field")
    #expect(CSVProblem.quoteInUnquotedField(field: 3).field == 3)
    #expect(CSVProblem.recordTooLong(limit: 8).message == "record is longer than 8 bytes")
    #expect(CSVProblem.recordTooLong(limit: 8).field == nil)
  }
}
