import CLibXML2
import Foundation

/// Reads XML through libxml2 with everything that reaches outside the document turned off.
///
/// No network access, no DTD loading, no entity substitution, no XInclude. A document that
/// declares a document type is refused outright, since ControlGap's formats never need one.
/// Problems are collected through libxml2's structured error callback and reported as
/// diagnostics with file, line and column.
public struct XMLReader: Sendable {
  /// What the reader reports a file as: usually the path relative to the workspace.
  public var displayPath: String

  public init(displayPath: String) {
    self.displayPath = displayPath
  }

  /// Parses a document, optionally validates it against a schema, and converts it.
  ///
  /// - Returns: The root element, or `nil` when the document is not well formed, declares a
  ///   document type, or breaks the schema. Every problem has been sent to `diagnostics`.
  public func read(
    _ data: Data, schema: XMLSchema? = nil, diagnostics: DiagnosticSink
  ) -> XMLElementNode? {
    let session = ParseSession(displayPath: displayPath, source: data)
    guard let document = session.parse() else {
      session.problems.forEach(diagnostics.report)
      return nil
    }
    defer { xmlFreeDoc(document) }

    if let schema {
      schema.validate(document, session: session)
    }
    session.problems.forEach(diagnostics.report)
    guard !session.problems.contains(where: { $0.severity == .error }),
      let root = xmlDocGetRootElement(document)
    else { return nil }
    return session.convert(root)
  }
}

/// The state of one parse: the positions of elements and the problems seen.
///
/// libxml2 calls back into this object through `_private` pointers, so it is a class.
final class ParseSession {
  let displayPath: String
  let source: Data
  private(set) var problems: [Diagnostic] = []
  private var parserFailed = false
  private var elementOffsets: [OpaquePointer: Int] = [:]
  private lazy var lineStarts: [Int] = Self.lineStarts(of: source)
  /// Columns are counted in characters of UTF-8 text; for other encodings only lines are known.
  private var sourceIsUTF8 = true
  /// The last position computed, so that positions asked for in document order cost only the
  /// bytes between them, even on a file that is one long line.
  private var lastPosition: (offset: Int, line: Int, column: Int)?

  init(displayPath: String, source: Data) {
    self.displayPath = displayPath
    self.source = source
  }

  /// At most this many problems are kept per file; a hostile file could otherwise produce
  /// one line per attribute or element.
  static let problemLimit = 50

  func add(_ diagnostic: Diagnostic) {
    if problems.count == Self.problemLimit {
      problems.append(
        .error(
          "more than \(Self.problemLimit) problems in this file; the rest are not shown",
          at: SourceLocation(path: displayPath)))
    }
    guard problems.count < Self.problemLimit else { return }
    problems.append(diagnostic)
  }

  /// libxml2 reports one malformation as a cascade of errors; the first one names it.
  fileprivate func addParserError(_ diagnostic: Diagnostic) {
    if diagnostic.severity == .error {
      guard !parserFailed else { return }
      parserFailed = true
    }
    add(diagnostic)
  }

  func location(line: Int, column: Int) -> SourceLocation {
    SourceLocation(path: displayPath, line: line, column: column)
  }

  /// Where an element's start tag begins, from the offset recorded while parsing.
  func location(of node: xmlNodePtr?) -> SourceLocation {
    guard let node else { return SourceLocation(path: displayPath) }
    if sourceIsUTF8, let offset = elementOffsets[OpaquePointer(node)] {
      return location(atOffset: offset)
    }
    return location(line: Int(xmlGetLineNo(node)), column: 0)
  }

  func parse() -> xmlDocPtr? {
    guard let context = xmlNewParserCtxt() else {
      add(.error("cannot allocate an XML parser", at: SourceLocation(path: displayPath)))
      return nil
    }
    defer { xmlFreeParserCtxt(context) }

    let unmanaged = Unmanaged.passUnretained(self)
    context.pointee._private = unmanaged.toOpaque()
    if let sax = context.pointee.sax {
      sax.pointee.internalSubset = refuseDocumentType
      sax.pointee.externalSubset = nil
      sax.pointee.startElementNs = recordElementStart
      sax.pointee.serror = collectStructuredError
    }

    guard !source.isEmpty else {
      add(.error("file is empty", at: SourceLocation(path: displayPath)))
      return nil
    }
    if let nul = firstNulByte() {
      // libxml2 stops reading at a NUL byte after the root element, so anything behind one
      // would pass unseen.
      add(.error("file contains a NUL byte", at: location(atOffset: nul)))
      return nil
    }
    let options = Int32(
      XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOXINCNODE.rawValue
        | XML_PARSE_NOWARNING.rawValue)
    let document: xmlDocPtr? = source.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
      return xmlCtxtReadMemory(context, base, Int32(clamping: buffer.count), nil, nil, options)
    }
    if source.count > Int(Int32.max) {
      add(.error("file is too large to read", at: SourceLocation(path: displayPath)))
    }

