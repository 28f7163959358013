/// An XML element converted once from libxml2's tree into a Swift value, with its position.
///
/// Namespaces are resolved: `namespace` is the element's namespace URI, `name` its local name.
public struct XMLElementNode: Sendable, Equatable {
  /// Text or a child element, in document order, so that mixed prose keeps its shape.
  public enum Content: Sendable, Equatable {
    case text(String)
    case element(XMLElementNode)
  }

  public struct Attribute: Sendable, Equatable {
    public var name: String
    public var namespace: String?
    public var value: String
  }

  public var name: String
  public var namespace: String?
  public var attributes: [Attribute]
  public var content: [Content]
  public var location: SourceLocation

  public init(
    name: String, namespace: String? = nil, attributes: [Attribute] = [],
    content: [Content] = [], location: SourceLocation
  ) {
    self.name = name
    self.namespace = namespace
    self.attributes = attributes
    self.content = content
    self.location = location
  }

  /// The value of an attribute without a namespace.
  public subscript(attribute name: String) -> String? {
    attributes.first { $0.name == name && $0.namespace == nil }?.value
  }

  /// Child elements in document order.
  public var children: [XMLElementNode] {
    content.compactMap {
      if case .element(let element) = $0 { return element }
      return nil
    }
  }

  /// Child elements with the given local name.
  public func children(named name: String) -> [XMLElementNode] {
    children.filter { $0.name == name }
  }

  /// The first child element with the given local name.
  public func child(named name: String) -> XMLElementNode? {
    children.first { $0.name == name }
  }

  /// All text below this element, concatenated in document order.
  public var text: String {
    content.map {
      switch $0 {
      case .text(let text): text
      case .element(let element): element.text
      }
    }.joined()
  }

  /// The text with runs of white space folded to one space and the ends trimmed.
  public var normalizedText: String { text.foldingWhitespace() }
}

extension String {
  /// Runs of white space folded to single spaces, with no space at either end.
  ///
  /// White space here is XML's: space, tab, carriage return and line feed. Working on UTF-8
  /// bytes keeps this cheap, which matters because every prose paragraph of a catalog passes
  /// through it.
  public func foldingWhitespace() -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count)
    var pendingSpace = false
    for byte in utf8 {
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        pendingSpace = !bytes.isEmpty
        continue
      }
      if pendingSpace {
        bytes.append(0x20)
        pendingSpace = false
      }
      bytes.append(byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
