/// One record of a CSV file, lent by `CSVRecordReader` without copying its fields.
///
/// The field bytes live in the reader's buffer and are overwritten by the reader's next call:
/// use a record only until then, and copy out what must last with `string(at:)`.
public struct CSVRecord {
  /// The line on which the record starts, counting from 1.
  public let line: Int
  /// How many fields the record has; 0 when it was too long to keep.
  public let count: Int
  /// What is wrong with the record's syntax, if anything. The fields of a record with a
  /// problem are the reader's best guess and should not be trusted.
  public let problem: CSVProblem?
  private let base: UnsafePointer<UInt8>
  /// Start and end of each field, in pairs, as offsets from `base`.
  private let bounds: UnsafePointer<Int>

  init(
    line: Int, count: Int, problem: CSVProblem?, base: UnsafePointer<UInt8>,
    bounds: UnsafePointer<Int>
  ) {
    self.line = line
    self.count = count
    self.problem = problem
    self.base = base
    self.bounds = bounds
  }

  /// The bytes of a field, counting from 0, with the quoting removed.
  public subscript(field: Int) -> UnsafeRawBufferPointer {
    precondition(field >= 0 && field < count, "field \(field) of a record of \(count)")
    let start = bounds[2 * field]
    return UnsafeRawBufferPointer(start: base + start, count: bounds[2 * field + 1] - start)
  }

  /// A field as text, counting from 0.
  public func string(at field: Int) -> String {
    String(decoding: self[field], as: UTF8.self)
  }

  /// Every field as text.
  public var strings: [String] {
    (0..<count).map(string(at:))
  }
}

/// A way in which a CSV record breaks RFC 4180 or the reader's limits.
///
/// Fields count from 1, so that a diagnostic can give the field as its column.
public enum CSVProblem: Equatable, Sendable {
  /// A `"` inside a field that does not start with one.
  case quoteInUnquotedField(field: Int)
  /// Something other than a comma or a line break after a quoted field's closing quote.
  case textAfterClosingQuote(field: Int)
  /// The file ends inside a quoted field.
  case unterminatedQuotedField(field: Int)
  case invalidUTF8(field: Int)
  /// The record, without its line break, is longer than the reader keeps.
  case recordTooLong(limit: Int)

  /// The diagnostic's text.
  public var message: String {
    switch self {
    case .quoteInUnquotedField: "quote inside an unquoted field"
    case .textAfterClosingQuote: "characters after the closing quote of a field"
    case .unterminatedQuotedField: "quoted field is not closed before the end of the file"
    case .invalidUTF8: "field is not valid UTF-8"
    case .recordTooLong(let limit): "record is longer than \(limit) bytes"
    }
  }

  /// The field the problem is in, counting from 1; `nil` when it concerns the whole record.
  public var field: Int? {
    switch self {
    case .quoteInUnquotedField(let field), .textAfterClosingQuote(let field),
      .unterminatedQuotedField(let field), .invalidUTF8(let field):
      field
    case .recordTooLong: nil
    }
  }
}
