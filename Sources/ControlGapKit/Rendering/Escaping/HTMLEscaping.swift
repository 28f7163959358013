/// Escaping for text placed in HTML, in element content or in quoted attribute values.
public enum HTMLEscaping {
  /// Replaces `&`, `<`, `>`, `"` and `'` with character references.
  ///
  /// Control characters other than tab and line breaks, and the bidirectional embedding,
  /// override and isolate controls (U+202A–U+202E, U+2066–U+2069), are removed, so that no
  /// input can reorder what a reader sees around it. Right-to-left letters are kept.
  ///
  /// - Parameter text: Any text.
  /// - Returns: The text, safe to place between tags or inside quotes.
  public static func escape(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsWork) else { return text }
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
      case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{202A}"..."\u{202E}",
        "\u{2066}"..."\u{2069}":
        continue
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }

  private static func needsWork(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "&", "<", ">", "\"", "'": true
    case "\t", "\n", "\r": false
    case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
      true
    default: false
    }
  }
}
