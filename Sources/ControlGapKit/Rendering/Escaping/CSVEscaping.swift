/// Escaping for one field of a CSV file, as RFC 4180 writes it.
public enum CSVEscaping {
  /// The field as written: unchanged, or inside double quotes with each quote doubled when it
  /// holds a comma, a quote, a CR or an LF. Quoting only where needed keeps the plain values of
  /// a file byte for byte equal to what other CSV writers produce for them.
  public static func escape(_ field: String) -> String {
    guard
      field.utf8.contains(where: {
        $0 == .comma || $0 == .quote || $0 == .carriageReturn || $0 == .lineFeed
      })
    else { return field }
    var escaped = "\""
    for character in field.unicodeScalars {
      if character == "\"" {
        escaped += "\"\""
      } else {
        escaped.unicodeScalars.append(character)
      }
    }
    return escaped + "\""
  }
}
