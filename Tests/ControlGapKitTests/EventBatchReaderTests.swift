import Foundation
import Testing

@testable import ControlGapKit

/// Counting an export on two threads, one reading and one counting, gives what counting its
/// events one by one gives: the same aggregate, diagnostics, summary and failure, across many
/// batches and when the read stops part way.
@Suite("Counting events read on another thread")
struct EventBatchReaderTests {
  /// Ends the window in the middle of the generated quarter, so that some events fall outside.
  static let lastDay = CalendarDate(year: 2026, month: 11, day: 20)!
  static let exceptions = [
    ExceptionScope(
      id: "EX-1", control: "IAM-02",
      expires: CalendarDate(year: 2026, month: 11, day: 1)),
    ExceptionScope(id: "EX-2", control: "IAM-01"),
  ]

  /// What counting gave, including a failure that ended it.
  struct Counted: Equatable {
    var aggregate: TelemetryAggregate
    var summary: AccessEventReader.ReadSummary?
    var lines: [String]
    var failure: ControlGapFailure?
  }

  static func aggregator() -> EventAggregator {
    EventAggregator(
      pseudonymiser: BypassClassificationTests.pseudonymiser,
      firstDay: BypassClassificationTests.firstDay, lastDay: lastDay,
      policy: BypassClassificationTests.policy, exceptions: exceptions)
  }

  static func generated(_ events: Int, format: AccessEventReader.Format) -> [UInt8] {
    var bytes: [UInt8] = []
    EventGenerator(
      seed: 7, events: events, period: Quarter(year: 2026, number: 4)!, format: format
    )
    .generate { bytes.append(contentsOf: $0) }
    return bytes
  }

  static func count(
    _ bytes: [UInt8], path: String, reader: AccessEventReader, pipelined: Bool
  ) throws -> Counted {
    var aggregator = aggregator()
    let collector = DiagnosticCollector()
    let format = AccessEventReader.Format(path: path)!
    var summary: AccessEventReader.ReadSummary?
    var failure: ControlGapFailure?
    do {
      if pipelined {
        summary = try aggregator.addEvents(
          fromBytes: bytes, displayPath: path, format: format, reader: reader,
          diagnostics: collector)
      } else {
        summary = try reader.read(
          bytes: bytes, displayPath: path, format: format, diagnostics: collector
        ) { aggregator.add($0) }
      }
    } catch let error as ControlGapFailure {
      failure = error
    }
    return Counted(
      aggregate: aggregator.result(), summary: summary,
      lines: collector.diagnostics.map(\.description), failure: failure)
  }

  /// Counts both ways and checks that they agree.
  static func countBothWays(
    _ bytes: [UInt8], path: String, reader: AccessEventReader = AccessEventReader()
  ) throws -> Counted {
    let pipelined = try count(bytes, path: path, reader: reader, pipelined: true)
    #expect(pipelined == (try count(bytes, path: path, reader: reader, pipelined: false)))
    return pipelined
  }

  @Test(
    "thousands of generated events give the same aggregate as counting them one by one",
    arguments: [
      ("events/generated.csv", AccessEventReader.Format.csv),
      ("events/generated.jsonl", AccessEventReader.Format.jsonLines),
    ])
  func generatedEvents(_ path: String, _ format: AccessEventReader.Format) throws {
    let bytes = Self.generated(7_000, format: format)
    let counted = try Self.countBothWays(
      bytes, path: path, reader: AccessEventReader(chunkSize: 4_096))
    #expect(counted.lines == [])
    #expect(counted.summary == AccessEventReader.ReadSummary(events: 7_000, badRows: 0))
    #expect(counted.aggregate.outsideWindow == 3_026)
    #expect(
      counted.aggregate.controls.map(\.control) == [
        "CFG-01", "IAM-01", "IAM-02", "IAM-04", "IAM-06", "SEC-01",
      ])
    #expect(AggregateFile.csv(for: counted.aggregate).utf8.count == 24_272)
    #expect(counted.aggregate.exceptionUsage?.map(\.uses) == [4, 281])
    #expect(counted.aggregate.exceptionUsage?.map(\.usesAfterExpiry) == [5, 0])
  }

  /// Generated CSV with a bad row, whose outcome does not exist, at each of `lines`, which
  /// count from 1 for the header.
  static func withBadRows(at lines: [Int]) -> [UInt8] {
    let rows = String(decoding: generated(6_000, format: .csv), as: UTF8.self)
      .split(separator: "\n").map(String.init)
    var result: [String] = []
    for row in rows {
      if lines.contains(result.count + 1) {
        result.append("2026-10-02T08:00:00Z,ana,SEC-01,Payroll,,,,view,,maybe,")
      }
      result.append(row)
    }
    return Array((result.joined(separator: "\n") + "\n").utf8)
  }

  @Test("bad rows in several batches are reported as the reader reports them")
  func badRows() throws {
    let bytes = Self.withBadRows(at: [3, 2_500, 5_000])
    let counted = try Self.countBothWays(bytes, path: "events/generated.csv")
    let message =
      "warning: outcome 'maybe' is not one of passed, failed, abandoned, bypassed, exception"
    #expect(
      counted.lines == [
        "events/generated.csv:3:10: \(message)",
        "events/generated.csv:2500:10: \(message)",
        "events/generated.csv:5000:10: \(message)",
      ])
    #expect(counted.summary == AccessEventReader.ReadSummary(events: 6_000, badRows: 3))
    #expect(counted.failure == nil)
  }

  @Test("more bad rows than allowed stop the read part way, after counting the rows before")
  func tooManyBadRows() throws {
    let bytes = Self.withBadRows(at: [3, 2_500, 5_000])
    let counted = try Self.countBothWays(
      bytes, path: "events/generated.csv", reader: AccessEventReader(maxBadRows: 1))
    let message =
      "warning: outcome 'maybe' is not one of passed, failed, abandoned, bypassed, exception"
    #expect(
      counted.lines == [
        "events/generated.csv:3:10: \(message)",
        "events/generated.csv:2500:10: \(message)",
        "events/generated.csv:2500: error: more than 1 bad row; stopping",
      ])
    #expect(counted.summary == nil)
    #expect(
      counted.failure
        == ControlGapFailure(.badInput, "too many bad rows in access events events/generated.csv"))
    #expect(counted.aggregate.controls.map(\.total.challenges).reduce(0, +) == 1_348)
  }

  @Test("a file that cannot be read fails after the reading thread has stopped")
  func readError() throws {
    // A process's own memory file opens as a regular file, and its first read fails.
    let unreadable = URL(fileURLWithPath: "/proc/self/mem")
    var aggregator = Self.aggregator()
    let collector = DiagnosticCollector()
    #expect(throws: ControlGapFailure(.missingInput, "cannot read access events events/x.csv")) {
      try aggregator.addEvents(
        from: unreadable, displayPath: "events/x.csv", format: .csv, diagnostics: collector)
    }
    #expect(
      collector.diagnostics.map(\.description) == [
        "events/x.csv: error: cannot read file: Input/output error"
      ])
    #expect(aggregator.result().controls == [])
  }
}
