import CLibXML2
import Foundation

/// A compiled W3C XML Schema, used to validate documents before they are converted.
///
/// The compiled schema is read-only once built, so one instance serves any number of
/// validations; each validation gets its own libxml2 context.
public final class XMLSchema: @unchecked Sendable {
  private let schema: xmlSchemaPtr
  public let displayPath: String

  /// Compiles a schema from its bytes.
  ///
  /// - Throws: `ControlGapFailure` of kind `.badInput` when the schema does not compile;
  ///   the reasons have been sent to `diagnostics`.
  public init(data: Data, displayPath: String, diagnostics: DiagnosticSink) throws {
    self.displayPath = displayPath
    let collector = SchemaErrorCollector(displayPath: displayPath)
    let compiled: xmlSchemaPtr? = data.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
        let parser = xmlSchemaNewMemParserCtxt(base, Int32(clamping: buffer.count))
      else { return nil }
      defer { xmlSchemaFreeParserCtxt(parser) }
      let unmanaged = Unmanaged.passUnretained(collector)
      xmlSchemaSetParserStructuredErrors(parser, collectSchemaError, unmanaged.toOpaque())
      return xmlSchemaParse(parser)
    }
    collector.problems.forEach(diagnostics.report)
    guard let compiled else {
      throw ControlGapFailure(.badInput, "schema \(displayPath) does not compile")
    }
    schema = compiled
  }

  /// Compiles the schema in a file.
  public convenience init(contentsOf url: URL, displayPath: String, diagnostics: DiagnosticSink)
    throws
  {
    guard let data = try? Data(contentsOf: url) else {
      throw ControlGapFailure(.missingInput, "cannot read schema \(displayPath)")
    }
    try self.init(data: data, displayPath: displayPath, diagnostics: diagnostics)
  }

  deinit {
    xmlSchemaFree(schema)
  }

  /// Validates a parsed document, adding each violation to the parse session's problems.
  func validate(_ document: xmlDocPtr, session: ParseSession) {
    guard let context = xmlSchemaNewValidCtxt(schema) else {
      session.add(
        .error("cannot allocate a schema validator", at: session.location(line: 0, column: 0)))
      return
    }
    defer { xmlSchemaFreeValidCtxt(context) }
    let unmanaged = Unmanaged.passUnretained(session)
    xmlSchemaSetValidStructuredErrors(context, collectValidationError, unmanaged.toOpaque())
    let result = xmlSchemaValidateDoc(context, document)
    if result != 0 && !session.problems.contains(where: { $0.severity == .error }) {
      session.add(
        .error(
          "document does not match schema \(displayPath)", at: session.location(line: 0, column: 0))
      )
    }
  }
}

/// Keeps problems found while compiling a schema.
private final class SchemaErrorCollector {
  let displayPath: String
  var problems: [Diagnostic] = []

  init(displayPath: String) { self.displayPath = displayPath }
}

private func collectSchemaError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let userData, let error else { return }
  let collector = Unmanaged<SchemaErrorCollector>.fromOpaque(userData).takeUnretainedValue()
  let message = XMLErrorTranslation.tidy(
    error.pointee.message.map { String(cString: $0) } ?? "unknown schema error")
  let severity: Severity = error.pointee.level == XML_ERR_WARNING ? .warning : .error
  collector.problems.append(
    Diagnostic(
      severity, message,
      at: SourceLocation(path: collector.displayPath, line: Int(error.pointee.line))))
}

private func collectValidationError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let userData, let error else { return }
  let session = Unmanaged<ParseSession>.fromOpaque(userData).takeUnretainedValue()
  session.add(XMLErrorTranslation.diagnostic(for: error.pointee, session: session))
}
