import Testing

@testable import ControlGapKit

@Suite("Access event timestamps")
struct TimestampTests {
  @Test(
    "reads ISO 8601 date-times with a zone as UTC instants",
    arguments: [
      ("2026-10-02T08:15:30Z", 1_790_928_930_000),
      ("2026-10-02T10:15:30+02:00", 1_790_928_930_000),
      ("2026-10-02T03:45:30-04:30", 1_790_928_930_000),
      ("2026-10-02t08:15:30z", 1_790_928_930_000),
      ("2026-10-02T08:15:30-00:00", 1_790_928_930_000),
      ("2026-10-02T10:15:30.123+02:00", 1_790_928_930_123),
      ("2026-10-02T08:15:30.1Z", 1_790_928_930_100),
      ("2026-10-02T08:15:30.123456789Z", 1_790_928_930_123),
      ("1970-01-01T00:00:00Z", 0),
      ("1969-12-31T23:59:59.999Z", -1),
      ("2024-02-29T00:00:00+14:00", 1_709_114_400_000),
      ("0001-01-01T00:00:00Z", -62_135_596_800_000),
      ("9999-12-31T23:59:59Z", 253_402_300_799_000),
    ] as [(String, Int64)])
  func valid(_ text: String, _ milliseconds: Int64) {
    #expect(Timestamp(iso8601: text)?.millisecondsSinceEpoch == milliseconds)
  }

  @Test(
    "refuses text that is not one instant",
    arguments: [
      "2026-10-02T08:15:30", "2026-10-02", "2026-13-02T08:00:00Z", "2026-02-30T08:00:00Z",
      "2026-02-29T08:00:00Z", "2026-00-10T08:00:00Z", "2026-10-00T08:00:00Z",
      "2026-10-02T24:00:00Z", "2026-10-02T23:60:00Z", "2026-10-02T23:59:60Z",
      "2026-10-02T08:15:30+24:00", "2026-10-02T08:15:30+02:60", "2026-10-02T08:15:30+0200",
      "2026-10-02T08:15:30+02", "2026-10-02T08:15:30.Z", "2026-10-02T08:15:30Z ",
      " 2026-10-02T08:15:30Z", "2026-10-02 08:15:30Z", "2026/10/02T08:15:30Z",
      "0000-01-01T00:00:00Z", "2026-1-02T08:15:30Z", "+2026-10-02T08:15:30Z", "", "Z",
      "2026-10-02T08:15:30.12a3Z", "2026-10-02T08:1a:30Z",
    ])
  func invalid(_ text: String) {
    #expect(Timestamp(iso8601: text) == nil)
  }

  @Test("both forms of one instant are equal")
  func sameInstant() {
    #expect(
      Timestamp(iso8601: "2026-10-02T08:15:30.123Z")
        == Timestamp(iso8601: "2026-10-02T10:15:30.123+02:00"))
  }

  @Test(
    "gives the UTC calendar day",
    arguments: [
      ("2026-10-02T23:30:00-02:00", "2026-10-03"),
      ("2026-10-02T00:30:00+02:00", "2026-10-01"),
      ("1969-12-31T23:59:59.999Z", "1969-12-31"),
      ("2024-02-29T12:00:00Z", "2024-02-29"),
    ])
  func utcDay(_ text: String, _ day: String) {
    #expect(Timestamp(iso8601: text)?.utcDay.description == day)
  }

  @Test(
    "writes itself in UTC",
    arguments: [
      ("2026-10-02T10:15:30+02:00", "2026-10-02T08:15:30Z"),
      ("2026-10-02T10:15:30.02+02:00", "2026-10-02T08:15:30.020Z"),
      ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    ])
  func description(_ text: String, _ written: String) {
    #expect(Timestamp(iso8601: text)?.description == written)
  }

  @Test("seconds round down, also before 1970")
  func seconds() {
    #expect(Timestamp(millisecondsSinceEpoch: 1_999).secondsSinceEpoch == 1)
    #expect(Timestamp(millisecondsSinceEpoch: -1).secondsSinceEpoch == -1)
  }

  @Test("risk and outcome match without regard to case")
  func enumerations() {
    #expect(AccessEvent.Outcome(caseInsensitive: "ByPaSsEd") == .bypassed)
    #expect(AccessEvent.Outcome(caseInsensitive: "EXCEPTION") == .exception)
    #expect(AccessEvent.Outcome(caseInsensitive: "abandoned") == .abandoned)
    #expect(AccessEvent.Outcome(caseInsensitive: "pass") == nil)
    #expect(AccessEvent.Risk(caseInsensitive: "High") == .high)
    #expect(AccessEvent.Risk(caseInsensitive: "MEDIUM") == .medium)
    #expect(AccessEvent.Risk(caseInsensitive: "lowest") == nil)
  }

  @Test("a reader that remembers the last date reads each timestamp as a fresh parse does")
  func readerRemembersDates() {
    // Runs of one date, valid and not, with good and bad times after a remembered date.
    let texts = [
      "2026-10-02T08:15:30Z", "2026-10-02T23:59:59.999-01:30", "2026-10-02T24:00:00Z",
      "2026-10-02X08:15:30Z", "2026-10-02T08:15:30", "2026-02-30T08:15:30Z",
      "2026-02-30T08:15:30Z", "2026-10-03t00:00:00z", "2026-10-02T08:15:30+02:00",
      "2026-10-0", "2024-02-29T12:00:00Z",
    ]
    var reader = TimestampReader()
    let read = texts.map { text in
      var text = text
      return text.withUTF8 { reader.timestamp(UnsafeRawBufferPointer($0)) }
    }
    #expect(read == texts.map { Timestamp(iso8601: $0) })
    #expect(
      read.map { $0?.description } == [
        "2026-10-02T08:15:30Z", "2026-10-03T01:29:59.999Z", nil, nil, nil, nil, nil,
        "2026-10-03T00:00:00Z", "2026-10-02T06:15:30Z", nil, "2024-02-29T12:00:00Z",
      ])
  }
}
