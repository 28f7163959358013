import CLibXML2
import Foundation

/// Writes XML documents through libxml2's text writer: UTF-8, two-space indentation, one
/// trailing newline.
///
/// The document is described first as a tree of `XMLWriter.Element` values and then written in
/// one call, so the libxml2 writer lives only for the length of that call. libxml2 escapes all
/// text and attribute values; names are checked before they are written, and text that XML
/// cannot carry (control characters) is refused rather than written.
///
/// ```swift
/// let root = XMLWriter.Element(
///   "catalog", namespace: "http://csrc.nist.gov/ns/oscal/1.0", ["uuid": uuid],
///   children: [XMLWriter.Element("title", text: "Fish & Chips")])
/// let data = try XMLWriter().document(root)
/// ```
public struct XMLWriter: Sendable {
  public init() {}

  /// The complete document for `root`, with an XML declaration, as UTF-8 bytes.
  ///
  /// - Parameter root: The document element.
  /// - Returns: The encoded document, ending in a single newline.
  /// - Throws: `ControlGapFailure` of kind `.cannotWrite` when a name is not a valid XML name,
  ///   a value holds a character XML does not allow, or libxml2 reports a failure.
  public func document(_ root: Element) throws -> Data {
    guard let buffer = xmlBufferCreate() else {
      throw Self.failure("cannot allocate an output buffer")
    }
    defer { xmlBufferFree(buffer) }
    guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
      throw Self.failure("cannot allocate a text writer")
    }
    defer { xmlFreeTextWriter(writer) }

    let session = WriteSession(writer: writer)
    try session.check(xmlTextWriterSetIndent(writer, 1), "turn on indentation")
    try session.check(
      withXMLChars("  ") { xmlTextWriterSetIndentString(writer, $0) }, "set the indentation")
    try session.check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    try session.write(root, inheritedNamespace: nil, inline: false)
    try session.check(xmlTextWriterEndDocument(writer), "end the document")

    guard let content = xmlBufferContent(buffer) else { return Data() }
    return Data(bytes: content, count: Int(xmlBufferLength(buffer)))
  }

  /// The complete document for `root` as a string.
  ///
  /// - Throws: The same failures as `document(_:)`.
  public func string(_ root: Element) throws -> String {
    String(decoding: try document(root), as: UTF8.self)
  }

  fileprivate static func failure(_ message: String) -> ControlGapFailure {
    ControlGapFailure(.cannotWrite, "cannot write XML: \(message)")
  }
}

extension XMLWriter {
  /// An element to be written: its name, attributes in the order given, and its content.
  public struct Element: Sendable, Equatable {
    /// An attribute without a namespace, written in the order it was added.
    public struct Attribute: Sendable, Equatable {
      public var name: String
      public var value: String

      public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
      }
    }

    /// Text or a child element, in document order.
    public enum Content: Sendable, Equatable {
      case text(String)
      case element(Element)
    }

    public var name: String
    /// A default namespace to declare on this element. It is written only where it differs
    /// from the namespace in force, so children can leave it `nil`.
    public var namespace: String?
    public var attributes: [Attribute]
    public var content: [Content]

    /// An element with any mix of text and children.
    ///
    /// - Parameters:
    ///   - name: The element's local name.
    ///   - namespace: A default namespace to declare, usually only on the root.
    ///   - attributes: Attributes in output order; a `nil` value leaves the attribute out.
    ///   - content: Text and child elements in document order.
    public init(
      _ name: String, namespace: String? = nil, _ attributes: KeyValuePairs<String, String?> = [:],
      content: [Content] = []
    ) {
      self.name = name
      self.namespace = namespace
      self.attributes = attributes.compactMap { name, value in
        value.map { Attribute(name, $0) }
      }
      self.content = content
    }

    /// An element holding only text, written on one line.
    public init(
      _ name: String, namespace: String? = nil, _ attributes: KeyValuePairs<String, String?> = [:],
      text: String
    ) {
      self.init(name, namespace: namespace, attributes, content: [.text(text)])
    }

    /// An element holding only child elements, each written on its own indented line.
    public init(
      _ name: String, namespace: String? = nil, _ attributes: KeyValuePairs<String, String?> = [:],
      children: [Element]
    ) {
      self.init(name, namespace: namespace, attributes, content: children.map { .element($0) })
    }

    /// Adds a child element after the existing content.
    public mutating func append(_ child: Element) {
      content.append(.element(child))
    }

    /// Adds child elements after the existing content.
    public mutating func append(contentsOf children: [Element]) {
      content.append(contentsOf: children.map { .element($0) })
    }

