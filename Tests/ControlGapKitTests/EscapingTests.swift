import Foundation
import Testing

@testable import ControlGapKit

@Suite("Output escaping")
struct EscapingTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let input: String
    let expected: String
  }

  static let htmlCases: [Case] = [
    Case(
      testDescription: "plain text is kept", input: "AC-2 Account Management",
      expected: "AC-2 Account Management"),
    Case(
      testDescription: "a script element",
      input: "<script>alert(1)</script>",
      expected: "&lt;script&gt;alert(1)&lt;/script&gt;"),
    Case(
      testDescription: "quotes for attribute values",
      input: #"" onmouseover='x' a="b"#,
      expected: "&quot; onmouseover=&#39;x&#39; a=&quot;b"),
    Case(
      testDescription: "an ampersand, once", input: "AT&T &amp;", expected: "AT&amp;T &amp;amp;"),
    Case(
      testDescription: "right-to-left letters are kept, the override is removed",
      input: "שלום \u{202E}abc", expected: "שלום abc"),
    Case(testDescription: "the empty string", input: "", expected: ""),
  ]

  @Test("HTML escaping", arguments: htmlCases)
  func html(_ example: Case) {
    #expect(HTMLEscaping.escape(example.input) == example.expected)
  }

  static let markdownCases: [Case] = [
    Case(
      testDescription: "plain text is kept", input: "AC-2 Account Management",
      expected: "AC-2 Account Management"),
    Case(
      testDescription: "a script element",
      input: "<script>alert(1)</script>",
      expected: "&lt;script&gt;alert(1)&lt;/script&gt;"),
    Case(testDescription: "a pipe", input: "a|b", expected: "a\\|b"),
    Case(testDescription: "a code span", input: "`code`", expected: "\\`code\\`"),
    Case(testDescription: "strong emphasis", input: "**bold**", expected: "\\*\\*bold\\*\\*"),
    Case(
      testDescription: "underscores", input: "__init__ snake_case",
      expected: "\\_\\_init\\_\\_ snake\\_case"),
    Case(testDescription: "a heading", input: "# heading", expected: "\\# heading"),
    Case(testDescription: "an indented heading", input: "  ## heading", expected: "  \\## heading"),
    Case(testDescription: "a hash later on is kept", input: "issue #12", expected: "issue #12"),
    Case(testDescription: "a bullet", input: "- item", expected: "\\- item"),
    Case(testDescription: "a plus bullet", input: "+ item", expected: "\\+ item"),
    Case(testDescription: "a heading underline", input: "===", expected: "\\==="),
    Case(testDescription: "an ordered list item", input: "1. first", expected: "1\\. first"),
    Case(
      testDescription: "an ordered list item with a parenthesis", input: "12) x",
      expected: "12\\) x"),
    Case(testDescription: "a decimal number is kept", input: "1.5 days", expected: "1.5 days"),
    Case(testDescription: "a blockquote", input: "> quoted", expected: "&gt; quoted"),
    Case(
      testDescription: "a link and an image",
      input: "[x](javascript:alert(1)) ![y](z.png)",
      expected: "\\[x\\](javascript:alert(1)) !\\[y\\](z.png)"),
    Case(testDescription: "strikethrough", input: "~~gone~~", expected: "\\~\\~gone\\~\\~"),
    Case(testDescription: "math", input: "$5 and $6", expected: "\\$5 and \\$6"),
    Case(testDescription: "a backslash", input: #"C:\path\*"#, expected: #"C:\\path\\\*"#),
    Case(testDescription: "an entity reference", input: "&lt; AT&T", expected: "&amp;lt; AT&amp;T"),
    Case(testDescription: "a line feed", input: "line1\nline2", expected: "line1<br>line2"),
    Case(
      testDescription: "every kind of line break",
      input: "a\r\nb\rc\nd\u{2028}e\u{2029}f\u{85}g\u{0B}h\u{0C}i",
      expected: "a<br>b<br>c<br>d<br>e<br>f<br>g<br>h<br>i"),
    Case(testDescription: "blank lines", input: "a\n\n\nb\n", expected: "a<br><br><br>b<br>"),
    Case(testDescription: "a tab becomes a space", input: "a\tb", expected: "a b"),
    Case(
      testDescription: "control characters are removed",
      input: "a\u{00}b\u{1B}[31mc\u{7F}d\u{9B}e",
      expected: "ab\\[31mcde"),
    Case(testDescription: "Arabic is kept", input: "مرحبا بالعالم", expected: "مرحبا بالعالم"),
    Case(testDescription: "Hebrew is kept", input: "שלום עולם", expected: "שלום עולם"),
    Case(
      testDescription: "bidirectional overrides and isolates are removed",
      input: "evil\u{202E}txt.exe \u{2067}x\u{2069} \u{200F}mark",
      expected: "eviltxt.exe x \u{200F}mark"),
    Case(
      testDescription: "emoji and accents are kept", input: "🇫🇷 e\u{301}", expected: "🇫🇷 e\u{301}"),
    Case(testDescription: "the empty string", input: "", expected: ""),
  ]

  @Test("Markdown escaping", arguments: markdownCases)
  func markdown(_ example: Case) {
    #expect(MarkdownEscaping.escape(example.input) == example.expected)
  }

  @Test("long text is escaped whole")
  func longText() {
    let plain = String(repeating: "abcdefghij", count: 1_000)
    #expect(plain.count == 10_000)
    #expect(MarkdownEscaping.escape(plain) == plain)
    #expect(HTMLEscaping.escape(plain) == plain)

    let hostile = String(repeating: "|<\n", count: 3_334)
    #expect(MarkdownEscaping.escape(hostile) == String(repeating: "\\|&lt;<br>", count: 3_334))
    #expect(HTMLEscaping.escape(hostile) == String(repeating: "|&lt;\n", count: 3_334))
  }
}

