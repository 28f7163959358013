import Foundation

/// The workspace's secret for pseudonymising user identifiers, read from the file its settings
/// name.
///
/// The secret stays inside the workspace and never reaches an output; without it, nobody can
/// test candidate names against the pseudonyms.
public enum PseudonymSecret {
  /// The largest secret file read: far more than any key needs.
  static let largestFile = 1 << 16

  /// The pseudonymiser keyed with the workspace's secret, or `nil` after reporting why the
  /// secret cannot be used.
  public static func read(
    _ settings: WorkspaceSettings.TelemetrySettings, folder: URL, displayRoot: String,
    diagnostics: DiagnosticSink
  ) -> Pseudonymiser? {
    read(
      settings, paths: WorkspacePaths(root: folder, displayRoot: displayRoot),
      diagnostics: diagnostics)
  }

  static func read(
    _ settings: WorkspaceSettings.TelemetrySettings, paths: WorkspacePaths,
    diagnostics: DiagnosticSink
  ) -> Pseudonymiser? {
    guard let path = settings.pseudonymSecretPath else {
      diagnostics.error(
        "access events need a pseudonym secret: add <pseudonym-secret path=\"...\"/> to "
          + "<telemetry>, naming a file of at least 16 random bytes inside the workspace",
        at: SourceLocation(path: paths.display(WorkspaceLoader.settingsFile)))
      return nil
    }
    let location = settings.pseudonymSecretLocation
    switch paths.check(path) {
    case .outside:
      diagnostics.error("pseudonym secret '\(path)' leaves the workspace", at: location)
      return nil
    case .inside(.file):
      break
    case .inside:
      diagnostics.error("pseudonym secret '\(path)' is not a readable file", at: location)
      return nil
    }
    let url = paths.url(path)
    let size =
      (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?
      .intValue ?? 0
    guard size <= Self.largestFile else {
      diagnostics.error(
        "pseudonym secret '\(path)' is \(size) bytes; a secret file holds at most "
          + "\(Self.largestFile)", at: location)
      return nil
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      diagnostics.error("pseudonym secret '\(path)' is not a readable file", at: location)
      return nil
    }
    // A trailing line break from `openssl rand -hex 32 > file` is not part of the secret.
    var bytes = Array(data)
    while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 {
      bytes.removeLast()
    }
    guard let pseudonymiser = Pseudonymiser(key: bytes) else {
      diagnostics.error(
        "pseudonym secret '\(path)' holds \(bytes.count) \(bytes.count == 1 ? "byte" : "bytes"); "
          + "it needs at least 16",
        at: location)
      return nil
    }
    return pseudonymiser
  }
}
