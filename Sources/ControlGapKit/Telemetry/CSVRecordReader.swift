/// Reads RFC 4180 CSV one record at a time from a stream read in fixed-size chunks.
///
/// Memory stays at one chunk plus the longest record allowed, whatever the size of the file.
/// Fields are not copied into strings: each record lends byte ranges into the reader's buffer
/// (see `CSVRecord`), and only the fields a caller asks for become text.
///
/// Besides RFC 4180 the reader accepts LF and lone CR line breaks as well as CRLF, a UTF-8
/// byte-order mark at the start, and a last record without a line break. Blank lines between
/// records are skipped. A record that breaks the syntax is still returned, with its
/// `problem` set; the reader then carries on at the next record, so one bad record never
/// hides the rest of the file.
public final class CSVRecordReader {
  /// The bytes asked for in one read.
  public static let defaultChunkSize = 1 << 20
  /// The longest record kept, in bytes without its line break.
  public static let defaultMaxRecordBytes = 1 << 20

  public let maxRecordBytes: Int
  private let input: ChunkedByteInput
  /// The line at the reader's position, counting from 1.
  private var line = 1
  /// Where in the stream the last CR was, so that the LF of a CRLF is not counted again.
  private var lastCarriageReturn = -2
  private var hasCheckedByteOrderMark = false
  /// Field bounds of the current record, in pairs; see `CSVRecord`.
  private var bounds: UnsafeMutablePointer<Int>
  private var boundsCapacity = 64
  /// `ByteClass` of every byte value, so that the scanning loops test one table entry.
  private let byteClasses: UnsafeMutablePointer<UInt8>

  /// Reads from an open file descriptor, which the caller keeps and closes.
  ///
  /// - Parameters:
  ///   - fileDescriptor: A descriptor open for reading.
  ///   - chunkSize: The bytes asked for in one read. Any size from 1 gives the same records.
  ///   - maxRecordBytes: The longest record kept; a longer one is skipped and reported.
  public convenience init(
    fileDescriptor: Int32, chunkSize: Int = defaultChunkSize,
    maxRecordBytes: Int = defaultMaxRecordBytes
  ) {
    self.init(
      input: ChunkedByteInput(
        fileDescriptor: fileDescriptor, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes),
      maxRecordBytes: maxRecordBytes)
  }

  /// Reads from bytes in memory, served a chunk at a time as a file would be.
  public convenience init(
    bytes: [UInt8], chunkSize: Int = defaultChunkSize, maxRecordBytes: Int = defaultMaxRecordBytes
  ) {
    self.init(
      input: ChunkedByteInput(bytes: bytes, chunkSize: chunkSize, maxKeptBytes: maxRecordBytes),
      maxRecordBytes: maxRecordBytes)
  }

  init(input: ChunkedByteInput, maxRecordBytes: Int) {
    self.input = input
    self.maxRecordBytes = max(0, maxRecordBytes)
    bounds = .allocate(capacity: boundsCapacity)
    byteClasses = .allocate(capacity: 256)
    byteClasses.initialize(repeating: ByteClass.plain, count: 256)
    byteClasses[Int(UInt8.comma)] = ByteClass.comma
    byteClasses[Int(UInt8.quote)] = ByteClass.quote
    byteClasses[Int(UInt8.carriageReturn)] = ByteClass.lineBreak
    byteClasses[Int(UInt8.lineFeed)] = ByteClass.lineBreak
    for byte in 0x80...0xFF {
      byteClasses[byte] = ByteClass.nonASCII
    }
  }

  deinit {
    bounds.deallocate()
    byteClasses.deallocate()
  }

  private enum State {
    /// Before a record, where line breaks are blank lines or the LF of a CRLF.
    case betweenRecords
    case fieldStart
    case unquoted
    case quoted
    /// Just after a quote inside a quoted field: the closing quote or the first of a pair.
    case afterQuote
    /// Inside a record too long to keep, looking for its end.
    case skipping
  }

  private enum ByteClass {
    static let plain: UInt8 = 0
    static let comma: UInt8 = 1
    static let quote: UInt8 = 2
    static let lineBreak: UInt8 = 3
    static let nonASCII: UInt8 = 4
  }

