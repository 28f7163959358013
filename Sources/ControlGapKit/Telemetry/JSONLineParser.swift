#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One `"key": value` pair at the top level of a JSON Lines object.
struct JSONMember {
  enum Kind {
    case string, number, boolean, null, object, array
  }

  /// The key with its escapes decoded.
  var key: UnsafeRawBufferPointer
  /// Where the key's opening quote is in the line, in bytes.
  var keyOffset: Int
  /// Strings with their escapes decoded; numbers and booleans as written; empty otherwise.
  var value: UnsafeRawBufferPointer
  /// Where the value starts in the line, in bytes.
  var valueOffset: Int
  var kind: Kind
}

/// Why a line is not a JSON object, and where in the line, in bytes.
struct JSONLineProblem: Error {
  var message: String
  var offset: Int
}

/// Reads one line of JSON Lines as an object and lists its top-level members.
///
/// Nested objects and arrays are checked but not kept, without recursion, so deep nesting
/// cannot exhaust the stack. Strings without escapes point into the line; strings with
/// escapes are decoded into `scratch`, which must hold as many bytes as the line.
struct JSONLineParser {
  private let text: UnsafePointer<UInt8>
  private let count: Int
  private var index = 0
  private let scratch: UnsafeMutablePointer<UInt8>
  private var scratchUsed = 0
  /// Closing brackets of the nested containers being skipped, innermost last.
  private var closers: [UInt8] = []

  init(line: UnsafeRawBufferPointer, scratch: UnsafeMutablePointer<UInt8>) {
    text = line.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(scratch)
    count = line.count
    self.scratch = scratch
  }

  /// Parses the line, which must hold one JSON object, and appends its members.
  mutating func parseObject(into members: inout [JSONMember]) throws(JSONLineProblem) {
    skipWhitespace()
    let start = index
    guard peek == UInt8(ascii: "{") else {
      try skipValue()
      try expectEnd(after: "value")
      throw JSONLineProblem(message: "not a JSON object", offset: start)
    }
    index += 1
    skipWhitespace()
    if peek == UInt8(ascii: "}") {
      index += 1
    } else {
      while true {
        let keyOffset = index
        let key = try key()
        skipWhitespace()
        let valueOffset = index
        let (value, kind) = try memberValue()
        members.append(
          JSONMember(
            key: key, keyOffset: keyOffset, value: value, valueOffset: valueOffset, kind: kind))
        skipWhitespace()
        if peek == UInt8(ascii: ",") {
          index += 1
          skipWhitespace()
        } else if peek == UInt8(ascii: "}") {
          index += 1
          break
        } else {
          throw invalid("expected ',' or '}' after a value")
        }
      }
    }
    try expectEnd(after: "object")
  }

  // MARK: Values

  private var peek: UInt8? {
    index < count ? text[index] : nil
  }

  private func invalid(_ message: String) -> JSONLineProblem {
    JSONLineProblem(message: "invalid JSON: " + message, offset: index)
  }

  private mutating func expectEnd(after what: String) throws(JSONLineProblem) {
    skipWhitespace()
    guard index == count else { throw invalid("text after the \(what)") }
  }

  private mutating func skipWhitespace() {
    while index < count {
      switch text[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  /// A member's key and the colon after it.
  private mutating func key() throws(JSONLineProblem) -> UnsafeRawBufferPointer {
    guard peek == UInt8(ascii: "\"") else { throw invalid("expected a key in double quotes") }
    let key = try string()
    skipWhitespace()
    guard peek == UInt8(ascii: ":") else { throw invalid("expected ':' after the key") }
    index += 1
    return key
  }

  private mutating func memberValue() throws(JSONLineProblem) -> (
    UnsafeRawBufferPointer, JSONMember.Kind
  ) {
    let empty = UnsafeRawBufferPointer(start: text + index, count: 0)
    switch peek {
    case UInt8(ascii: "{"):
      try skipValue()
      return (empty, .object)
    case UInt8(ascii: "["):
      try skipValue()
      return (empty, .array)
    default:
      return try scalar()
    }
  }

  /// A string, number, boolean or null.
  private mutating func scalar() throws(JSONLineProblem) -> (
    UnsafeRawBufferPointer, JSONMember.Kind
  ) {
    let start = index
    guard let first = peek else { throw invalid("expected a value") }
    switch first {
    case UInt8(ascii: "\""):
      return (try string(), .string)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try number()
      return (UnsafeRawBufferPointer(start: text + start, count: index - start), .number)
    default:
      if matches("true") || matches("false") {
        return (UnsafeRawBufferPointer(start: text + start, count: index - start), .boolean)
      } else if matches("null") {
        return (UnsafeRawBufferPointer(start: text + start, count: 0), .null)
      }
      throw invalid("expected a value")
    }
  }

  /// Steps over `word` when the text continues with it.
  private mutating func matches(_ word: StaticString) -> Bool {
    let length = word.utf8CodeUnitCount
    guard count - index >= length, memcmp(text + index, word.utf8Start, length) == 0 else {
      return false
    }
    index += length
    return true
  }

  private mutating func number() throws(JSONLineProblem) {
    func isDigit(_ byte: UInt8?) -> Bool {
      byte.map { (0x30...0x39).contains($0) } ?? false
    }
    func digits() throws(JSONLineProblem) {
      guard isDigit(peek) else { throw invalid("invalid number") }
      while isDigit(peek) { index += 1 }
    }

    if peek == UInt8(ascii: "-") { index += 1 }
    if peek == UInt8(ascii: "0") {
      index += 1
    } else {
      try digits()
    }
    if peek == UInt8(ascii: ".") {
      index += 1
      try digits()
    }
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      index += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
      try digits()
    }
  }

  /// Any value, checked and stepped over. Containers are followed with an explicit stack.
  private mutating func skipValue() throws(JSONLineProblem) {
    closers.removeAll(keepingCapacity: true)
    var expectsValue = true
    while true {
      if expectsValue {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "{"):
          index += 1
          skipWhitespace()
          if peek == UInt8(ascii: "}") {
            index += 1
          } else {
            closers.append(UInt8(ascii: "}"))
            _ = try key()
            continue
          }
        case UInt8(ascii: "["):
          index += 1
          skipWhitespace()
          if peek == UInt8(ascii: "]") {
            index += 1
          } else {
            closers.append(UInt8(ascii: "]"))
            continue
          }
        default:
          _ = try scalar()
        }
        expectsValue = false
      }

      guard let closer = closers.last else { return }
      skipWhitespace()
      if peek == UInt8(ascii: ",") {
        index += 1
        if closer == UInt8(ascii: "}") {
          skipWhitespace()
          _ = try key()
        }
        expectsValue = true
      } else if peek == closer {
        index += 1
        closers.removeLast()
      } else if closer == UInt8(ascii: "}") {
        throw invalid("expected ',' or '}' after a value")
      } else {
        throw invalid("expected ',' or ']' after an array element")
      }
    }
  }

