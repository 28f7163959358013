import Foundation
import Testing

@testable import ControlGapKit

@Suite("Safe XML reading")
struct XMLReaderTests {
  private func read(_ text: String) -> (XMLElementNode?, [String]) {
    let collector = DiagnosticCollector()
    let root = XMLReader(displayPath: "in.xml").read(Data(text.utf8), diagnostics: collector)
    return (root, collector.diagnostics.map(\.description))
  }

  @Test("elements keep line and column of their start tag")
  func positions() {
    let (root, problems) = read("<a>\n  <b x=\"1>2\"/><c>t</c>\n</a>\n")
    #expect(problems == [])
    #expect(root?.children.map(\.location.description) == ["in.xml:2:3", "in.xml:2:15"])
    #expect(root?.child(named: "b")?[attribute: "x"] == "1>2")
  }

  @Test("a document type declaration is refused")
  func refusesDoctype() {
    let (root, problems) = read(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"boom\">]>\n<a>&e;</a>\n")
    #expect(root == nil)
    #expect(problems.first == "in.xml:2:1: error: document type declarations are not allowed")
  }

  @Test("malformed XML is reported with line and column")
  func malformed() {
    let (root, problems) = read("<a>\n<b></a>\n")
    #expect(root == nil)
    #expect(problems.first?.hasPrefix("in.xml:2:") == true)
  }

  @Test("an empty file is reported")
  func empty() {
    let (root, problems) = read("")
    #expect(root == nil)
    #expect(problems == ["in.xml: error: file is empty"])
  }
}