    /// Whether any non-empty text is directly inside this element.
    var holdsText: Bool {
      content.contains {
        if case .text(let text) = $0 { return !text.isEmpty }
        return false
      }
    }
  }
}

/// One pass of writing an element tree into a libxml2 text writer that the caller owns.
private struct WriteSession {
  let writer: xmlTextWriterPtr

  /// libxml2's writer functions return -1 on failure and a byte count otherwise.
  func check(_ status: Int32, _ step: @autoclosure () -> String) throws {
    if status < 0 { throw XMLWriter.failure("libxml2 could not \(step())") }
  }

  func write(_ element: XMLWriter.Element, inheritedNamespace: String?, inline: Bool) throws {
    try Self.requireName(element.name, as: "element name", in: element.name, allowPrefix: false)
    try check(
      withXMLChars(element.name) { xmlTextWriterStartElement(writer, $0) },
      "start <\(element.name)>")

    // Declared as an ordinary attribute so that it comes first in the start tag; libxml2's
    // namespace-aware call would put it after the other attributes.
    var namespace = inheritedNamespace
    if let declared = element.namespace, declared != inheritedNamespace {
      try Self.requireCharacters(declared, in: element.name)
      try writeAttribute("xmlns", declared, of: element.name)
      namespace = declared
    }
    for attribute in element.attributes {
      try Self.requireName(
        attribute.name, as: "attribute name", in: element.name, allowPrefix: true)
      try Self.requireCharacters(attribute.value, in: element.name)
      try writeAttribute(attribute.name, attribute.value, of: element.name)
    }

    // Indenting inside an element that holds text would add white space to the text, so such
    // an element and everything in it is written on one line.
    let startsInline = !inline && element.holdsText
    if startsInline {
      try check(xmlTextWriterSetIndent(writer, 0), "turn off indentation")
    }
    for item in element.content {
      switch item {
      case .text(let text) where text.isEmpty:
        continue
      case .text(let text):
        try Self.requireCharacters(text, in: element.name)
        try check(
          withXMLChars(text) { xmlTextWriterWriteString(writer, $0) },
          "write text in <\(element.name)>")
      case .element(let child):
        try write(child, inheritedNamespace: namespace, inline: inline || startsInline)
      }
    }
    try check(xmlTextWriterEndElement(writer), "end <\(element.name)>")

    if startsInline {
      // The writer adds the line break after an end tag only while indenting; writing it
      // before indentation is back on keeps the writer's own indentation state intact.
      try check(
        withXMLChars("\n") { xmlTextWriterWriteRaw(writer, $0) },
        "end the line after <\(element.name)>")
      try check(xmlTextWriterSetIndent(writer, 1), "turn on indentation")
    }
  }

  private func writeAttribute(_ name: String, _ value: String, of element: String) throws {
    let status = withXMLChars(name) { name in
      withXMLChars(value) { value in xmlTextWriterWriteAttribute(writer, name, value) }
    }
    try check(status, "write attribute \(name) of <\(element)>")
  }

  private static func requireName(
    _ name: String, as role: String, in element: String, allowPrefix: Bool
  ) throws {
    try requireCharacters(name, in: element)
    let status = withXMLChars(name) {
      allowPrefix ? xmlValidateQName($0, 0) : xmlValidateNCName($0, 0)
    }
    guard !name.isEmpty, status == 0 else {
      throw XMLWriter.failure("\(role) \"\(name)\" in <\(element)> is not a valid XML name")
    }
  }

  /// XML 1.0 allows tab, line feed and carriage return below U+0020, and neither U+FFFE nor
  /// U+FFFF; libxml2's writer would pass such characters through and produce a broken file.
  private static func requireCharacters(_ text: String, in element: String) throws {
    let refused = text.unicodeScalars.first { scalar in
      switch scalar.value {
      case 0x9, 0xA, 0xD: false
      case 0..<0x20, 0xFFFE, 0xFFFF: true
      default: false
      }
    }
    if let refused {
      let code = String(refused.value, radix: 16, uppercase: true)
      let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
      throw XMLWriter.failure("<\(element)> holds U+\(padded), which XML does not allow")
    }
  }
}

/// Passes a string to libxml2, which takes UTF-8 as unsigned bytes ending in a zero byte.
private func withXMLChars<Result>(
  _ string: String, _ body: (UnsafePointer<xmlChar>) -> Result
) -> Result {
  string.withCString { pointer in
    pointer.withMemoryRebound(to: xmlChar.self, capacity: string.utf8.count + 1, body)
  }
}
