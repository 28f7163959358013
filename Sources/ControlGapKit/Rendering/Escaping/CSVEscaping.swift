/// Escaping for one field of an RFC 4180 CSV record.
public enum CSVEscaping {
  /// Quotes the field when it holds a comma, a double quote or a line break, doubling each
  /// double quote inside; any other text is returned as it is.
  ///
  /// Fields are quoted only when they must be, as most exports write them, so that the plain
  /// values a reader meets most often need no unquoting.
  ///
  /// - Parameter text: Any text.
  /// - Returns: The field as it goes between commas.
  public static func escape(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsQuotes) else { return text }
    var quoted = "\""
    quoted.reserveCapacity(text.utf8.count + 4)
    for scalar in text.unicodeScalars {
      if scalar == "\"" {
        quoted += "\"\""
      } else {
        quoted.unicodeScalars.append(scalar)
      }
    }
    return quoted + "\""
  }

  private static func needsQuotes(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "," || scalar == "\"" || scalar == "\r" || scalar == "\n"
  }
}
