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

@Suite("Reading input files")
struct InputFileTests {
  @Test("a file over the size limit is refused before it is read")
  func sizeLimit() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-size-\(UUID().uuidString).xml")
    try Data(repeating: 0x20, count: 2048).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let collector = DiagnosticCollector()
    let data = InputFile.contents(
      of: url, displayPath: "big.xml", limit: 1024, diagnostics: collector)
    #expect(data == nil)
    #expect(
      collector.diagnostics.map(\.description) == [
        "big.xml: error: file is 0 MiB; ControlGap reads XML files of at most 0 MiB"
      ])
  }

  @Test("a folder is not read as a file")
  func folder() {
    let collector = DiagnosticCollector()
    let data = InputFile.contents(
      of: FileManager.default.temporaryDirectory, displayPath: "tmp", diagnostics: collector)
    #expect(data == nil)
    #expect(collector.diagnostics.map(\.description) == ["tmp: error: not a regular file"])
  }

  @Test("positions stay right on a file that is one long line, and with CR line ends")
  func longLine() {
    let collector = DiagnosticCollector()
    let text = "<a>" + String(repeating: "<b/>", count: 2000) + "<c/></a>"
    let root = XMLReader(displayPath: "in.xml").read(Data(text.utf8), diagnostics: collector)
    #expect(root?.children.last?.location.description == "in.xml:1:8004")
    let crOnly = "<a>\r<b/>\r\r<c/></a>"
    let other = XMLReader(displayPath: "cr.xml").read(Data(crOnly.utf8), diagnostics: collector)
    #expect(other?.children.map(\.location.description) == ["cr.xml:2:1", "cr.xml:4:1"])
  }
}
