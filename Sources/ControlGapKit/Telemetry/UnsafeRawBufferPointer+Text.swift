/// Checks on raw field bytes that avoid making a `String` first.
extension UnsafeRawBufferPointer {
  /// Whether the bytes are well-formed UTF-8: no stray continuation bytes, no overlong forms,
  /// no surrogates and nothing above U+10FFFF.
  var isValidUTF8: Bool {
    guard let start = baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
    let count = self.count
    var index = 0
    while index < count {
      let lead = start[index]
      if lead < 0x80 {
        index += 1
        continue
      }

      // The allowed range of the second byte depends on the lead byte; this is how overlong
      // forms, surrogates and values past U+10FFFF are refused.
      let length: Int
      var low: UInt8 = 0x80
      var high: UInt8 = 0xBF
      switch lead {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        low = 0xA0
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        high = 0x9F
      case 0xF0:
        length = 4
        low = 0x90
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        high = 0x8F
      default: return false
      }
      guard index + length <= count, (low...high).contains(start[index + 1]) else { return false }
      for continuation in index + 2..<index + length where start[continuation] & 0xC0 != 0x80 {
        return false
      }
      index += length
    }
    return true
  }

  /// Whether the bytes spell `lowercase` when ASCII letters are folded to lowercase.
  /// `lowercase` must itself be lowercase ASCII.
  func equalsIgnoringASCIICase(_ lowercase: StaticString) -> Bool {
    guard count == lowercase.utf8CodeUnitCount else { return false }
    let expected = lowercase.utf8Start
    for index in 0..<count {
      var byte = self[index]
      if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
        byte |= 0x20
      }
      guard byte == expected[index] else { return false }
    }
    return true
  }

  /// The bytes as text for a diagnostic: decoded leniently, cut after 64 characters, with line
  /// breaks and other control characters written as escapes so that the message stays on one
  /// line.
  var quotedForMessage: String {
    let text = String(decoding: self, as: UTF8.self)
    var shown = ""
    var characters = 0
    for scalar in text.unicodeScalars {
      if characters == 64 {
        shown += "…"
        break
      }
      characters += 1
      switch scalar {
      case "\n": shown += "\\n"
      case "\r": shown += "\\r"
      case "\t": shown += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        shown += "\\u{" + String(scalar.value, radix: 16) + "}"
      default: shown.unicodeScalars.append(scalar)
      }
    }
    return "'\(shown)'"
  }
}