  /// Reads the next record.
  ///
  /// - Returns: The record, valid until the next call; `nil` at the end of the input.
  /// - Throws: `InputReadError` when the input cannot be read.
  public func nextRecord() throws -> CSVRecord? {
    if !hasCheckedByteOrderMark {
      try skipByteOrderMark()
      hasCheckedByteOrderMark = true
    }

    let data = input.bytes
    let classes = byteClasses
    var streamOffset = input.streamOffset
    var position = input.start
    var end = input.end
    var line = self.line
    var lastCarriageReturn = self.lastCarriageReturn
    var state = State.betweenRecords
    var recordStart = position
    var recordLine = line
    var fieldStart = position
    // Quoted fields are unescaped in place: `write` trails `position` once a doubled quote
    // has been folded into one.
    var write = position
    var fieldCount = 0
    var problem: CSVProblem?
    var sawNonASCII = false
    var skippingInsideQuotes = false
    var lineBreakLength = 0

    // Local copies: the loop below must not touch the class's stored properties per field.
    var bounds = self.bounds
    var boundsCapacity = self.boundsCapacity
    func appendField(_ start: Int, _ end: Int) {
      if 2 * fieldCount + 2 > boundsCapacity {
        growBounds()
        bounds = self.bounds
        boundsCapacity = self.boundsCapacity
      }
      bounds[2 * fieldCount] = start - recordStart
      bounds[2 * fieldCount + 1] = end - recordStart
      fieldCount += 1
    }

    /// Counts the line break at `position` and steps over it.
    func takeLineBreak() {
      if data[position] == .carriageReturn {
        line += 1
        lastCarriageReturn = streamOffset + position
      } else if lastCarriageReturn != streamOffset + position - 1 {
        line += 1
      }
      position += 1
    }

    scan: while true {
      if position == end {
        if state != .skipping, state != .betweenRecords, position - recordStart > maxRecordBytes {
          problem = .recordTooLong(limit: maxRecordBytes)
          skippingInsideQuotes = state == .quoted
          state = .skipping
        }
        let keep = state == .skipping || state == .betweenRecords ? position : recordStart
        let hasMore = try input.refill(keepingFrom: keep)
        streamOffset = input.streamOffset
        position -= keep
        recordStart -= keep
        fieldStart -= keep
        write -= keep
        end = input.end
        if hasMore { continue }

        switch state {
        case .betweenRecords:
          input.start = position
          self.line = line
          return nil
        case .fieldStart:
          appendField(position, position)
        case .unquoted:
          appendField(fieldStart, position)
        case .quoted:
          appendField(fieldStart, write)
          if problem == nil {
            problem = .unterminatedQuotedField(field: fieldCount)
          }
        case .afterQuote:
          appendField(fieldStart, write)
        case .skipping:
          break
        }
        break scan
      }

      switch state {
      case .betweenRecords:
        if classes[Int(data[position])] == ByteClass.lineBreak {
          takeLineBreak()
        } else {
          recordStart = position
          recordLine = line
          state = .fieldStart
        }

      case .fieldStart:
        switch data[position] {
        case .quote:
          position += 1
          fieldStart = position
          write = position
          state = .quoted
        case .comma:
          appendField(position, position)
          position += 1
        case .carriageReturn, .lineFeed:
          appendField(position, position)
          lineBreakLength = 1
          takeLineBreak()
          break scan
        default:
          fieldStart = position
          state = .unquoted
        }

      case .unquoted:
        while position < end {
          // Most bytes are ordinary: step over eight at a time to the first that might not be.
          while position &+ 8 <= end {
            let word = UnsafeRawPointer(data + position).loadUnaligned(as: UInt64.self)
            let candidates = Self.bytesBelowDashOrNonASCII(word)
            if candidates != 0 {
              position &+= candidates.trailingZeroBitCount &>> 3
              break
            }
            position &+= 8
          }
          guard position < end else { break }

          let byteClass = classes[Int(data[position])]
          if byteClass == ByteClass.plain {
            position &+= 1
            continue
          }
          switch byteClass {
          case ByteClass.comma:
            appendField(fieldStart, position)
            position += 1
            // Start the next field here when it is plainly unquoted, the usual case.
            if position < end, classes[Int(data[position])] == ByteClass.plain {
              fieldStart = position
              continue
            }
            state = .fieldStart
            continue scan
          case ByteClass.lineBreak:
            appendField(fieldStart, position)
            lineBreakLength = 1
            takeLineBreak()
            break scan
          case ByteClass.quote:
            if problem == nil {
              problem = .quoteInUnquotedField(field: fieldCount + 1)
            }
          default:
            sawNonASCII = true
          }
          position += 1
        }

      case .quoted:
        while position < end {
          let byte = data[position]
          let byteClass = classes[Int(byte)]
          if byteClass != ByteClass.plain {
            if byte == .quote {
              position += 1
              state = .afterQuote
              continue scan
            } else if byte == .carriageReturn {
              line += 1
              lastCarriageReturn = streamOffset + position
            } else if byte == .lineFeed {
              if lastCarriageReturn != streamOffset + position - 1 {
                line += 1
              }
            } else if byteClass == ByteClass.nonASCII {
              sawNonASCII = true
            }
          }
          data[write] = byte
          write &+= 1
          position &+= 1
        }

      case .afterQuote:
        switch data[position] {
        case .quote:
          data[write] = .quote
          write += 1
          position += 1
          state = .quoted
        case .comma:
          appendField(fieldStart, write)
          position += 1
          state = .fieldStart
        case .carriageReturn, .lineFeed:
          appendField(fieldStart, write)
          lineBreakLength = 1
          takeLineBreak()
          break scan
        default:
          if problem == nil {
            problem = .textAfterClosingQuote(field: fieldCount + 1)
          }
          state = .unquoted
        }

      case .skipping:
        // Quotes toggle: a doubled quote toggles twice, so only real field boundaries count.
        while position < end {
          switch data[position] {
          case .quote:
            skippingInsideQuotes.toggle()
            position += 1
          case .carriageReturn, .lineFeed:
            let endsRecord = !skippingInsideQuotes
            takeLineBreak()
            if endsRecord { break scan }
          default:
            position += 1
          }
        }
      }
    }

    input.start = position
    self.line = line
    self.lastCarriageReturn = lastCarriageReturn
    if state == .skipping || position - lineBreakLength - recordStart > maxRecordBytes {
      return CSVRecord(
        line: recordLine, count: 0, problem: .recordTooLong(limit: maxRecordBytes), base: data,
        bounds: bounds)
    }

    let record = CSVRecord(
      line: recordLine, count: fieldCount, problem: problem, base: data + recordStart,
      bounds: bounds)
    guard problem == nil, sawNonASCII else { return record }
    guard let field = (0..<fieldCount).first(where: { !record[$0].isValidUTF8 }) else {
      return record
    }
    return CSVRecord(
      line: recordLine, count: fieldCount, problem: .invalidUTF8(field: field + 1),
      base: data + recordStart, bounds: bounds)
  }

  /// A word with the high bit set in each byte that is below `-` (0x2D) or not ASCII, exact
  /// for the lowest such byte. Comma, quote, CR and LF are all below `-`, so no byte before the
  /// lowest flagged one needs a look; a flagged byte may still be ordinary, such as a space.
  @inline(__always)
  private static func bytesBelowDashOrNonASCII(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    return ((word &- ones &* 0x2D) & ~word | word) & highBits
  }

  private func growBounds() {
    let grown = UnsafeMutablePointer<Int>.allocate(capacity: boundsCapacity * 2)
    grown.update(from: bounds, count: boundsCapacity)
    bounds.deallocate()
    bounds = grown
    boundsCapacity *= 2
  }

  /// Steps over a UTF-8 byte-order mark at the very start of the stream.
  private func skipByteOrderMark() throws {
    while input.end - input.start < 3, try input.refill(keepingFrom: input.start) {}
    let bytes = input.bytes + input.start
    if input.end - input.start >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
      input.start += 3
    }
  }
}

extension UInt8 {
  static let comma = UInt8(ascii: ",")
  static let quote = UInt8(ascii: "\"")
  static let carriageReturn = UInt8(ascii: "\r")
  static let lineFeed = UInt8(ascii: "\n")
}
