import Foundation

/// Where the executable writes: results on stdout, diagnostics and progress on stderr.
struct Terminal: Sendable {
  var quiet: Bool

  /// Progress is shown only to a person watching: stderr is a terminal and not `--quiet`.
  var showsProgress: Bool { !quiet && isatty(STDERR_FILENO) == 1 }

  func progress(_ step: String) {
    guard showsProgress else { return }
    FileHandle.standardError.write(
      Data("controlgap: \(Self.printable(step, lineBreaks: false))…\n".utf8))
  }

  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data((printable(text) + "\n").utf8))
  }

  /// Writes one line to stderr; a line break inside `text` is shown as `\n`, so that no input
  /// can make one problem look like two.
  static func err(_ text: String) {
    FileHandle.standardError.write(Data((printable(text, lineBreaks: false) + "\n").utf8))
  }

  /// Inputs may carry terminal control sequences and bidirectional overrides; they are
  /// replaced. Tabs pass; line breaks pass only where `lineBreaks` allows them.
  static func printable(_ text: String, lineBreaks: Bool = true) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0A where lineBreaks, 0x09:
        result.append(scalar)
      case 0x0A, 0x0D:
        result.append(contentsOf: "\\n".unicodeScalars)
      case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
        result.append("\u{FFFD}")
      default:
        result.append(scalar)
      }
    }
    return String(result)
  }

  /// A value placed in a tab-separated column: tabs and line breaks become spaces.
  static func field(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { [0x09, 0x0A, 0x0D].contains($0.value) ? " " : $0 }))
  }
}
