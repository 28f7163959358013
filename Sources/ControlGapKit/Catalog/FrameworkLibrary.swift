import Foundation

/// The frameworks available to a run: the catalogs ControlGap ships, plus any catalog the user
/// adds on the command line.
public struct FrameworkLibrary: Sendable {
  public private(set) var frameworks: [Framework]
  /// Keys of catalogs added by the user, which are always in scope.
  public private(set) var addedKeys: [String] = []

  /// Loads every `*.xml` catalog in `folder`, sorted by file name.
  public init(shippedIn folder: URL, displayFolder: String, diagnostics: DiagnosticSink) throws {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let files = names.filter { $0.hasSuffix(".xml") }.sorted()
    guard !files.isEmpty else {
      diagnostics.error("no framework catalogs found", at: SourceLocation(path: displayFolder))
      throw ControlGapFailure(.missingInput, "no framework catalogs in \(displayFolder)")
    }
    frameworks = try files.map { name in
      let catalog = try CatalogLoader().load(
        contentsOf: folder.appendingPathComponent(name), displayPath: "\(displayFolder)/\(name)",
        diagnostics: diagnostics)
      return Framework(catalog: catalog)
    }
  }

  /// Adds a catalog from a file, checked against the shipped catalog of the same edition.
  ///
  /// - Throws: `ControlGapFailure` when the file cannot be read or its key is already taken.
  public mutating func add(
    contentsOf url: URL, displayPath: String, key: String?, diagnostics: DiagnosticSink
  ) throws {
    let loaded = try CatalogLoader().load(
      contentsOf: url, displayPath: displayPath, key: key, diagnostics: diagnostics)
    var catalog = CatalogReconciliation(reference: frameworks).reconcile(
      loaded, diagnostics: diagnostics)
    if let key { catalog.key = key }
    if frameworks.contains(where: { $0.key == catalog.key }) {
      // An added catalog that declares a shipped key gets its file name as key instead.
      let fallback = CatalogLoader.key(fromFileName: url.deletingPathExtension().lastPathComponent)
      guard key == nil, !frameworks.contains(where: { $0.key == fallback }) else {
        diagnostics.error(
          "framework key '\(catalog.key)' is already in use; choose another with KEY=FILE",
          at: SourceLocation(path: displayPath))
        throw ControlGapFailure(.usage, "framework key \(catalog.key) is already in use")
      }
      catalog.key = fallback
    }
    frameworks.append(Framework(catalog: catalog))
    addedKeys.append(catalog.key)
  }

  /// The framework with this key, ignoring letter case and treating `_` as `-`.
  public func framework(_ key: String) -> Framework? {
    func folded(_ text: String) -> String {
      text.lowercased().replacingOccurrences(of: "_", with: "-")
    }
    return frameworks.first { $0.key == key } ?? frameworks.first { folded($0.key) == folded(key) }
  }
}
