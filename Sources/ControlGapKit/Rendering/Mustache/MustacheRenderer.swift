/// Writes parsed templates against a context stack.
///
/// Indentation follows the source, not the output: the lines of a standalone partial or
/// parent are indented by the whitespace that stood before its tag, and a block's replacement
/// loses the indentation it had where it was written and takes the indentation of the block it
/// replaces. Text that comes from data is never indented after its first line.
struct MustacheRenderer {
  /// How the lines of the nodes being rendered are re-indented.
  struct Indentation {
    /// Whitespace removed from the start of each line of the template text.
    var removed = ""
    /// Whitespace written before each line of output.
    var added = ""

    /// Where whitespace written at the start of a line of the current text ends up.
    func placing(_ whitespace: String) -> String {
      let kept = whitespace.unicodeScalars.dropFirst(
        zip(whitespace.unicodeScalars, removed.unicodeScalars).prefix { $0 == $1 }.count)
      return added + String(kept)
    }
  }

  private let partials: (String) -> MustacheTemplate?
  private let escape: (String) -> String
  private var contextStack: [MustacheValue]
  private var depth = 0
  private var isAtLineStart = true
  private(set) var output = ""

  init(
    value: MustacheValue, partials: @escaping (String) -> MustacheTemplate?,
    escape: @escaping (String) -> String
  ) {
    self.contextStack = [value]
    self.partials = partials
    self.escape = escape
  }

  mutating func render(
    _ nodes: [MustacheNode], indentation: Indentation = Indentation(),
    arguments: [String: MustacheBlock] = [:]
  ) throws(MustacheError) {
    // Each kind of node has its own function, which keeps this recursive frame small.
    for node in nodes {
      switch node {
      case .text(let text, let startsLine):
        writeTemplateText(text, startsLine: startsLine, indentation: indentation)
      case .variable(let name, let isEscaped):
        writeVariable(name, isEscaped: isEscaped, indentation: indentation)
      case .section(let section):
        try render(section, indentation: indentation, arguments: arguments)
      case .inclusion(let inclusion):
        try render(inclusion, indentation: indentation, arguments: arguments)
      case .block(let block):
        try render(block, indentation: indentation, arguments: arguments)
      }
    }
  }

  private mutating func render(
    _ section: MustacheSection, indentation: Indentation, arguments: [String: MustacheBlock]
  ) throws(MustacheError) {
    let value = lookUp(section.name)
    // A section renders for a truthy value, an inverted one for a falsy or missing value.
    guard (value?.isTruthy ?? false) != section.isInverted else { return }
    try enter(.section, section.name.text, at: section.position)
    defer { depth -= 1 }

    guard let value, !section.isInverted else {
      try render(section.content, indentation: indentation, arguments: arguments)
      return
    }
    // A list renders the content once per element; any other truthy value renders it once.
    let elements = if case .list(let list) = value { list } else { [value] }
    for element in elements {
      contextStack.append(element)
      try render(section.content, indentation: indentation, arguments: arguments)
      contextStack.removeLast()
    }
  }

  private mutating func render(
    _ inclusion: MustacheInclusion, indentation: Indentation, arguments: [String: MustacheBlock]
  ) throws(MustacheError) {
    let name =
      switch inclusion.reference {
      case .fixed(let name): name
      case .dynamic(let name): lookUp(name)?.interpolationText ?? ""
      }
    guard !name.isEmpty, let template = partials(name) else { return }
    try enter(inclusion.role, name, at: inclusion.position)
    defer { depth -= 1 }

    var included = Indentation()
    if let standaloneIndentation = inclusion.indentation {
      included.added = indentation.placing(standaloneIndentation)
      isAtLineStart = true
    }
    // Replacements from further out win, so that the outermost template has the last say.
    try render(
      template.nodes, indentation: included,
      arguments: arguments.merging(inclusion.arguments) { outer, _ in outer })
  }

  private mutating func render(
    _ block: MustacheBlock, indentation: Indentation, arguments: [String: MustacheBlock]
  ) throws(MustacheError) {
    try enter(.block, block.name, at: block.position)
    defer { depth -= 1 }

    guard let replacement = arguments[block.name] else {
      try render(block.content, indentation: indentation, arguments: arguments)
      return
    }
    if block.isStandalone {
      isAtLineStart = true
    }
    let replaced = Indentation(
      removed: replacement.indentation, added: indentation.placing(block.indentation))
    try render(replacement.content, indentation: replaced, arguments: arguments)
  }

  // MARK: - Context

  private func lookUp(_ name: MustacheName) -> MustacheValue? {
    guard let first = name.keys.first else { return contextStack.last }
    var value = contextStack.last { $0[first] != nil }?[first]
    for key in name.keys.dropFirst() {
      value = value?[key]
    }
    return value
  }

  private mutating func enter(
    _ role: MustacheError.TagRole, _ name: String, at position: MustacheTagPosition
  ) throws(MustacheError) {
    guard depth < MustacheTemplate.maximumDepth else {
      throw MustacheError(.nestedTooDeep(role, name: name), at: position.location)
    }
    depth += 1
  }

  // MARK: - Output

  /// Writes text from a template, removing and adding indentation at the start of lines.
  private mutating func writeTemplateText(
    _ text: String, startsLine: Bool, indentation: Indentation
  ) {
    var text = Substring(text)
    if startsLine, !indentation.removed.isEmpty {
      let removable = zip(text.unicodeScalars, indentation.removed.unicodeScalars)
        .prefix { $0 == $1 }.count
      text = Substring(text.unicodeScalars.dropFirst(removable))
    }
    guard !text.isEmpty else { return }
    if isAtLineStart {
      output += indentation.added
    }
    output += text
    isAtLineStart = text.unicodeScalars.last == "\n"
  }

  /// Writes a value from the data, which is indented before its first line only.
  private mutating func writeVariable(
    _ name: MustacheName, isEscaped: Bool, indentation: Indentation
  ) {
    let raw = lookUp(name)?.interpolationText ?? ""
    let text = isEscaped ? escape(raw) : raw
    guard !text.isEmpty else { return }
    if isAtLineStart {
      output += indentation.added
    }
    output += text
    isAtLineStart = false
  }
}