/// Renders escaped cells with the reference GitHub-flavoured Markdown converter, when it is
/// installed, to check that every value stays inside its own cell.
@Suite("Markdown tables through cmark-gfm")
struct MarkdownTableTests {
  static let converter: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":")
      .map { URL(fileURLWithPath: String($0)).appendingPathComponent("cmark-gfm") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  static let hostileCells = [
    "<script>alert(1)</script>", "a|b", "`code`", "**bold**", "# heading", "line1\nline2",
    "- item", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "a\\|b", "|", "\\",
    "~~x~~", "| --- |", "1. one\r\n2. two", "\u{202E}abc", "&lt;b&gt;", "_a_",
  ]

  @Test(
    "each hostile value stays in its cell and shows as written",
    .enabled(if: converter != nil, "cmark-gfm is not on PATH"),
    arguments: hostileCells)
  func cell(_ value: String) throws {
    let markdown = "| Value | End |\n| --- | --- |\n| \(MarkdownEscaping.escape(value)) | end |\n"
    let html = try convert(markdown)

    let expectedCell = HTMLEscaping.escape(value)
      .replacingOccurrences(of: "\r\n", with: "<br>")
      .replacingOccurrences(of: "\n", with: "<br>")
      .replacingOccurrences(of: "\u{202E}", with: "")
      .replacingOccurrences(of: "&#39;", with: "'")
    #expect(html.contains("<tr>\n<td>\(expectedCell)</td>\n<td>end</td>\n</tr>"), "\(html)")
    #expect(html.components(separatedBy: "<td>").count == 3)
  }

  private func convert(_ markdown: String) throws -> String {
    // `--unsafe` lets raw HTML through, so only the escaping keeps it out.
    let output = try ChildProcess.run(
      try #require(Self.converter),
      arguments: ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink"],
      environment: [:], input: Data(markdown.utf8))
    return String(decoding: output.stdout, as: UTF8.self)
  }
}

@Suite("HTML escaping of controls")
struct HTMLControlEscapingTests {
  @Test("bidirectional overrides and control characters are removed, RTL letters kept")
  func bidi() {
    #expect(HTMLEscaping.escape("\u{202E}evil\u{202C} עברית\u{07}") == "evil עברית")
    #expect(HTMLEscaping.escape("a\tb\nc") == "a\tb\nc")
  }
}
