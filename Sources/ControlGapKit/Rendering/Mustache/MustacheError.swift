/// A problem in a Mustache template, found while parsing it or while rendering it.
///
/// Its description reads `name:line:col: error: message`, with the template's name as given to
/// `MustacheTemplate(source:name:)` and the position of the tag at fault.
public struct MustacheError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What went wrong. Each kind has one message.
  public enum Kind: Equatable, Sendable {
    /// An opening delimiter has no closing delimiter after it.
    case unclosedTag
    /// A tag other than a comment has nothing where its name should be.
    case missingName
    /// A set-delimiter tag does not name exactly two delimiters free of spaces and `=`.
    case invalidDelimiters
    /// A section, parent or block is still open at the end of the template.
    case unclosedSection(TagRole, name: String)
    /// A closing tag names something other than the innermost open section.
    case mismatchedClosingTag(name: String, open: TagRole, openName: String)
    /// A closing tag appears where nothing is open.
    case unexpectedClosingTag(name: String)
    /// Sections, partials, parents and blocks nest deeper than `MustacheTemplate.maximumDepth`.
    case nestedTooDeep(TagRole, name: String)
  }

  /// The kinds of tags that open something and so appear in messages.
  public enum TagRole: String, Equatable, Sendable {
    case section
    case partial
    case parent
    case block
  }

  public var kind: Kind
  public var location: SourceLocation

  public init(_ kind: Kind, at location: SourceLocation) {
    self.kind = kind
    self.location = location
  }

  /// The short lowercase message, without the location.
  public var message: String {
    switch kind {
    case .unclosedTag:
      "unclosed tag"
    case .missingName:
      "tag has no name"
    case .invalidDelimiters:
      "set-delimiter tag must name two delimiters without spaces or '='"
    case .unclosedSection(let role, let name):
      "\(role.rawValue) '\(name)' is never closed"
    case .mismatchedClosingTag(let name, let role, let openName):
      "closing tag '\(name)' does not match open \(role.rawValue) '\(openName)'"
    case .unexpectedClosingTag(let name):
      "closing tag '\(name)' has no open section"
    case .nestedTooDeep(let role, let name):
      "\(role.rawValue) '\(name)' is nested more than \(MustacheTemplate.maximumDepth) levels deep"
    }
  }

  /// The error as a diagnostic, for callers that report problems through a `DiagnosticSink`.
  public var diagnostic: Diagnostic { .error(message, at: location) }

  public var description: String { diagnostic.description }
}
