import Testing

@testable import ControlGapKit

@Suite("Mustache template errors")
struct MustacheErrorTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let source: String
    let message: String
  }

  static let parseCases: [Case] = [
    Case(
      testDescription: "a section never closed, at its opening tag",
      source: String(repeating: "\n", count: 11) + "    {{#rows}}\n| {{id}} |\n",
      message: "gap-report.md.mustache:12:5: error: section 'rows' is never closed"),
    Case(
      testDescription: "an inverted section never closed",
      source: "{{^rows}}none",
      message: "gap-report.md.mustache:1:1: error: section 'rows' is never closed"),
    Case(
      testDescription: "the innermost open section is named",
      source: "{{#a}}\n  {{#b}}\n{{/a}}",
      message:
        "gap-report.md.mustache:3:1: error: closing tag 'a' does not match open section 'b'"),
    Case(
      testDescription: "a closing tag for another section",
      source: "{{#a}}x{{/b}}",
      message:
        "gap-report.md.mustache:1:8: error: closing tag 'b' does not match open section 'a'"),
    Case(
      testDescription: "a closing tag with nothing open",
      source: "text\n{{/rows}}",
      message: "gap-report.md.mustache:2:1: error: closing tag 'rows' has no open section"),
    Case(
      testDescription: "an opening delimiter with no closing one",
      source: "| {{id}} | {{name\n",
      message: "gap-report.md.mustache:1:12: error: unclosed tag"),
    Case(
      testDescription: "a triple mustache missing a brace",
      source: "{{{html}}",
      message: "gap-report.md.mustache:1:1: error: unclosed tag"),
    Case(
      testDescription: "an opening delimiter at the very end",
      source: "x {{",
      message: "gap-report.md.mustache:1:3: error: unclosed tag"),
    Case(
      testDescription: "a tag closed by the old delimiter after a change",
      source: "{{=<% %>=}}\n<%a}}",
      message: "gap-report.md.mustache:2:1: error: unclosed tag"),
    Case(
      testDescription: "a set-delimiter tag without its closing equals sign",
      source: "{{=<% %>}}",
      message:
        "gap-report.md.mustache:1:1: error: set-delimiter tag must name two delimiters without"
        + " spaces or '='"),
    Case(
      testDescription: "a set-delimiter tag with one delimiter",
      source: "a\n  {{=<%=}}",
      message:
        "gap-report.md.mustache:2:3: error: set-delimiter tag must name two delimiters without"
        + " spaces or '='"),
    Case(
      testDescription: "a set-delimiter tag with three delimiters",
      source: "{{=<% | %>=}}",
      message:
        "gap-report.md.mustache:1:1: error: set-delimiter tag must name two delimiters without"
        + " spaces or '='"),
    Case(
      testDescription: "an empty tag",
      source: "a {{ }} b",
      message: "gap-report.md.mustache:1:3: error: tag has no name"),
    Case(
      testDescription: "a section without a name",
      source: "{{#}}{{/}}",
      message: "gap-report.md.mustache:1:1: error: tag has no name"),
    Case(
      testDescription: "a dynamic partial without a name",
      source: "{{> * }}",
      message: "gap-report.md.mustache:1:1: error: tag has no name"),
    Case(
      testDescription: "a parent never closed",
      source: "{{<layout}}{{$body}}x{{/body}}",
      message: "gap-report.md.mustache:1:1: error: parent 'layout' is never closed"),
    Case(
      testDescription: "a block never closed",
      source: "{{$body}}x",
      message: "gap-report.md.mustache:1:1: error: block 'body' is never closed"),
    Case(
      testDescription: "a section closed inside a parent",
      source: "{{#a}}{{<layout}}{{/a}}",
      message: "gap-report.md.mustache:1:18: error: closing tag 'a' does not match open parent"
        + " 'layout'"),
    Case(
      testDescription: "columns count characters, not bytes or scalars",
      source: "naïve 🇫🇷 e\u{301} {{#x}}",
      message: "gap-report.md.mustache:1:11: error: section 'x' is never closed"),
    Case(
      testDescription: "CRLF line endings count as one line break",
      source: "a\r\nb\r\n {{/x}}",
      message: "gap-report.md.mustache:3:2: error: closing tag 'x' has no open section"),
    Case(
      testDescription: "sections nested too deeply",
      source: String(repeating: "{{#a}}", count: 101),
      message:
        "gap-report.md.mustache:1:601: error: section 'a' is nested more than 100 levels deep"
    ),
  ]

  @Test("a malformed template is reported with its position", arguments: parseCases)
  func parseError(_ example: Case) {
    #expect {
      try MustacheTemplate(source: example.source, name: "gap-report.md.mustache")
    } throws: { error in
      (error as? MustacheError)?.description == example.message
    }
  }

  @Test("the error is also a diagnostic")
  func diagnostic() {
    do {
      _ = try MustacheTemplate(source: "\n{{#rows}}", name: "Templates/gap-report.md.mustache")
      Issue.record("the template parsed")
    } catch {
      #expect(error.diagnostic.severity == .error)
      #expect(error.diagnostic.message == "section 'rows' is never closed")
      #expect(
        error.location
          == SourceLocation(path: "Templates/gap-report.md.mustache", line: 2, column: 1))
      #expect(error.kind == .unclosedSection(.section, name: "rows"))
    }
  }

  static let renderCases: [Case] = [
    Case(
      testDescription: "a partial that includes itself",
      source: "{{>node}}",
      message: "node:1:2: error: partial 'node' is nested more than 100 levels deep"),
    Case(
      testDescription: "a parent that includes itself",
      source: "{{<layout}}{{/layout}}",
      message: "layout:1:1: error: parent 'layout' is nested more than 100 levels deep"),
    Case(
      testDescription: "a block replaced by content that holds the same block",
      source: "{{<page}}{{$body}}[{{$body}}{{/body}}]{{/body}}{{/page}}",
      message: "main:1:20: error: block 'body' is nested more than 100 levels deep"),
    Case(
      testDescription: "a section and a partial that recurse through data without end",
      source: "{{>tree}}",
      message: "tree:1:11: error: partial 'tree' is nested more than 100 levels deep"),
  ]

  @Test("rendering that nests without end is stopped", arguments: renderCases)
  func renderError(_ example: Case) throws {
    let partials = [
      "node": try MustacheTemplate(source: "x{{>node}}", name: "node"),
      "layout": try MustacheTemplate(source: "{{<layout}}{{/layout}}", name: "layout"),
      "page": try MustacheTemplate(source: "{{$body}}{{/body}}", name: "page"),
      "tree": try MustacheTemplate(source: "{{#child}}{{>tree}}{{/child}}", name: "tree"),
    ]
    let template = try MustacheTemplate(source: example.source, name: "main")
    // An object whose `child` is itself, as far as lookup can tell: the name is found again
    // on the context stack at every level.
    let data: MustacheValue = ["child": true]

    #expect {
      try template.render(data, partials: partials, escape: HTMLEscaping.escape)
    } throws: { error in
      (error as? MustacheError)?.description == example.message
    }
  }
}
