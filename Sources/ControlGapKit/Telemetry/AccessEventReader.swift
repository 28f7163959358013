import Foundation

/// Reads the access events of one export file in a single streaming pass.
///
/// Events are handed to a closure as they are read, so a file of any size is never held in
/// memory. Each bad row is reported to the diagnostics sink as a warning with its line and,
/// where one field is at fault, its column, and counted; reading then carries on with the next
/// row. A bad row is a warning because the run goes on without it; one more than `maxBadRows`
/// is an error that stops the read. In CSV
/// files the column is the field's position in the row, counting from 1; in JSON Lines it is
/// the character where the value starts.
///
/// ```swift
/// let reader = AccessEventReader(
///   columns: EventColumnMap([.user: "actor.alternateId", .timestamp: "published"]),
///   maxBadRows: 100)
/// let summary = try reader.read(
///   file: url, displayPath: "events/okta.csv", diagnostics: sink
/// ) { event in
///   tally.add(event)
/// }
/// ```
public struct AccessEventReader: Sendable {
  /// How an export file is written.
  public enum Format: String, Sendable, CaseIterable {
    /// RFC 4180 CSV with a header row naming the columns.
    case csv
    /// One JSON object per line.
    case jsonLines

    /// The format announced by a file name's extension: `.csv`, `.jsonl` or `.ndjson`, in any
    /// letter case.
    public init?(path: String) {
      switch (path as NSString).pathExtension.lowercased() {
      case "csv": self = .csv
      case "jsonl", "ndjson": self = .jsonLines
      default: return nil
      }
    }
  }

  /// What one read produced.
  public struct ReadSummary: Equatable, Sendable {
    /// Events handed to the closure.
    public var events: Int
    /// Rows reported and left out.
    public var badRows: Int

    public init(events: Int = 0, badRows: Int = 0) {
      self.events = events
      self.badRows = badRows
    }
  }

  public var columns: EventColumnMap
  /// The bad rows tolerated in one file; one more stops the read. `nil` tolerates any number.
  public var maxBadRows: Int?
  /// The bytes asked for in one read from the file.
  public var chunkSize: Int
  /// The longest row or line read, in bytes; longer ones are reported as bad rows.
  public var maxRecordBytes: Int

  public init(
    columns: EventColumnMap = .standard, maxBadRows: Int? = nil,
    chunkSize: Int = CSVRecordReader.defaultChunkSize,
    maxRecordBytes: Int = CSVRecordReader.defaultMaxRecordBytes
  ) {
    self.columns = columns
    self.maxBadRows = maxBadRows
    self.chunkSize = chunkSize
    self.maxRecordBytes = maxRecordBytes
  }

  /// Reads every event of an export file.
  ///
  /// - Parameters:
  ///   - file: The file to read.
  ///   - displayPath: The path diagnostics name, as the user knows the file.
  ///   - format: How the file is written; `nil` decides by its extension.
  ///   - diagnostics: Receives every problem found.
  ///   - body: Called with each good event, in file order. An error it throws ends the read.
  /// - Returns: How many events were read and how many rows were bad.
  /// - Throws: `ControlGapFailure` when the file cannot be opened or read (`.missingInput`),
  ///   when its format is unknown, its CSV header unusable, or it has more than `maxBadRows`
  ///   bad rows (`.badInput`); each is reported first. Errors from `body` pass through.
  @discardableResult
  public func read(
    file: URL, displayPath: String, format: Format? = nil, diagnostics: DiagnosticSink,
    _ body: (AccessEvent) throws -> Void
  ) throws -> ReadSummary {
    let strings = AccessEventStrings()
    return try readRaw(
      file: file, displayPath: displayPath, format: format, diagnostics: diagnostics
    ) { try body(strings.event(from: $0)) }
  }

  /// Reads every event from bytes in memory, as `read(file:…)` reads a file.
  @discardableResult
  public func read(
    bytes: [UInt8], displayPath: String, format: Format, diagnostics: DiagnosticSink,
    _ body: (AccessEvent) throws -> Void
  ) throws -> ReadSummary {
    let strings = AccessEventStrings()
    return try readRaw(
      bytes: bytes, displayPath: displayPath, format: format, diagnostics: diagnostics
    ) { try body(strings.event(from: $0)) }
  }

