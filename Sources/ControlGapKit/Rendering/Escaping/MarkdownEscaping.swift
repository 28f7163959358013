/// Escaping for text placed in GitHub-flavoured Markdown, in a paragraph or a table cell.
///
/// The result always stays on one line, so a table row cannot be broken, and it never holds
/// raw HTML other than the `<br>` that stands for a line break. It is not meant for code
/// spans, where backslashes and references show as written.
public enum MarkdownEscaping {
  /// Escapes text so that it reads literally.
  ///
  /// - Backslashes, backticks, `*`, `_`, `[`, `]`, `|`, `~` and `$` (math on GitHub) get a
  ///   backslash; `<`, `>` and `&` become `&lt;`, `&gt;` and `&amp;`.
  /// - A `#`, `+`, `-` or `=` that opens the text, or the `.` or `)` after a number that opens
  ///   it, gets a backslash, because the text may start a line where it would make a heading,
  ///   a list item or a heading underline.
  /// - Every line break (`\r\n`, `\r`, `\n`, vertical tab, form feed, U+0085, U+2028, U+2029)
  ///   becomes `<br>`; a tab becomes a space.
  /// - Other control characters and the bidirectional embedding, override and isolate
  ///   controls (U+202A–U+202E, U+2066–U+2069) are removed, so that no text can reorder what
  ///   follows it on the line. Right-to-left letters themselves are kept.
  ///
  /// - Parameter text: Any text.
  /// - Returns: The escaped text.
  public static func escape(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    let lineMarker = lineMarkerIndex(in: scalars)
    var escaped = ""
    escaped.reserveCapacity(scalars.count + 16)

    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      switch scalar {
      case "\r":
        if index < scalars.count, scalars[index] == "\n" {
          index += 1
        }
        escaped += "<br>"
      case "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
        escaped += "<br>"
      case "\t":
        escaped += " "
      case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{202A}"..."\u{202E}",
        "\u{2066}"..."\u{2069}":
        continue
      case "<":
        escaped += "&lt;"
      case ">":
        escaped += "&gt;"
      case "&":
        escaped += "&amp;"
      case "\\", "`", "*", "_", "[", "]", "|", "~", "$":
        escaped += "\\"
        escaped.unicodeScalars.append(scalar)
      default:
        if index - 1 == lineMarker {
          escaped += "\\"
        }
        escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }

  /// The index of the character that would make a heading, a list item or a heading underline
  /// if the text started a line.
  private static func lineMarkerIndex(in scalars: [Unicode.Scalar]) -> Int? {
    guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return nil }
    if "#+-=".unicodeScalars.contains(scalars[first]) {
      return first
    }

    // An ordered list item is up to nine digits, then `.` or `)`, then a space or the end.
    let digits = scalars[first...].prefix { ("0"..."9").contains($0) }.count
    let marker = first + digits
    guard (1...9).contains(digits), marker < scalars.count,
      scalars[marker] == "." || scalars[marker] == ")"
    else { return nil }
    let next = marker + 1
    guard next == scalars.count || scalars[next] == " " || scalars[next] == "\t" else {
      return nil
    }
    return marker
  }
}
