/// Escaping for text placed in HTML, in element content or in quoted attribute values.
public enum HTMLEscaping {
  /// Replaces `&`, `<`, `>`, `"` and `'` with character references; everything else is kept.
  ///
  /// - Parameter text: Any text.
  /// - Returns: The text, safe to place between tags or inside quotes.
  public static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { "&<>\"'".utf8.contains($0) }) else { return text }
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }
}