  // MARK: Strings

  /// A string starting at its opening quote, with escapes decoded.
  private mutating func string() throws(JSONLineProblem) -> UnsafeRawBufferPointer {
    let openingQuote = index
    index += 1
    let start = index
    var hasNonASCII = false
    while index < count {
      let byte = text[index]
      if byte == UInt8(ascii: "\"") {
        break
      } else if byte == UInt8(ascii: "\\") {
        return try escapedString(from: start, openingQuote: openingQuote)
      } else if byte < 0x20 {
        throw invalid("control character in a string")
      } else if byte >= 0x80 {
        hasNonASCII = true
      }
      index += 1
    }
    guard index < count else {
      throw JSONLineProblem(
        message: "invalid JSON: string is not closed before the end of the line",
        offset: openingQuote)
    }
    let value = UnsafeRawBufferPointer(start: text + start, count: index - start)
    index += 1
    guard !hasNonASCII || value.isValidUTF8 else {
      throw JSONLineProblem(message: "string is not valid UTF-8", offset: openingQuote)
    }
    return value
  }

  /// The rest of a string that has escapes, decoded into `scratch`.
  private mutating func escapedString(
    from start: Int, openingQuote: Int
  ) throws(JSONLineProblem) -> UnsafeRawBufferPointer {
    let decodedStart = scratchUsed
    func append(_ byte: UInt8) {
      scratch[scratchUsed] = byte
      scratchUsed += 1
    }

    var hasNonASCII = false
    for offset in start..<index {
      hasNonASCII = hasNonASCII || text[offset] >= 0x80
      append(text[offset])
    }
    while index < count {
      let byte = text[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        let value = UnsafeRawBufferPointer(
          start: scratch + decodedStart, count: scratchUsed - decodedStart)
        guard !hasNonASCII || value.isValidUTF8 else {
          throw JSONLineProblem(message: "string is not valid UTF-8", offset: openingQuote)
        }
        return value
      } else if byte < 0x20 {
        throw invalid("control character in a string")
      } else if byte != UInt8(ascii: "\\") {
        hasNonASCII = hasNonASCII || byte >= 0x80
        append(byte)
        index += 1
        continue
      }

      guard index + 1 < count else { break }
      let escape = index
      index += 2
      switch text[escape + 1] {
      case UInt8(ascii: "\""): append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"))
      case UInt8(ascii: "/"): append(UInt8(ascii: "/"))
      case UInt8(ascii: "b"): append(0x08)
      case UInt8(ascii: "f"): append(0x0C)
      case UInt8(ascii: "n"): append(0x0A)
      case UInt8(ascii: "r"): append(0x0D)
      case UInt8(ascii: "t"): append(0x09)
      case UInt8(ascii: "u"):
        guard let scalar = unicodeEscape() else {
          throw JSONLineProblem(message: "invalid JSON: invalid \\u escape", offset: escape)
        }
        for byte in UTF8.encode(scalar)! {
          append(byte)
        }
      default:
        throw JSONLineProblem(message: "invalid JSON: invalid escape sequence", offset: escape)
      }
    }
    throw JSONLineProblem(
      message: "invalid JSON: string is not closed before the end of the line",
      offset: openingQuote)
  }

  /// The scalar of a `\uXXXX` escape whose `\u` has been read, joining a surrogate pair.
  private mutating func unicodeEscape() -> Unicode.Scalar? {
    guard let first = hexQuad() else { return nil }
    switch first {
    case 0xD800...0xDBFF:
      guard count - index >= 2, text[index] == UInt8(ascii: "\\"),
        text[index + 1] == UInt8(ascii: "u")
      else { return nil }
      index += 2
      guard let second = hexQuad(), (0xDC00...0xDFFF).contains(second) else { return nil }
      return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    case 0xDC00...0xDFFF:
      return nil
    default:
      return Unicode.Scalar(first)
    }
  }

  private mutating func hexQuad() -> UInt32? {
    guard count - index >= 4 else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = text[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }
}
