import ControlGapKit
import Foundation

/// Reads the framework sources from the shared data directory, translates each into an OSCAL
/// catalog, checks the result against the OSCAL catalog schema, and writes it.
///
/// A catalog is written only when its source translated without errors and the generated
/// document validates, so a bad run never replaces a good file.
struct FrameworkCatalogBuilder {
  static let schemaPath = "oscal-schemas-v1.2.1/oscal_catalog_schema.xsd"
  static let nhiPath = "owasp-nhi-top10-2025/owasp-nhi-top10-2025.json"

  var dataDirectory: URL
  var outputDirectory: URL
  /// Collects what the sources and the schema check report; the caller prints it.
  let diagnostics: DiagnosticCollector

  /// Builds and writes the three catalogs.
  ///
  /// - Returns: The files written, in order.
  /// - Throws: `ControlGapFailure` when a source is missing or invalid, a generated catalog
  ///   does not validate, or a file cannot be written. Details go to `diagnostics` first.
  func run() throws -> [URL] {
    let schema = try XMLSchema(
      contentsOf: dataDirectory.appendingPathComponent(Self.schemaPath),
      displayPath: Self.schemaPath, diagnostics: diagnostics)

    let csfRoot = try readXML(NISTSource.csf.path)
    let csf = CSFCatalogTranslator(diagnostics: diagnostics).catalog(from: csfRoot)
    let aiRMFRoot = try readXML(NISTSource.aiRMF.path)
    let aiRMF = AIRMFCatalogTranslator(diagnostics: diagnostics).catalog(from: aiRMFRoot)
    let nhi = NHITopTenTranslator(displayPath: Self.nhiPath, diagnostics: diagnostics)
      .catalog(fromJSON: try readData(Self.nhiPath))
    try stopOnErrors("the framework sources have errors")

    let catalogs = [(FrameworkEdition.csf, csf), (.aiRMF, aiRMF), (.nhiTopTen, nhi)]
    let documents = try catalogs.map { edition, catalog in
      (edition, try OSCALCatalogRenderer.document(catalog))
    }
    for (edition, document) in documents {
      _ = XMLReader(displayPath: edition.fileName).read(
        document, schema: schema, diagnostics: diagnostics)
    }
    try stopOnErrors("a generated catalog does not match the OSCAL catalog schema")

    return try documents.map { edition, document in
      try write(document, to: outputDirectory.appendingPathComponent(edition.fileName))
    }
  }

  private func readData(_ path: String) throws -> Data {
    let url = dataDirectory.appendingPathComponent(path)
    guard let data = try? Data(contentsOf: url) else {
      throw ControlGapFailure(.missingInput, "cannot read \(url.path)")
    }
    return data
  }

  private func readXML(_ path: String) throws -> XMLElementNode {
    let data = try readData(path)
    guard let root = XMLReader(displayPath: path).read(data, diagnostics: diagnostics) else {
      throw ControlGapFailure(.badInput, "cannot read \(path) as XML")
    }
    return root
  }

  private func stopOnErrors(_ message: String) throws {
    if diagnostics.hasErrors {
      throw ControlGapFailure(.badInput, message)
    }
  }

  private func write(_ document: Data, to url: URL) throws -> URL {
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try document.write(to: url, options: .atomic)
    } catch {
      throw ControlGapFailure(.cannotWrite, "cannot write \(url.path)")
    }
    return url
  }
}
