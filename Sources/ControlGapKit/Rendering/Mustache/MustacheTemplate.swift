/// A parsed Mustache template, ready to render any number of times.
///
/// Templates follow the Mustache specification, including its optional inheritance (parent
/// and block tags) and dynamic names (`{{>*name}}`); lambdas are not supported. Missing names,
/// partials and parents render as nothing.
///
/// ```swift
/// let template = try MustacheTemplate(source: "{{#rows}}| {{id}} |\n{{/rows}}", name: "t")
/// let text = try template.render(["rows": [["id": "AC-2"]]], escape: MarkdownEscaping.escape)
/// ```
public struct MustacheTemplate: Sendable {
  /// How deeply sections, partials, parents and blocks may nest, within one template and
  /// across included ones. Deeper nesting, such as a partial that includes itself without end,
  /// is reported as an error.
  public static let maximumDepth = 100

  /// The name shown in messages, such as `Templates/gap-report.md.mustache`.
  public let name: String
  /// The template text as given.
  public let source: String
  let nodes: [MustacheNode]

  /// Parses a template.
  ///
  /// - Parameters:
  ///   - source: The template text.
  ///   - name: The name messages give for the template.
  /// - Throws: `MustacheError` for an unclosed tag or section, a closing tag that does not
  ///   match, a bad set-delimiter tag, a tag without a name, or sections nested too deeply.
  public init(source: String, name: String) throws(MustacheError) {
    self.name = name
    self.source = source
    self.nodes = try MustacheParser.parse(MustacheSource(name: name, text: source))
  }

  /// Renders the template.
  ///
  /// - Parameters:
  ///   - value: The data at the bottom of the context stack.
  ///   - partials: The template a partial or parent tag names, or `nil` to include nothing.
  ///   - escape: The escaping for `{{name}}` tags, such as `HTMLEscaping.escape` or
  ///     `MarkdownEscaping.escape`; `{{{name}}}` and `{{&name}}` write data unescaped.
  /// - Returns: The rendered text.
  /// - Throws: `MustacheError` when nesting goes deeper than `maximumDepth`.
  public func render(
    _ value: MustacheValue, partials: (String) -> MustacheTemplate? = { _ in nil },
    escape: (String) -> String
  ) throws(MustacheError) -> String {
    try withoutActuallyEscaping(partials) { partials throws(MustacheError) in
      try withoutActuallyEscaping(escape) { escape throws(MustacheError) in
        var renderer = MustacheRenderer(value: value, partials: partials, escape: escape)
        try renderer.render(nodes)
        return renderer.output
      }
    }
  }

  /// Renders the template with partials looked up by name.
  ///
  /// - Parameters:
  ///   - value: The data at the bottom of the context stack.
  ///   - partials: The templates partial and parent tags may name.
  ///   - escape: The escaping for `{{name}}` tags.
  /// - Returns: The rendered text.
  /// - Throws: `MustacheError` when nesting goes deeper than `maximumDepth`.
  public func render(
    _ value: MustacheValue, partials: [String: MustacheTemplate], escape: (String) -> String
  ) throws(MustacheError) -> String {
    try render(value, partials: { partials[$0] }, escape: escape)
  }
}
