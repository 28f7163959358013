import Foundation

/// Checks an evidence bundle against its own manifest: every entry a plain file at a safe
/// path, every listed file present with its recorded size and SHA-256, and nothing unlisted.
///
/// This shows that the archive is complete and unchanged since its manifest was written; it
/// does not show who wrote the manifest.
public struct BundleVerification: Sendable {
  /// The files the manifest lists, when every check held.
  public private(set) var verifiedFiles = 0
  /// One error per problem, in the order: refused entries, manifest, missing, unlisted,
  /// changed.
  public private(set) var problems: [Diagnostic] = []

  /// Checks `entries`, as `ZipReader` read them; problems are located at `display`, the
  /// archive's path as the user gave it.
  public init(entries: [ZipReader.Entry], display: String) {
    let location = SourceLocation(path: display)
    func problem(_ message: String) {
      problems.append(.error(message, at: location))
    }

    var files: [String: [UInt8]] = [:]
    // Paths already reported, so that a refused or repeated entry is not also called missing.
    var refused: Set<String> = []
    for entry in entries {
      if let reason = Self.refusal(entry) {
        problem("\(reason): \(entry.path)")
        refused.insert(entry.path)
      } else if files[entry.path] != nil {
        problem("duplicate entry: \(entry.path)")
        refused.insert(entry.path)
      } else {
        files[entry.path] = entry.contents
      }
    }

    guard let manifestBytes = files.removeValue(forKey: EvidenceBundle.manifestName) else {
      if !refused.contains(EvidenceBundle.manifestName) {
        problem("no \(EvidenceBundle.manifestName)")
      }
      return
    }
    let listed: [EvidenceBundle.Entry]
    do {
      listed = try JSONDecoder().decode(Manifest.self, from: Data(manifestBytes)).entries
    } catch {
      problem("\(EvidenceBundle.manifestName) is not a bundle manifest")
      return
    }

    let listedPaths = Set(listed.map(\.path))
    for entry in listed where files[entry.path] == nil && !refused.contains(entry.path) {
      problem("missing: \(entry.path)")
    }
    for path in files.keys.sorted() where !listedPaths.contains(path) {
      problem("not in the manifest: \(path)")
    }
    for entry in listed {
      guard let contents = files[entry.path] else { continue }
      let sha256 = InputDigest.sha256(of: contents) ?? "unknown"
      if sha256 != entry.sha256 {
        problem("changed: \(entry.path) (sha256 \(sha256), manifest says \(entry.sha256))")
      } else if contents.count != entry.bytes {
        problem("changed: \(entry.path) (\(contents.count) bytes, manifest says \(entry.bytes))")
      }
    }
    if problems.isEmpty { verifiedFiles = listed.count }
  }

  /// Why an entry is refused before its contents are looked at, or `nil` when it is a plain
  /// file at a path that stays inside the folder it would be extracted to.
  static func refusal(_ entry: ZipReader.Entry) -> String? {
    let components = entry.path.split(
      separator: "/", omittingEmptySubsequences: false
    ).flatMap { $0.split(separator: "\\", omittingEmptySubsequences: false) }
    if entry.path.hasPrefix("/") || entry.path.hasPrefix("\\") {
      return "absolute path"
    }
    if components.contains("..") { return "path leaves the bundle" }
    switch entry.kind {
    case .regularFile: return nil
    case .symbolicLink: return "symbolic link"
    case .hardLink: return "hard link"
    case .other: return "not a regular file"
    }
  }

  /// The part of `manifest.json` that verification reads.
  private struct Manifest: Decodable {
    var entries: [EvidenceBundle.Entry]
  }
}
