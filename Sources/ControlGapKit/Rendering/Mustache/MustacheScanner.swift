/// A tag as the scanner reads it, before standalone lines are known.
enum MustacheTag: Sendable {
  case variable(MustacheName, isEscaped: Bool)
  case comment
  case setDelimiters
  case section(MustacheName, isInverted: Bool)
  case parent(MustacheTemplateReference, name: String)
  case block(String)
  case partial(MustacheTemplateReference, name: String)
  /// A closing tag, with the role of the tag it closes.
  case close(String, closing: MustacheError.TagRole)
}

/// One piece of a template in source order.
struct MustacheToken: Sendable {
  enum Content: Sendable {
    /// Literal text holding at most one line break, at its end.
    case text(String, startsLine: Bool)
    case tag(MustacheTag)
  }

  var content: Content
  /// Scalar offsets of the first scalar and of the one just past the token.
  var start: Int
  var end: Int
  /// For a tag, the whitespace between the start of its line and the tag, when nothing else
  /// comes before it on that line.
  var leadingWhitespace: String?
  /// For a tag, whether it stands alone on its line; for text, whether it was removed because
  /// its line holds a standalone tag.
  var isStandalone = false
}

/// Splits a template into text and tags, following set-delimiter tags and checking that every
/// section, parent and block is closed in order.
struct MustacheScanner {
  private let source: MustacheSource
  private var scalars: [Unicode.Scalar] { source.scalars }
  private var opening: [Unicode.Scalar] = ["{", "{"]
  private var closing: [Unicode.Scalar] = ["}", "}"]
  private var position = 0
  private var tokens: [MustacheToken] = []
  private var openTags: [(role: MustacheError.TagRole, name: String, offset: Int)] = []

  init(source: MustacheSource) {
    self.source = source
  }

  /// Reads the whole template.
  ///
  /// - Returns: The tokens in source order.
  /// - Throws: `MustacheError` for a malformed tag or an unbalanced section.
  mutating func scan() throws(MustacheError) -> [MustacheToken] {
    while position < scalars.count {
      guard let tagStart = find(opening, from: position) else {
        appendText(upTo: scalars.count)
        break
      }
      appendText(upTo: tagStart)
      try scanTag(at: tagStart)
    }
    if let innermost = openTags.last {
      throw error(.unclosedSection(innermost.role, name: innermost.name), at: innermost.offset)
    }
    return tokens
  }

  private mutating func scanTag(at start: Int) throws(MustacheError) {
    var cursor = start + opening.count
    while cursor < scalars.count, scalars[cursor] == " " || scalars[cursor] == "\t" {
      cursor += 1
    }
    guard cursor < scalars.count else { throw error(.unclosedTag, at: start) }

    let sigil = scalars[cursor]
    // A triple mustache ends with a brace before the closing delimiter.
    let terminator = sigil == "{" ? ["}"] + closing : closing
    let contentStart = "{&#^/><$!=".unicodeScalars.contains(sigil) ? cursor + 1 : cursor
    guard let contentEnd = find(terminator, from: contentStart) else {
      throw error(.unclosedTag, at: start)
    }
    let content = text(contentStart..<contentEnd)
    let end = contentEnd + terminator.count

    let tag: MustacheTag
    switch sigil {
    case "!":
      tag = .comment
    case "=":
      try setDelimiters(content, tagStart: start)
      tag = .setDelimiters
    case "{", "&":
      tag = .variable(MustacheName(try name(content, tagStart: start)), isEscaped: false)
    case "#", "^":
      let name = try name(content, tagStart: start)
      try open(.section, name: name, at: start)
      tag = .section(MustacheName(name), isInverted: sigil == "^")
    case "<":
      let (reference, name) = try reference(content, tagStart: start)
      try open(.parent, name: name, at: start)
      tag = .parent(reference, name: name)
    case "$":
      let name = try name(content, tagStart: start)
      try open(.block, name: name, at: start)
      tag = .block(name)
    case ">":
      let (reference, name) = try reference(content, tagStart: start)
      tag = .partial(reference, name: name)
    case "/":
      let name = try referenceName(content, tagStart: start)
      tag = .close(name, closing: try close(name, at: start))
    default:
      tag = .variable(MustacheName(try name(content, tagStart: start)), isEscaped: true)
    }
    tokens.append(MustacheToken(content: .tag(tag), start: start, end: end))
    position = end
  }

