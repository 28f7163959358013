import CLibXML2
import Foundation

/// Turns libxml2's error records into ControlGap diagnostics.
enum XMLErrorTranslation {
  static func diagnostic(for error: xmlError, session: ParseSession) -> Diagnostic {
    let severity: Severity = error.level == XML_ERR_WARNING ? .warning : .error
    let raw = error.message.map { String(cString: $0) } ?? "unknown XML error"
    let message = tidy(raw)

    let location: SourceLocation
    if let node = error.node, isElement(node) {
      location = session.location(of: node.assumingMemoryBound(to: xmlNode.self))
    } else {
      location = session.location(line: Int(error.line), column: Int(error.int2))
    }
    return Diagnostic(severity, message, at: location)
  }

  private static func isElement(_ node: UnsafeMutableRawPointer) -> Bool {
    node.assumingMemoryBound(to: xmlNode.self).pointee.type == XML_ELEMENT_NODE
  }

  /// libxml2 messages end in a newline and sometimes start with a capital or carry the
  /// namespace in braces; ControlGap's messages are one lowercase line.
  static func tidy(_ message: String) -> String {
    var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
    text = text.replacingOccurrences(of: "{urn:controlgap:workspace:1}", with: "")
    text = text.replacingOccurrences(of: "{http://csrc.nist.gov/ns/oscal/1.0}", with: "")
    text = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    if text.hasSuffix(".") { text.removeLast() }
    if let first = text.first, first.isUppercase,
      text.dropFirst().first.map({ !$0.isUppercase }) ?? true
    {
      text = first.lowercased() + text.dropFirst()
    }
    return text
  }
}
