/// The text of one template, kept so that positions are turned into lines and columns only
/// when a message needs them.
final class MustacheSource: Sendable {
  let name: String
  let scalars: [Unicode.Scalar]

  init(name: String, text: String) {
    self.name = name
    self.scalars = Array(text.unicodeScalars)
  }

  /// The line and column, counted in characters from 1, of a scalar offset.
  func location(at offset: Int) -> SourceLocation {
    var line = 1
    var lineStart = 0
    for index in 0..<min(offset, scalars.count) where scalars[index] == "\n" {
      line += 1
      lineStart = index + 1
    }
    let before = String(String.UnicodeScalarView(scalars[lineStart..<offset]))
    return SourceLocation(path: name, line: line, column: before.count + 1)
  }
}

/// Where a tag starts, for messages raised while rendering.
struct MustacheTagPosition: Sendable {
  let source: MustacheSource
  let offset: Int

  var location: SourceLocation { source.location(at: offset) }
}

/// A name in a tag: `.` for the top of the context stack, or keys separated by periods.
struct MustacheName: Equatable, Sendable {
  /// The name as written, trimmed.
  let text: String
  /// The keys to look up one after the other; empty for `.`.
  let keys: [String]

  init(_ text: String) {
    self.text = text
    self.keys =
      text == "."
      ? []
      : text.split(separator: ".", omittingEmptySubsequences: false)
        .map(String.init)
  }
}

/// The template a partial or parent tag includes: named in the tag, or, after an asterisk,
/// named by a value in the context.
enum MustacheTemplateReference: Sendable {
  case fixed(String)
  case dynamic(MustacheName)
}

/// A section or inverted section.
struct MustacheSection: Sendable {
  let name: MustacheName
  let isInverted: Bool
  let content: [MustacheNode]
  let position: MustacheTagPosition
}

/// A partial or parent tag: another template rendered in place.
struct MustacheInclusion: Sendable {
  /// `.partial` or `.parent`, for messages.
  let role: MustacheError.TagRole
  let reference: MustacheTemplateReference
  /// The whitespace before a standalone tag, which indents every line of the included
  /// template; `nil` for a tag inside a line.
  let indentation: String?
  /// The blocks a parent tag replaces; always empty for a partial.
  let arguments: [String: MustacheBlock]
  let position: MustacheTagPosition
}

/// A block: a part of a template that a parent tag can replace by name.
struct MustacheBlock: Sendable {
  let name: String
  /// The indentation of the block's lines where it is written; see `MustacheParser`.
  let indentation: String
  /// Whether the opening tag stood alone on its line, so the content starts a line.
  let isStandalone: Bool
  let content: [MustacheNode]
  let position: MustacheTagPosition
}

/// One element of a parsed template.
enum MustacheNode: Sendable {
  /// Literal text holding at most one line break, at its end. `startsLine` says the text
  /// begins a line of the template, where block indentation can be removed.
  case text(String, startsLine: Bool)
  case variable(MustacheName, isEscaped: Bool)
  case section(MustacheSection)
  case inclusion(MustacheInclusion)
  case block(MustacheBlock)
}
