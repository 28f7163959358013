import Testing

@testable import ControlGapKit

@Suite("Mustache rendering")
struct MustacheTests {
  private func render(
    _ source: String, _ data: MustacheValue = [:], partials: [String: String] = [:],
    escape: (String) -> String = HTMLEscaping.escape
  ) throws -> String {
    var templates: [String: MustacheTemplate] = [:]
    for (name, partial) in partials {
      templates[name] = try MustacheTemplate(source: partial, name: name)
    }
    return try MustacheTemplate(source: source, name: "main")
      .render(data, partials: templates, escape: escape)
  }

  @Test("a template parsed once renders any number of times")
  func parseOnceRenderMany() throws {
    let template = try MustacheTemplate(source: "{{#rows}}{{id}};{{/rows}}", name: "rows")
    #expect(
      try template.render(["rows": [["id": "AC-1"], ["id": "AC-2"]]], escape: { $0 })
        == "AC-1;AC-2;")
    #expect(try template.render(["rows": []], escape: { $0 }) == "")
    #expect(template.name == "rows")
    #expect(template.source == "{{#rows}}{{id}};{{/rows}}")
  }

  @Test("the injected escaping applies to double mustaches only")
  func injectedEscaping() throws {
    let data: MustacheValue = ["cell": "a|b <i>"]
    let source = "{{cell}} {{{cell}}} {{&cell}}"
    #expect(
      try render(source, data, escape: MarkdownEscaping.escape) == "a\\|b &lt;i&gt; a|b <i> a|b <i>"
    )
    #expect(
      try render(source, data, escape: HTMLEscaping.escape) == "a|b &lt;i&gt; a|b <i> a|b <i>")
  }

  @Test("partials come from the resolver closure")
  func resolverClosure() throws {
    let row = try MustacheTemplate(source: "<td>{{id}}</td>", name: "row")
    let template = try MustacheTemplate(source: "{{#rows}}{{>row}}{{/rows}}{{>missing}}", name: "t")
    var asked: [String] = []
    let output = try template.render(
      ["rows": [["id": 1], ["id": 2]]],
      partials: { name in
        asked.append(name)
        return name == "row" ? row : nil
      },
      escape: HTMLEscaping.escape)
    #expect(output == "<td>1</td><td>2</td>")
    #expect(asked == ["row", "row", "missing"])
  }

  @Test("missing names, sections and partials render as nothing")
  func missingNames() throws {
    #expect(try render("[{{a}}{{a.b.c}}{{#a}}x{{/a}}{{>p}}{{<q}}{{/q}}]") == "[]")
    #expect(try render("[{{^a}}none{{/a}}]") == "[none]")
  }

  struct Layout: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let source: String
    let partials: [String: String]
    let expected: String
  }

  static let layouts: [Layout] = [
    Layout(
      testDescription: "standalone partials inside standalone partials add up their indentation",
      source: "<ul>\n  {{>items}}\n</ul>\n",
      partials: [
        "items": "{{#rows}}\n  {{>item}}\n{{/rows}}\n", "item": "<li>\n  {{id}}\n</li>\n",
      ],
      expected: "<ul>\n    <li>\n      a\n    </li>\n    <li>\n      b\n    </li>\n</ul>\n"),
    Layout(
      testDescription: "an inline partial is not indented",
      source: "  x {{>two}}\n",
      partials: ["two": "1\n2"],
      expected: "  x 1\n2\n"),
    Layout(
      testDescription: "a page layout with a replaced block",
      source: "{{<page}}\n{{$body}}\n<p>{{title}}</p>\n{{/body}}\n{{/page}}\n",
      partials: ["page": "<main>\n  {{$body}}\n  {{/body}}\n</main>\n"],
      expected: "<main>\n  <p>Gaps</p>\n</main>\n"),
    Layout(
      testDescription: "a block keeps its default content when not replaced",
      source: "{{<page}}{{/page}}",
      partials: ["page": "<main>\n  {{$body}}\n  <p>empty</p>\n  {{/body}}\n</main>\n"],
      expected: "<main>\n  <p>empty</p>\n</main>\n"),
    Layout(
      testDescription: "a dynamic partial name comes from the data",
      source: "{{#rows}}{{>*kind}}{{/rows}}",
      partials: ["finding": "F{{id}} ", "exception": "E{{id}} "],
      expected: "Fa Eb "),
  ]

  @Test("indentation follows standalone tags", arguments: layouts)
  func indentation(_ layout: Layout) throws {
    let data: MustacheValue = [
      "title": "Gaps",
      "rows": [["id": "a", "kind": "finding"], ["id": "b", "kind": "exception"]],
    ]
    #expect(try render(layout.source, data, partials: layout.partials) == layout.expected)
  }

  @Test("data that recurses within the limit renders")
  func recursionWithinLimit() throws {
    var tree: MustacheValue = ["name": "leaf", "children": []]
    for level in (1...45).reversed() {
      tree = ["name": .string("n\(level)"), "children": [tree]]
    }
    let output = try render(
      "{{>node}}", tree, partials: ["node": "{{name}}({{#children}}{{>node}}{{/children}})"])
    #expect(output.hasPrefix("n1(n2(n3("))
    #expect(output.hasSuffix("n45(leaf()" + String(repeating: ")", count: 45)))
  }

  @Test("data nested far deeper than the limit stops with an error, not a crash")
  func deepData() throws {
    var value: MustacheValue = "bottom"
    for _ in 0..<1_000 {
      value = ["next": value]
    }
    let template = try MustacheTemplate(source: "{{#next}}{{>walk}}{{/next}}", name: "walk")
    #expect(throws: MustacheError.self) {
      try template.render(value, partials: ["walk": template], escape: HTMLEscaping.escape)
    }
  }

  @Test("set delimiters last to the end of the template, not into partials")
  func delimiters() throws {
    let output = try render(
      "{{=<% %>=}}<%a%> {{a}} <%>p%>", ["a": "1"], partials: ["p": "{{a}}<%a%>"])
    #expect(output == "1 {{a}} 1<%a%>")
  }
}
