import Foundation

/// Reads an aggregate file, as `AggregateFile` describes it, back into a `TelemetryAggregate`.
///
/// Files come from many SQL engines, so the reader asks only for what the counts need:
/// columns are found by their header names without regard to letter case or order, extra
/// columns are ignored, and rows may come in any order. Each bad row is reported with its line
/// and column and left out; every row is checked before the read fails, so that one run shows
/// every problem. A file with any bad row gives no aggregate, because counts with a slice
/// missing would understate what happened.
///
/// The file carries no events, so the aggregate's exception coverage is `nil`, and its
/// `outsideWindow` is 0: a day outside the period is a bad row.
public struct AggregateFileReader: Sendable {
  /// The first UTC day of the period the file covers.
  public var firstDay: CalendarDate
  /// The last UTC day of the period the file covers.
  public var lastDay: CalendarDate
  /// The bytes asked for in one read from the file.
  public var chunkSize: Int
  /// The longest row read, in bytes; longer ones are reported as bad rows.
  public var maxRecordBytes: Int

  public init(
    firstDay: CalendarDate, lastDay: CalendarDate,
    chunkSize: Int = CSVRecordReader.defaultChunkSize,
    maxRecordBytes: Int = CSVRecordReader.defaultMaxRecordBytes
  ) {
    self.firstDay = firstDay
    self.lastDay = lastDay
    self.chunkSize = chunkSize
    self.maxRecordBytes = maxRecordBytes
  }

  /// Reads the aggregate in a file.
  ///
  /// - Parameters:
  ///   - file: The file to read.
  ///   - displayPath: The path diagnostics name, as the user knows the file.
  ///   - diagnostics: Receives every problem found.
  /// - Returns: The aggregate, with its controls and breakdowns sorted as `ControlTelemetry`
  ///   describes.
  /// - Throws: `ControlGapFailure` after reporting why: `.missingInput` when the file cannot
  ///   be read, `.badInput` when its header is unusable or any row is bad.
  public func read(
    file: URL, displayPath: String, diagnostics: DiagnosticSink
  ) throws -> TelemetryAggregate {
    let descriptor = try RegularFile.open(
      file, displayPath: displayPath, what: "aggregate", diagnostics: diagnostics)
    defer { close(descriptor) }
    let input = ChunkedByteInput(
      fileDescriptor: descriptor, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes)
    do {
      return try read(input, displayPath: displayPath, diagnostics: diagnostics)
    } catch let error as InputReadError {
      throw cannotRead(displayPath, error, diagnostics: diagnostics)
    }
  }

  /// Reads the aggregate in bytes held in memory, as `read(file:…)` reads a file.
  public func read(
    bytes: [UInt8], displayPath: String, diagnostics: DiagnosticSink
  ) throws -> TelemetryAggregate {
    let input = ChunkedByteInput(bytes: bytes, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes)
    return try read(input, displayPath: displayPath, diagnostics: diagnostics)
  }

  private func read(
    _ input: ChunkedByteInput, displayPath: String, diagnostics: DiagnosticSink
  ) throws -> TelemetryAggregate {
    let records = CSVRecordReader(input: input, maxRecordBytes: maxRecordBytes)
    var rows = AggregateRowChecker(
      displayPath: displayPath, firstDay: firstDay, lastDay: lastDay, diagnostics: diagnostics)
    guard let header = try records.nextRecord() else {
      diagnostics.error("file is empty", at: SourceLocation(path: displayPath))
      throw unusable(displayPath)
    }
    guard rows.readHeader(header) else { throw unusable(displayPath) }
    while let record = try records.nextRecord() {
      rows.check(record)
    }
    guard let aggregate = rows.aggregate() else { throw unusable(displayPath) }
    return aggregate
  }

  private func cannotRead(
    _ displayPath: String, _ error: InputReadError, diagnostics: DiagnosticSink
  ) -> ControlGapFailure {
    diagnostics.error("cannot read file: \(error)", at: SourceLocation(path: displayPath))
    return ControlGapFailure(.missingInput, "cannot read aggregate \(displayPath)")
  }

  private func unusable(_ displayPath: String) -> ControlGapFailure {
    ControlGapFailure(.badInput, "cannot read aggregate \(displayPath)")
  }
}
