#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a JSON Lines stream into lines, read in fixed-size chunks.
///
/// Lines end at LF; a CR before it is left to the JSON parser, which reads it as whitespace.
/// Blank lines are skipped, a UTF-8 byte-order mark at the start is ignored, and the last line
/// needs no line break. A line longer than the limit is skipped without being kept and
/// returned with `isTooLong` set.
final class JSONLinesReader {
  struct Line {
    /// The line number, counting from 1.
    var number: Int
    /// The line without its LF, valid until the next call; empty when the line is too long.
    var bytes: UnsafeRawBufferPointer
    var isTooLong: Bool
  }

  let maxLineBytes: Int
  private let input: ChunkedByteInput
  /// The number of the line at the reader's position.
  private var lineNumber = 1
  private var hasCheckedByteOrderMark = false

  init(input: ChunkedByteInput, maxLineBytes: Int) {
    self.input = input
    self.maxLineBytes = max(0, maxLineBytes)
  }

  /// Reads the next line that is not blank.
  ///
  /// - Returns: The line, valid until the next call; `nil` at the end of the input.
  /// - Throws: `InputReadError` when the input cannot be read.
  func nextLine() throws -> Line? {
    if !hasCheckedByteOrderMark {
      while input.end - input.start < 3, try input.refill(keepingFrom: input.start) {}
      let bytes = input.bytes + input.start
      if input.end - input.start >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
        input.start += 3
      }
      hasCheckedByteOrderMark = true
    }

    var lineStart = input.start
    var searchFrom = lineStart
    var isTooLong = false
    while true {
      let data = input.bytes
      let end = input.end
      var lineEnd = end
      var hasLineFeed = false
      if searchFrom < end, let found = memchr(data + searchFrom, 0x0A, end - searchFrom) {
        lineEnd = data.distance(to: found.assumingMemoryBound(to: UInt8.self))
        hasLineFeed = true
      }

      if hasLineFeed || input.isExhausted {
        if !hasLineFeed, lineStart == end {
          return nil
        }
        let number = lineNumber
        lineNumber += 1
        input.start = hasLineFeed ? lineEnd + 1 : lineEnd
        if isTooLong || lineEnd - lineStart > maxLineBytes {
          return Line(
            number: number, bytes: UnsafeRawBufferPointer(start: nil, count: 0),
            isTooLong: true)
        }
        let bytes = UnsafeRawBufferPointer(start: data + lineStart, count: lineEnd - lineStart)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
          lineStart = input.start
          searchFrom = lineStart
          continue
        }
        return Line(number: number, bytes: bytes, isTooLong: false)
      }

      // No line break yet: keep the line and read on, or drop what is kept of a line that is
      // already too long and only look for its end.
      if end - lineStart > maxLineBytes {
        isTooLong = true
      }
      let keep = isTooLong ? end : lineStart
      _ = try input.refill(keepingFrom: keep)
      lineStart -= keep
      searchFrom = end - keep
    }
  }
}
