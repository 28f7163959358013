import ControlGapKit

/// Reading helpers for OSCAL source catalogs, on the tree `XMLReader` produces.
extension XMLElementNode {
  /// The folded text of the `title` child.
  var titleText: String? { child(named: "title")?.normalizedText }

  /// The value of the first `prop` with this name, whatever its namespace attribute.
  func propertyValue(_ name: String) -> String? {
    children(named: "prop").first { $0[attribute: "name"] == name }?[attribute: "value"]
  }

  /// Child `part`s with this name and, when given, this class.
  func parts(named name: String, class partClass: String? = nil) -> [XMLElementNode] {
    children(named: "part").filter {
      $0[attribute: "name"] == name && (partClass == nil || $0[attribute: "class"] == partClass)
    }
  }

  /// The `p` children as prose lines, with white space folded.
  var paragraphs: [MarkupLine] {
    children(named: "p").map(MarkupLine.init(folding:))
  }

  /// Whether the element is withdrawn, in the way OSCAL catalogs mark it.
  var isWithdrawn: Bool { propertyValue("status") == "withdrawn" }
}

extension DiagnosticSink {
  /// `value` when it is present and not empty; otherwise an error saying what is missing,
  /// reported at `node`, and an empty string so that translation can carry on.
  func required(_ value: String?, _ what: String, at node: XMLElementNode) -> String {
    if let value, !value.isEmpty { return value }
    error("missing \(what)", at: node.location)
    return ""
  }
}

extension MarkupLine {
  /// The content of a prose element, with each run of white space folded to one space and none
  /// at either end, so that the source's line wrapping does not reach the output.
  init(folding element: XMLElementNode) {
    var content = Self.folded(element.content)
    if case .text(let first)? = content.first {
      content[0] = .text(String(first.drop { $0 == " " }))
    }
    if case .text(let last)? = content.last {
      content[content.count - 1] = .text(
        String(last.reversed().drop { $0 == " " }.reversed()))
    }
    self.init(content: content.filter { $0 != .text("") })
  }

  private static func folded(_ content: [XMLElementNode.Content]) -> [XMLWriter.Element.Content] {
    content.map { item in
      switch item {
      case .text(let text):
        return .text(foldingRuns(text))
      case .element(let inline):
        var element = XMLWriter.Element(inline.name, content: folded(inline.content))
        element.attributes = inline.attributes.filter { $0.namespace == nil }.map {
          XMLWriter.Element.Attribute($0.name, $0.value)
        }
        return .element(element)
      }
    }
  }

  private static func foldingRuns(_ text: String) -> String {
    var folded = ""
    var inRun = false
    for character in text {
      if character.isWhitespace {
        if !inRun { folded.append(" ") }
        inRun = true
      } else {
        folded.append(character)
        inRun = false
      }
    }
    return folded
  }
}
