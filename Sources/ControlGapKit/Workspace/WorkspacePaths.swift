import Foundation

/// Resolves paths that workspace files write, keeping every one of them inside the workspace.
struct WorkspacePaths {
  let root: URL
  let displayRoot: String

  func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }

  /// The path shown in diagnostics for a file inside the workspace.
  func display(_ relativePath: String) -> String {
    displayRoot.isEmpty || displayRoot == "." ? relativePath : "\(displayRoot)/\(relativePath)"
  }

  /// The `.xml` files directly inside a folder of the workspace, sorted by name. A missing
  /// folder is simply empty; a file reached through a link that leaves the workspace is refused.
  func xmlFiles(in folder: String, diagnostics: DiagnosticSink) -> [String] {
    files(in: folder, extensions: ["xml"], diagnostics: diagnostics)
  }

  /// The files directly inside a folder of the workspace whose extension, in any letter case,
  /// is one of `extensions`, sorted by name; hidden files are skipped.
  func files(in folder: String, extensions: Set<String>, diagnostics: DiagnosticSink)
    -> [String]
  {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: url(folder).path, isDirectory: &isDirectory)
    guard !exists || isDirectory.boolValue else {
      // A file where the folder belongs would otherwise read as "no findings".
      diagnostics.error("'\(folder)' is not a folder", at: SourceLocation(path: display(folder)))
      return []
    }
    guard case .inside = check(folder) else {
      diagnostics.error(
        "'\(folder)' is a link that leaves the workspace",
        at: SourceLocation(path: display(folder)))
      return []
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
    let wanted = names.filter {
      !$0.hasPrefix(".") && extensions.contains(($0 as NSString).pathExtension.lowercased())
    }
    return wanted.sorted().compactMap {
      let relative = "\(folder)/\($0)"
      guard case .inside = check(relative) else {
        diagnostics.error(
          "file is a link that leaves the workspace", at: SourceLocation(path: display(relative)))
        return nil
      }
      return relative
    }
  }

  enum Check: Equatable {
    case inside(Presence)
    case outside
  }

  enum Presence: Equatable {
    case file
    case missing
    /// A folder, device or other thing that is not a regular file.
    case notAFile
    /// A symbolic link whose target does not exist.
    case brokenLink
  }

  /// Whether a path written in a workspace file stays inside the workspace, following links.
  func check(_ written: String) -> Check {
    if written.isEmpty || written.hasPrefix("/") || written.hasPrefix("\\")
      || written.contains("\0")
    {
      return .outside
    }
    let components = written.split(whereSeparator: { $0 == "/" || $0 == "\\" })
    if components.contains("..") { return .outside }

    let rootReal = Self.realPath(root.path) ?? root.standardizedFileURL.path
    let candidate = root.appendingPathComponent(written).path
    guard FileManager.default.fileExists(atPath: candidate) || Self.isLink(candidate) else {
      return .inside(.missing)
    }
    guard let real = Self.realPath(candidate) else {
      return Self.isLink(candidate) ? .inside(.brokenLink) : .outside
    }
    let prefix = rootReal.hasSuffix("/") ? rootReal : rootReal + "/"
    guard real.hasPrefix(prefix) else { return .outside }
    // A folder or a device is not an evidence file.
    let attributes = try? FileManager.default.attributesOfItem(atPath: real)
    guard let type = attributes?[.type] as? FileAttributeType else { return .inside(.missing) }
    return .inside(type == .typeRegular ? .file : .notAFile)
  }

  private static func isLink(_ path: String) -> Bool {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