  // MARK: - Names

  private func name(_ content: String, tagStart: Int) throws(MustacheError) -> String {
    let name = content.trimmingWhitespace()
    guard !name.isEmpty else { throw error(.missingName, at: tagStart) }
    return name
  }

  /// The name in a partial, parent or closing tag, with a leading asterisk kept but the
  /// spaces after it removed, so that `{{< * name }}` is closed by `{{/*name}}`.
  private func referenceName(_ content: String, tagStart: Int) throws(MustacheError) -> String {
    let name = try name(content, tagStart: tagStart)
    guard name.hasPrefix("*") else { return name }
    return "*" + (try self.name(String(name.dropFirst()), tagStart: tagStart))
  }

  private func reference(
    _ content: String, tagStart: Int
  ) throws(MustacheError) -> (MustacheTemplateReference, String) {
    let name = try referenceName(content, tagStart: tagStart)
    guard name.hasPrefix("*") else { return (.fixed(name), name) }
    return (.dynamic(MustacheName(String(name.dropFirst()))), name)
  }

  // MARK: - Nesting

  private mutating func open(
    _ role: MustacheError.TagRole, name: String, at offset: Int
  ) throws(MustacheError) {
    guard openTags.count < MustacheTemplate.maximumDepth else {
      throw error(.nestedTooDeep(role, name: name), at: offset)
    }
    openTags.append((role, name, offset))
  }

  private mutating func close(
    _ name: String, at offset: Int
  ) throws(MustacheError) -> MustacheError.TagRole {
    guard let innermost = openTags.popLast() else {
      throw error(.unexpectedClosingTag(name: name), at: offset)
    }
    guard innermost.name == name else {
      throw error(
        .mismatchedClosingTag(name: name, open: innermost.role, openName: innermost.name),
        at: offset)
    }
    return innermost.role
  }

  // MARK: - Delimiters

  private mutating func setDelimiters(_ content: String, tagStart: Int) throws(MustacheError) {
    // The content ends with the `=` that comes before the closing delimiter.
    guard content.hasSuffix("=") else { throw error(.invalidDelimiters, at: tagStart) }
    let parts = content.dropLast().split(whereSeparator: \.isWhitespace)
    guard parts.count == 2, parts.allSatisfy({ !$0.contains("=") }) else {
      throw error(.invalidDelimiters, at: tagStart)
    }
    opening = Array(parts[0].unicodeScalars)
    closing = Array(parts[1].unicodeScalars)
  }

  // MARK: - Text

  /// Appends the text from the current position, one token per line.
  private mutating func appendText(upTo end: Int) {
    var lineStart = position
    var index = position
    while index < end {
      if scalars[index] == "\n" {
        appendLine(lineStart..<(index + 1))
        lineStart = index + 1
      }
      index += 1
    }
    if lineStart < end {
      appendLine(lineStart..<end)
    }
    position = end
  }

  private mutating func appendLine(_ range: Range<Int>) {
    let startsLine = range.lowerBound == 0 || scalars[range.lowerBound - 1] == "\n"
    tokens.append(
      MustacheToken(
        content: .text(text(range), startsLine: startsLine), start: range.lowerBound,
        end: range.upperBound))
  }

  private func text(_ range: Range<Int>) -> String {
    String(String.UnicodeScalarView(scalars[range]))
  }

  private func find(_ pattern: [Unicode.Scalar], from start: Int) -> Int? {
    guard let first = pattern.first, scalars.count >= pattern.count else { return nil }
    var index = start
    while index <= scalars.count - pattern.count {
      if scalars[index] == first, scalars[index..<(index + pattern.count)].elementsEqual(pattern) {
        return index
      }
      index += 1
    }
    return nil
  }

  private func error(_ kind: MustacheError.Kind, at offset: Int) -> MustacheError {
    MustacheError(kind, at: source.location(at: offset))
  }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(Substring(scalars[first...last]))
  }
}
