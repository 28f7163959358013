import Foundation

/// Where the executable writes: results on stdout, diagnostics and progress on stderr.
struct Terminal {
  var quiet: Bool

  /// Progress is shown only to a person watching: stderr is a terminal and not `--quiet`.
  var showsProgress: Bool { !quiet && isatty(STDERR_FILENO) == 1 }

  func progress(_ step: String) {
    guard showsProgress else { return }
    FileHandle.standardError.write(Data("controlgap: \(step)…\n".utf8))
  }

  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data((printable(text) + "\n").utf8))
  }

  static func err(_ text: String) {
    FileHandle.standardError.write(Data((printable(text) + "\n").utf8))
  }

  /// Inputs may carry terminal control sequences; only line breaks and tabs pass through.
  static func printable(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { scalar in
          let value = scalar.value
          let control = value < 0x20 || (0x7F...0x9F).contains(value)
          return control && scalar != "\n" && scalar != "\t" ? "\u{FFFD}" : scalar
        }))
  }
}
