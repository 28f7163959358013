/// Escaping for text written as a JSON string.
public enum JSONEscaping {
  /// The text as a JSON string literal, quotes included.
  ///
  /// Only what JSON requires is escaped: the double quote, the backslash and the control
  /// characters U+0000–U+001F. Everything else, letters outside ASCII included, is written as
  /// UTF-8, as exporters usually write it.
  ///
  /// - Parameter text: Any text.
  /// - Returns: `"…"`, ready to place as a JSON value or key.
  public static func escape(_ text: String) -> String {
    var escaped = "\""
    escaped.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\r": escaped += "\\r"
      case "\t": escaped += "\\t"
      case "\u{00}"..."\u{1F}":
        let hex = Array("0123456789abcdef")
        escaped +=
          "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped + "\""
  }
}
