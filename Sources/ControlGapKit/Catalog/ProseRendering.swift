/// Turns OSCAL markup-multiline content into plain text, resolving parameter inserts.
///
/// Block elements (`p`, list items, table rows, headings) become paragraphs separated by a
/// blank line; white space inside a paragraph is folded.
struct ProseRendering {
  let params: [String: CatalogParam]

  private static let structural: Set<String> = ["part", "prop", "link", "title", "param"]
  private static let lists: Set<String> = ["ol", "ul"]

  /// The prose directly inside a part, leaving out its sub-parts and other structure.
  func prose(of element: XMLElementNode) -> String {
    var blocks: [String] = []
    for case .element(let child) in element.content
    where !Self.structural.contains(child.name) {
      blocks.append(contentsOf: self.blocks(child))
    }
    return blocks.filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  private func blocks(_ element: XMLElementNode) -> [String] {
    if Self.lists.contains(element.name) {
      return element.children(named: "li").map { "- " + inline($0) }
    }
    if element.name == "table" {
      return element.children(named: "tr").map { row in
        row.children.map { inline($0) }.joined(separator: " | ")
      }
    }
    return [inline(element)]
  }

  /// The text of inline markup with inserts replaced and white space folded.
  func inline(_ element: XMLElementNode) -> String {
    inlineText(element).foldingWhitespace()
  }

  private func inlineText(_ element: XMLElementNode) -> String {
    if element.name == "insert" {
      let id = element[attribute: "id-ref"] ?? ""
      return params[id]?.displayText ?? "[Assignment: \(id)]"
    }
    return element.content.map { content -> String in
      switch content {
      case .text(let text): text
      case .element(let child): inlineText(child)
      }
    }.joined()
  }
}
