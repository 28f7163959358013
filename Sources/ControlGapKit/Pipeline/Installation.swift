import Foundation

/// Where ControlGap's own files live: the shipped catalogs, the workspace schema, the report
/// templates and the example workspace.
public struct Installation: Sendable {
  public let root: URL

  public init(root: URL) {
    self.root = root
  }

  public var catalogsFolder: URL { root.appendingPathComponent("Frameworks/catalogs") }
  public var workspaceSchema: URL {
    root.appendingPathComponent("Frameworks/schemas/controlgap-workspace.xsd")
  }
  public var templatesFolder: URL { root.appendingPathComponent("Templates") }
  public var exampleWorkspace: URL { root.appendingPathComponent("Examples/harbourline") }

  /// Finds the installation for an executable.
  ///
  /// `CONTROLGAP_HOME` wins when set. Otherwise the folders above the executable are searched
  /// for one that holds `Frameworks/catalogs` and `Templates`, which finds the package root
  /// from `.build/<config>/controlgap`; then `<prefix>/share/controlgap` for an installed binary.
  public static func locate(executable: URL, environment: [String: String]) -> Installation? {
    if let home = environment["CONTROLGAP_HOME"], !home.isEmpty {
      let candidate = Installation(root: URL(fileURLWithPath: home))
      return candidate.isComplete ? candidate : nil
    }
    var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<8 {
      for candidate in [folder, folder.appendingPathComponent("share/controlgap")] {
        let installation = Installation(root: candidate)
        if installation.isComplete { return installation }
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { break }
      folder = parent
    }
    return nil
  }

  private var isComplete: Bool {
    var isDirectory: ObjCBool = false
    let manager = FileManager.default
    return manager.fileExists(atPath: catalogsFolder.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
      && manager.fileExists(atPath: templatesFolder.path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}

extension Installation {
  /// The workspace in `folder`, validated against the installation's workspace schema.
  func loadWorkspace(_ folder: URL, displayRoot: String, diagnostics: DiagnosticSink) throws
    -> Workspace
  {
    let schema = try XMLSchema(
      contentsOf: workspaceSchema,
      displayPath: "Frameworks/schemas/controlgap-workspace.xsd", diagnostics: diagnostics)
    return try WorkspaceLoader(schema: schema).load(
      folder: folder, displayRoot: displayRoot, diagnostics: diagnostics)
  }
}
