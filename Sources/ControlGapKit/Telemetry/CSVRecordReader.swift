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
    // Only fields with a byte that is not ASCII need checking as UTF-8: one bit per field,
    // the last standing for every field from there on.
    var nonASCIIFields: UInt64 = 0
    var skippingInsideQuotes = false
    var skippingAtFieldStart = false
    var skippingAfterQuote = false
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
          skippingAtFieldStart = state == .fieldStart
          skippingAfterQuote = state == .afterQuote
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
          // Eight bytes at a time. Fields are short, so a word often holds several commas:
          // each ends a field here, and only another kind of stop leaves for the byte below.
          words: while position &+ 8 <= end {
            let word = UnsafeRawPointer(data + position).loadUnaligned(as: UInt64.self)
            let commas = Self.matchingBytes(word, .comma)
            var stops = Self.unquotedFieldStops(word, commas: commas)
            while stops != 0 {
              let lowest = stops & (0 &- stops)
              let stop = position &+ (lowest.trailingZeroBitCount &>> 3)
              guard commas & lowest != 0 else {
                position = stop
                break words
              }
              appendField(fieldStart, stop)
              fieldStart = stop &+ 1
              stops ^= lowest
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
            fieldStart = position
            continue
          case ByteClass.lineBreak:
            appendField(fieldStart, position)
            lineBreakLength = 1
            takeLineBreak()
            break scan
          case ByteClass.quote:
            // A quote that opens a field makes it a quoted one.
            if position == fieldStart {
              position += 1
              fieldStart = position
              write = position
              state = .quoted
              continue scan
            }
            if problem == nil {
              problem = .quoteInUnquotedField(field: fieldCount + 1)
            }
          default:
            nonASCIIFields |= 1 &<< min(fieldCount, 63)
          }
          position += 1
        }

      case .quoted:
        while position < end {
          // Eight ordinary bytes at a time, moved down to `write` once a doubled quote has
          // opened a gap; the byte loop below takes the first byte that needs a look.
          while position &+ 8 <= end {
            let word = UnsafeRawPointer(data + position).loadUnaligned(as: UInt64.self)
            let stops = Self.quotedFieldStops(word)
            if stops != 0 {
              let ordinary = stops.trailingZeroBitCount &>> 3
              if write != position {
                for offset in 0..<ordinary {
                  data[write &+ offset] = data[position &+ offset]
                }
              }
              position &+= ordinary
              write &+= ordinary
              break
            }
            if write != position {
              UnsafeMutableRawPointer(data + write).storeBytes(of: word, as: UInt64.self)
            }
            position &+= 8
            write &+= 8
          }
          guard position < end else { break }

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
              nonASCIIFields |= 1 &<< min(fieldCount, 63)
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
        // The same quoting rules as a kept record, so that the record ends where it would have:
        // a quote opens a quoted field only at the field's start (or as the second of a pair),
        // and a stray quote inside an unquoted field is just a character.
        while position < end {
          let byte: UInt8 = data[position]
          if byte == UInt8.quote {
            if skippingInsideQuotes {
              skippingInsideQuotes = false
              skippingAfterQuote = true
            } else {
              skippingInsideQuotes = skippingAtFieldStart || skippingAfterQuote
              skippingAfterQuote = false
            }
            skippingAtFieldStart = false
            position += 1
          } else if byte == UInt8.carriageReturn || byte == UInt8.lineFeed {
            let endsRecord = !skippingInsideQuotes
            skippingAfterQuote = false
            takeLineBreak()
            if endsRecord { break scan }
          } else {
            if !skippingInsideQuotes {
              skippingAtFieldStart = byte == UInt8.comma
            }
            skippingAfterQuote = false
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
    guard problem == nil, nonASCIIFields != 0 else { return record }
    let checked = (0..<fieldCount).first { field in
      nonASCIIFields & (1 &<< min(field, 63)) != 0 && !record[field].isValidUTF8
    }
    guard let field = checked else {
      return record
    }
    return CSVRecord(
      line: recordLine, count: fieldCount, problem: .invalidUTF8(field: field + 1),
      base: data + recordStart, bounds: bounds)
  }

  /// A word with the high bit set in each byte that ends a run of ordinary bytes in an
  /// unquoted field: comma, quote, CR, LF, or a byte that is not ASCII. Exact for every byte, so
  /// that spaces and signs, common in names and time zones, never stop the scan.
  ///
  /// - Parameter commas: `matchingBytes(word, .comma)`, which the caller needs as well.
  @inline(__always)
  private static func unquotedFieldStops(_ word: UInt64, commas: UInt64) -> UInt64 {
    commas | quotedFieldStops(word)
  }

  /// As `unquotedFieldStops(_:commas:)` for the inside of a quoted field, where a comma is
  /// ordinary.
  @inline(__always)
  private static func quotedFieldStops(_ word: UInt64) -> UInt64 {
    matchingBytes(word, .quote) | matchingBytes(word, .carriageReturn)
      | matchingBytes(word, .lineFeed) | word & 0x8080_8080_8080_8080
  }

  /// A word with the high bit set in each byte of `word` equal to `byte`, and no other bit.
  @inline(__always)
  private static func matchingBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
    let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let difference = word ^ 0x0101_0101_0101_0101 &* UInt64(byte)
    // Adding the low bits sets a byte's high bit when any of its low bits is set; no carry
    // crosses into the next byte.
    return ~((difference & lowBits &+ lowBits) | difference) & ~lowBits
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
