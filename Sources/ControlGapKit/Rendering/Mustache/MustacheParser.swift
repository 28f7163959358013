/// Turns a template's tokens into nodes: drops the lines that hold only standalone tags, then
/// nests sections, parents and blocks.
///
/// A line is standalone when, apart from spaces and tabs, it holds one tag that writes nothing
/// itself (a section, closing, comment, set-delimiter, partial, parent or block tag). Parent
/// tags also make a line standalone together with other parent and block tags, so that
/// `{{<page}}{{$body}}` may share a line.
enum MustacheParser {
  /// Parses a whole template.
  ///
  /// - Parameter source: The template's text and name.
  /// - Returns: The template's top-level nodes.
  /// - Throws: `MustacheError` for a malformed tag or an unbalanced section.
  static func parse(_ source: MustacheSource) throws(MustacheError) -> [MustacheNode] {
    var scanner = MustacheScanner(source: source)
    var tokens = try scanner.scan()
    markStandaloneLines(&tokens)
    return nodes(from: tokens, source: source)
  }

  // MARK: - Standalone lines

  private static func markStandaloneLines(_ tokens: inout [MustacheToken]) {
    var lineStart = 0
    for index in tokens.indices {
      let endsLine =
        if case .text(let text, _) = tokens[index].content {
          text.unicodeScalars.last == "\n"
        } else {
          false
        }
      if endsLine || index == tokens.count - 1 {
        markLine(lineStart...index, in: &tokens)
        lineStart = index + 1
      }
    }
  }

  private static func markLine(_ line: ClosedRange<Int>, in tokens: inout [MustacheToken]) {
    var leadingWhitespace: String? = ""
    var tags: [MustacheTag] = []
    var isBlank = true
    for index in line {
      switch tokens[index].content {
      case .text(let text, _):
        let blank = isBlankLine(text)
        isBlank = isBlank && blank
        if tags.isEmpty {
          leadingWhitespace = blank ? text : nil
        }
      case .tag(let tag):
        if tags.isEmpty {
          tokens[index].leadingWhitespace = leadingWhitespace
        }
        tags.append(tag)
      }
    }
    guard isBlank, canStandAlone(tags) else { return }
    for index in line {
      tokens[index].isStandalone = true
    }
  }

  /// Whether text holds only spaces and tabs, ended by at most one line break.
  private static func isBlankLine(_ text: String) -> Bool {
    var scalars = Substring(text).unicodeScalars
    if scalars.last == "\n" {
      scalars.removeLast()
      if scalars.last == "\r" {
        scalars.removeLast()
      }
    }
    return scalars.allSatisfy { $0 == " " || $0 == "\t" }
  }

  private static func canStandAlone(_ tags: [MustacheTag]) -> Bool {
    if tags.count == 1, let tag = tags.first {
      if case .variable = tag { return false }
      return true
    }
    var hasParent = false
    for tag in tags {
      switch tag {
      case .parent, .close(_, closing: .parent):
        hasParent = true
      case .block, .close(_, closing: .block):
        continue
      default:
        return false
      }
    }
    return hasParent
  }

  // MARK: - Nesting

  private static func nodes(from tokens: [MustacheToken], source: MustacheSource) -> [MustacheNode]
  {
    var frames: [(opening: Int?, nodes: [MustacheNode])] = [(nil, [])]
    for (index, token) in tokens.enumerated() {
      let position = MustacheTagPosition(source: source, offset: token.start)
      switch token.content {
      case .text(let text, let startsLine):
        if !token.isStandalone, !text.isEmpty {
          frames[frames.count - 1].nodes.append(.text(text, startsLine: startsLine))
        }
      case .tag(.variable(let name, let isEscaped)):
        frames[frames.count - 1].nodes.append(.variable(name, isEscaped: isEscaped))
      case .tag(.partial(let reference, _)):
        let partial = MustacheInclusion(
          role: .partial, reference: reference,
          indentation: token.isStandalone ? token.leadingWhitespace ?? "" : nil,
          arguments: [:], position: position)
        frames[frames.count - 1].nodes.append(.inclusion(partial))
      case .tag(.section), .tag(.parent), .tag(.block):
        frames.append((index, []))
      case .tag(.close):
        // The scanner has checked that every closing tag matches an open one.
        guard frames.count > 1, let opening = frames.last?.opening else { continue }
        let content = frames.removeLast().nodes
        let node = node(
          opening: tokens[opening], content: content, closingStart: token.start, source: source)
        frames[frames.count - 1].nodes.append(node)
      case .tag(.comment), .tag(.setDelimiters):
        continue
      }
    }
    return frames[0].nodes
  }

  private static func node(
    opening: MustacheToken, content: [MustacheNode], closingStart: Int, source: MustacheSource
  ) -> MustacheNode {
    let position = MustacheTagPosition(source: source, offset: opening.start)
    switch opening.content {
    case .tag(.section(let name, let isInverted)):
      return .section(
        MustacheSection(name: name, isInverted: isInverted, content: content, position: position))
    case .tag(.parent(let reference, _)):
      // Only the blocks inside a parent tag count; any other content is ignored.
      var arguments: [String: MustacheBlock] = [:]
      for case .block(let block) in content {
        arguments[block.name] = block
      }
      return .inclusion(
        MustacheInclusion(
          role: .parent, reference: reference,
          indentation: opening.isStandalone ? opening.leadingWhitespace ?? "" : nil,
          arguments: arguments, position: position))
    case .tag(.block(let name)):
      return .block(
        MustacheBlock(
          name: name,
          indentation: blockIndentation(opening: opening, closingStart: closingStart, in: source),
          isStandalone: opening.isStandalone, content: content, position: position))
    default:
      return .text("", startsLine: false)
    }
  }

  /// The indentation a block's lines share where the block is written.
  ///
  /// When the opening tag stands alone, the content's own indentation counts: that of its
  /// first line that is not blank, or of the closing tag when there is none. Otherwise the
  /// whitespace before the opening tag counts, so that later lines of a replacement line up
  /// under the first.
  private static func blockIndentation(
    opening: MustacheToken, closingStart: Int, in source: MustacheSource
  ) -> String {
    let scalars = source.scalars
    func lineStart(after offset: Int) -> Int? {
      scalars[offset..<closingStart].firstIndex(of: "\n").map { $0 + 1 }
    }

    guard opening.isStandalone, var start = lineStart(after: opening.end) else {
      return opening.leadingWhitespace ?? ""
    }
    while true {
      var index = start
      while index < closingStart, scalars[index] == " " || scalars[index] == "\t" {
        index += 1
      }
      let indentation = String(String.UnicodeScalarView(scalars[start..<index]))
      guard index < closingStart, scalars[index] == "\n" || scalars[index] == "\r",
        let next = lineStart(after: index)
      else { return indentation }
      start = next
    }
  }
}