    if let document, let encoding = document.pointee.encoding {
      let name = String(cString: encoding).uppercased()
      sourceIsUTF8 = name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII"
    }
    let wellFormed = context.pointee.wellFormed != 0
    if document == nil || !wellFormed || problems.contains(where: { $0.severity == .error }) {
      if problems.isEmpty {
        add(.error("document is not well-formed XML", at: SourceLocation(path: displayPath)))
      }
      if let document { xmlFreeDoc(document) }
      return nil
    }
    return document
  }

  /// Called from libxml2 at each start tag; keeps the byte offset of the tag's `<`.
  fileprivate func recordStart(of node: xmlNodePtr, consumed: Int) {
    var offset = min(max(consumed - 1, 0), max(source.count - 1, 0))
    // `<` cannot occur inside an attribute value, so the nearest one behind the end of the
    // start tag is where the tag begins.
    source.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Void in
      while offset > 0 && bytes[offset] != UInt8(ascii: "<") { offset -= 1 }
    }
    elementOffsets[OpaquePointer(node)] = offset
  }

  func convert(_ node: xmlNodePtr) -> XMLElementNode {
    var element = XMLElementNode(
      name: String(cString: node.pointee.name),
      namespace: node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } },
      location: location(of: node))

    var attribute = node.pointee.properties
    while let current = attribute {
      element.attributes.append(
        .init(
          name: String(cString: current.pointee.name),
          namespace: current.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } },
          value: Self.textOfChildren(current.pointee.children)))
      attribute = current.pointee.next
    }

    var child = node.pointee.children
    while let current = child {
      switch current.pointee.type {
      case XML_ELEMENT_NODE:
        element.content.append(.element(convert(current)))
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let text = current.pointee.content {
          element.content.append(.text(String(cString: text)))
        }
      default:
        break
      }
      child = current.pointee.next
    }
    return element
  }

  /// An attribute's value is a list of text nodes; entities are never substituted, so text
  /// is all there is.
  private static func textOfChildren(_ first: xmlNodePtr?) -> String {
    var value = ""
    var node = first
    while let current = node {
      if let content = current.pointee.content { value += String(cString: content) }
      node = current.pointee.next
    }
    return value
  }

  private func location(atOffset offset: Int) -> SourceLocation {
    if let last = lastPosition, last.offset <= offset, lineIndex(of: offset) == last.line - 1 {
      let column = last.column + characters(from: last.offset, to: offset)
      lastPosition = (offset, last.line, column)
      return location(line: last.line, column: column)
    }
    let line = lineIndex(of: offset)
    let column = 1 + characters(from: lineStarts[line], to: offset)
    lastPosition = (offset, line + 1, column)
    return location(line: line + 1, column: column)
  }

  private func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return low
  }

  /// Characters between two byte offsets: UTF-8 continuation bytes do not start one.
  private func characters(from start: Int, to end: Int) -> Int {
    source.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int in
      var count = 0
      for index in start..<min(end, bytes.count) where bytes[index] & 0xC0 != 0x80 { count += 1 }
      return count
    }
  }

  /// Where lines start: after a line feed, and after a carriage return not followed by one.
  private static func lineStarts(of data: Data) -> [Int] {
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> [Int] in
      var starts = [0]
      for index in 0..<bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n")
          || (byte == UInt8(ascii: "\r")
            && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
        {
          starts.append(index + 1)
        }
      }
      return starts
    }
  }

  /// The offset of the first NUL byte in a file in an ASCII-compatible encoding. UTF-16 and
  /// UTF-32 text, recognised by a byte-order mark or a NUL among the first bytes, is left to
  /// libxml2.
  private func firstNulByte() -> Int? {
    source.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
      guard bytes.count >= 2 else { return bytes.first == 0 ? 0 : nil }
      let (first, second) = (bytes[0], bytes[1])
      if (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE) || first == 0
        || second == 0
      {
        return nil
      }
      return bytes.firstIndex(of: 0)
    }
  }

  static func from(_ context: UnsafeMutableRawPointer?) -> ParseSession? {
    guard let context else { return nil }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let owner = parser.pointee._private else { return nil }
    return Unmanaged<ParseSession>.fromOpaque(owner).takeUnretainedValue()
  }
}

/// libxml2 reports every parser problem here; the parser context carries the session.
private func collectStructuredError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let error, let session = ParseSession.from(userData) else { return }
  session.addParserError(XMLErrorTranslation.diagnostic(for: error.pointee, session: session))
}

private func refuseDocumentType(
  _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?,
  _ externalID: UnsafePointer<xmlChar>?, _ systemID: UnsafePointer<xmlChar>?
) {
  guard let context, let session = ParseSession.from(context) else { return }
  let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
  let line = Int(xmlSAX2GetLineNumber(context))
  session.add(
    .error(
      "document type declarations are not allowed",
      at: session.location(line: line, column: 1)))
  xmlStopParser(parser)
}

private func recordElementStart(
  _ context: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?,
  _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ namespaceCount: Int32,
  _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ attributeCount: Int32,
  _ defaultedCount: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
) {
  xmlSAX2StartElementNs(
    context, localname, prefix, uri, namespaceCount, namespaces, attributeCount, defaultedCount,
    attributes)
  guard let context, let session = ParseSession.from(context) else { return }
  let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
  if let node = parser.pointee.node {
    session.recordStart(of: node, consumed: Int(xmlByteConsumed(parser)))
  }
}
