import Foundation

/// Converts an OSCAL 1.x catalog in XML into a `Catalog`.
///
/// Reads any catalog: groups nested in groups, controls nested in controls, parts with
/// prose, props, params, links and back-matter. Structural problems are reported with their
/// position; only a file that cannot be read as a catalog at all makes `load` throw.
public struct CatalogLoader: Sendable {
  static let oscalNamespace = "http://csrc.nist.gov/ns/oscal/1.0"
  static let controlGapNamespace = "urn:controlgap:oscal"

  public init() {}

  /// Loads a catalog file.
  ///
  /// - Parameters:
  ///   - url: The catalog file.
  ///   - displayPath: How the file is named in diagnostics.
  ///   - key: The framework key to use when the catalog does not declare one.
  /// - Throws: `ControlGapFailure` when the file is missing or is not an OSCAL catalog.
  public func load(
    contentsOf url: URL, displayPath: String, key: String? = nil, diagnostics: DiagnosticSink
  ) throws -> Catalog {
    guard
      let data = InputFile.contents(of: url, displayPath: displayPath, diagnostics: diagnostics)
    else {
      throw ControlGapFailure(.badInput, "cannot read catalog \(displayPath)")
    }
    let fallbackKey = key ?? Self.key(fromFileName: url.deletingPathExtension().lastPathComponent)
    var catalog = try load(
      data, displayPath: displayPath, key: fallbackKey, diagnostics: diagnostics)
    if let sha256 = InputDigest.sha256(of: Array(data)) {
      catalog.file = CatalogFile(url: url, bytes: data.count, sha256: sha256)
    }
    return catalog
  }

  /// Loads a catalog from bytes already read.
  public func load(
    _ data: Data, displayPath: String, key: String, diagnostics: DiagnosticSink
  ) throws -> Catalog {
    guard let root = XMLReader(displayPath: displayPath).read(data, diagnostics: diagnostics)
    else { throw ControlGapFailure(.badInput, "catalog \(displayPath) is not well-formed XML") }
    guard root.name == "catalog", root.namespace == Self.oscalNamespace else {
      let found = root.namespace.map { "{\($0)}\(root.name)" } ?? root.name
      diagnostics.error(
        "root element is '\(found)', expected an OSCAL catalog", at: root.location)
      throw ControlGapFailure(.badInput, "\(displayPath) is not an OSCAL catalog")
    }
    var conversion = CatalogConversion(diagnostics: diagnostics)
    let catalog = conversion.catalog(from: root, key: key)
    if conversion.failed {
      throw ControlGapFailure(.badInput, "catalog \(displayPath) has errors")
    }
    return catalog
  }

  /// Whether a framework key is a plain word: letters, digits, `-`, `.` and `_`, at most 64.
  public static func isValidKey(_ key: String) -> Bool {
    !key.isEmpty && key.count <= 64
      && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
  }

  /// A framework key from a file name: lowercased, with anything but letters, digits, `.`
  /// and `-` turned into `-`.
  static func key(fromFileName name: String) -> String {
    let mapped = name.lowercased().map { character -> Character in
      character.isASCII
        && (character.isLetter || character.isNumber || character == "." || character == "-")
        ? character : "-"
    }
    return String(mapped)
  }
}