  /// Reads every event of an export file as `read(file:…)` does, lending each one with its
  /// text still in the reader's buffer rather than as an `AccessEvent`.
  func readRaw(
    file: URL, displayPath: String, format: Format? = nil, diagnostics: DiagnosticSink,
    _ body: (RawAccessEvent) throws -> Void
  ) throws -> ReadSummary {
    guard let format = format ?? Format(path: file.path) else {
      diagnostics.error(
        "cannot tell the format from the file name; expected .csv, .jsonl or .ndjson",
        at: SourceLocation(path: displayPath))
      throw ControlGapFailure(.badInput, "unknown format of access events \(displayPath)")
    }

    let descriptor = try RegularFile.open(
      file, displayPath: displayPath, what: "access events", diagnostics: diagnostics)
    defer { close(descriptor) }

    let input = ChunkedByteInput(
      fileDescriptor: descriptor, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes)
    do {
      return try read(
        input, displayPath: displayPath, format: format, diagnostics: diagnostics, body)
    } catch let error as InputReadError {
      throw cannotRead(displayPath, error, diagnostics: diagnostics)
    }
  }

  /// Reads every event from bytes in memory as `readRaw(file:…)` reads a file.
  func readRaw(
    bytes: [UInt8], displayPath: String, format: Format, diagnostics: DiagnosticSink,
    _ body: (RawAccessEvent) throws -> Void
  ) throws -> ReadSummary {
    let input = ChunkedByteInput(bytes: bytes, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes)
    return try read(input, displayPath: displayPath, format: format, diagnostics: diagnostics, body)
  }

  private func read(
    _ input: ChunkedByteInput, displayPath: String, format: Format, diagnostics: DiagnosticSink,
    _ body: (RawAccessEvent) throws -> Void
  ) throws -> ReadSummary {
    var rows = RowTally(displayPath: displayPath, maxBadRows: maxBadRows, diagnostics: diagnostics)
    switch format {
    case .csv:
      let records = CSVRecordReader(input: input, maxRecordBytes: maxRecordBytes)
      try CSVEventReading(columns: columns, displayPath: displayPath, diagnostics: diagnostics)
        .read(records, rows: &rows, body)
    case .jsonLines:
      let lines = JSONLinesReader(input: input, maxLineBytes: maxRecordBytes)
      try JSONLinesEventReading(
        columns: columns, displayPath: displayPath, diagnostics: diagnostics
      )
      .read(lines, rows: &rows, body)
    }
    return rows.summary
  }

  private func cannotRead(
    _ displayPath: String, _ error: InputReadError, diagnostics: DiagnosticSink
  ) -> ControlGapFailure {
    diagnostics.error("cannot read file: \(error)", at: SourceLocation(path: displayPath))
    return ControlGapFailure(.missingInput, "cannot read access events \(displayPath)")
  }
}

/// The count of good events and bad rows in one file, which stops the read when bad rows pass
/// the limit.
struct RowTally {
  let displayPath: String
  let maxBadRows: Int?
  let diagnostics: DiagnosticSink
  private(set) var summary = AccessEventReader.ReadSummary()

  init(displayPath: String, maxBadRows: Int?, diagnostics: DiagnosticSink) {
    self.displayPath = displayPath
    self.maxBadRows = maxBadRows
    self.diagnostics = diagnostics
  }

  mutating func countEvent() {
    summary.events += 1
  }

  /// Counts a bad row, already reported, that starts at `line`.
  ///
  /// - Throws: `ControlGapFailure(.badInput)` once the bad rows are more than `maxBadRows`.
  mutating func countBadRow(at line: Int) throws {
    summary.badRows += 1
    guard let maxBadRows, summary.badRows > maxBadRows else { return }
    diagnostics.error(
      "more than \(maxBadRows) bad \(maxBadRows == 1 ? "row" : "rows"); stopping",
      at: SourceLocation(path: displayPath, line: line))
    throw ControlGapFailure(.badInput, "too many bad rows in access events \(displayPath)")
  }
}
