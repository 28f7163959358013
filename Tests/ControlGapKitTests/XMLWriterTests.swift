import Foundation
import Testing

@testable import ControlGapKit

@Suite("XML writing through libxml2")
struct XMLWriterTests {
  private typealias Element = XMLWriter.Element

  private let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

  @Test("nested elements are indented by two spaces and the file ends in one newline")
  func indentation() throws {
    let root = Element(
      "catalog", namespace: "urn:example", ["uuid": "u-1"],
      children: [
        Element("title", text: "Example"),
        Element(
          "group", ["id": "g1"],
          children: [Element("control", ["id": "c1"], children: [Element("title", text: "C")])]),
        Element("back-matter"),
      ])
    let expected = """
      <catalog xmlns="urn:example" uuid="u-1">
        <title>Example</title>
        <group id="g1">
          <control id="c1">
            <title>C</title>
          </control>
        </group>
        <back-matter/>
      </catalog>

      """
    #expect(try XMLWriter().string(root) == declaration + expected)
  }

  @Test("text escapes ampersand, angle brackets and double quotes")
  func escapesText() throws {
    let root = Element("p", text: "R&D <b> \"quoted\" it's")
    #expect(
      try XMLWriter().string(root)
        == declaration + "<p>R&amp;D &lt;b&gt; &quot;quoted&quot; it's</p>\n")
  }

  @Test("attribute values escape markup, quotes and line breaks")
  func escapesAttributes() throws {
    let root = Element("prop", ["name": "a&b", "value": "<\"x\">\ny"])
    #expect(
      try XMLWriter().string(root)
        == declaration + "<prop name=\"a&amp;b\" value=\"&lt;&quot;x&quot;&gt;&#10;y\"/>\n")
  }

  @Test("attributes keep their order and nil values are left out")
  func attributeOrder() throws {
    let missing: String? = nil
    let root = Element("part", ["name": "item", "class": missing, "id": "p1", "ns": "urn:x"])
    #expect(
      try XMLWriter().string(root)
        == declaration + "<part name=\"item\" id=\"p1\" ns=\"urn:x\"/>\n")
  }

  @Test("mixed content stays on one line so no white space is added to the text")
  func mixedContent() throws {
    let paragraph = Element(
      "p",
      content: [
        .text("A "), .element(Element("q", text: "quoted")), .text(" word & "),
        .element(Element("em", children: [Element("b", text: "bold")])),
      ])
    let root = Element(
      "part", children: [paragraph, Element("p", content: [.element(Element("q", text: "x"))])])
    let expected = """
      <part>
        <p>A <q>quoted</q> word &amp; <em><b>bold</b></em></p>
        <p>
          <q>x</q>
        </p>
      </part>

      """
    #expect(try XMLWriter().string(root) == declaration + expected)
  }

  @Test("a namespace is declared only where it changes")
  func namespaces() throws {
    var root = Element("catalog", namespace: "urn:a")
    root.append(Element("metadata", namespace: "urn:a"))
    root.append(Element("extra", namespace: "urn:b", children: [Element("inner")]))
    let expected = """
      <catalog xmlns="urn:a">
        <metadata/>
        <extra xmlns="urn:b">
          <inner/>
        </extra>
      </catalog>

      """
    #expect(try XMLWriter().string(root) == declaration + expected)
  }

  @Test("empty text is the same as no text")
  func emptyText() throws {
    #expect(try XMLWriter().string(Element("remarks", text: "")) == declaration + "<remarks/>\n")
  }

  @Test("non-ASCII text is written as UTF-8, not as character references")
  func unicode() throws {
    let data = try XMLWriter().document(Element("title", text: "Café — “CSF”"))
    #expect(data == Data((declaration + "<title>Café — “CSF”</title>\n").utf8))
  }

  @Test("written output reads back to the same text and attributes")
  func roundTrip() throws {
    let text = "a & b < c > d \" e ' f\ttab"
    let data = try XMLWriter().document(
      Element("root", ["value": text], children: [Element("child", text: text)]))
    let collector = DiagnosticCollector()
    let root = XMLReader(displayPath: "out.xml").read(data, diagnostics: collector)
    #expect(collector.diagnostics == [])
    #expect(root?[attribute: "value"] == text)
    #expect(root?.child(named: "child")?.text == text)
  }

  struct RefusedCase: CustomTestStringConvertible, Sendable {
    var label: String
    var root: XMLWriter.Element
    var message: String
    var testDescription: String { label }
  }

  @Test(
    "names and characters XML cannot carry are refused",
    arguments: [
      RefusedCase(
        label: "element name with a space", root: Element("bad name"),
        message: "cannot write XML: element name \"bad name\" in <bad name> is not a valid XML name"
      ),
      RefusedCase(
        label: "attribute name starting with a digit", root: Element("a", ["1x": "v"]),
        message: "cannot write XML: attribute name \"1x\" in <a> is not a valid XML name"),
      RefusedCase(
        label: "control character in text", root: Element("a", text: "bell\u{07}"),
        message: "cannot write XML: <a> holds U+0007, which XML does not allow"),
      RefusedCase(
        label: "NUL in an attribute value", root: Element("a", ["v": "x\u{0}y"]),
        message: "cannot write XML: <a> holds U+0000, which XML does not allow"),
    ])
  func refuses(_ refused: RefusedCase) {
    #expect(throws: ControlGapFailure(.cannotWrite, refused.message)) {
      try XMLWriter().document(refused.root)
    }
  }
}
