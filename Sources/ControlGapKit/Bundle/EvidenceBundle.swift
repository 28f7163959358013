import Foundation

/// One ZIP archive holding an assessment's reports, the workspace files it was made from and
/// the evidence its controls cite, so that an auditor receives a single file that can be
/// checked on its own.
///
/// The archive holds `reports/`, `workspace/`, `evidence/` and `manifest.json`, which lists
/// every other entry with its size and SHA-256. The pseudonym secret is never included: with
/// it, anyone could test candidate names against the pseudonyms in the reports.
public struct EvidenceBundle: Sendable {
  /// One archived file as the manifest lists it.
  public struct Entry: Sendable, Equatable, Decodable {
    public var path: String
    public var bytes: Int
    /// Lowercase hexadecimal.
    public var sha256: String
  }

  /// The name of the manifest inside the archive.
  public static let manifestName = "manifest.json"

  /// The path inside the archive → contents, the manifest included.
  public var files: [String: [UInt8]]

  /// Gathers the bundle's files.
  ///
  /// - Parameters:
  ///   - assessment: The assessment the reports were rendered from.
  ///   - reports: The rendered report files, as `ReportWriter.render` returns them.
  ///   - workspace: The workspace as loaded; its `files` and cited evidence are copied.
  ///   - folder: The workspace folder on disk.
  ///   - version: The tool version recorded in the manifest.
  /// - Throws: `ControlGapFailure(.missingInput)` when a workspace file that was read a moment
  ///   ago can no longer be read.
  public init(
    assessment: Assessment, reports: [(name: String, contents: String)], workspace: Workspace,
    folder: URL, version: String
  ) throws {
    let secret = workspace.settings.telemetry.pseudonymSecretPath.flatMap {
      Self.identity(of: folder.appendingPathComponent($0))
    }
    var files: [String: [UInt8]] = [:]
    for report in reports {
      files["reports/" + report.name] = Array(report.contents.utf8)
    }
    for path in workspace.files {
      let url = folder.appendingPathComponent(path)
      guard secret == nil || Self.identity(of: url) != secret else { continue }
      files["workspace/" + path] = try Self.read(url, shown: path)
    }
    let cited = workspace.controls.flatMap(\.evidence).filter(\.isPresent).map(\.path)
    for path in Set(cited) {
      let url = folder.appendingPathComponent(path)
      guard secret == nil || Self.identity(of: url) != secret else { continue }
      files["evidence/" + Self.normalised(path)] = try Self.read(url, shown: path)
    }

    let entries = try files.keys.sorted().map { path in
      let contents = files[path]!
      guard let sha256 = InputDigest.sha256(of: contents) else {
        throw ControlGapFailure(.cannotWrite, "cannot compute the SHA-256 of \(path)")
      }
      return Entry(path: path, bytes: contents.count, sha256: sha256)
    }
    files[Self.manifestName] = Array(
      Self.manifest(assessment, entries: entries, version: version).utf8)
    self.files = files
  }

  /// The archive's bytes: the same files always give the same bytes.
  public func archive() throws -> [UInt8] {
    try ZipWriter().archive(files)
  }

  /// The manifest: period, tool version, telemetry window and every other entry.
  static func manifest(_ assessment: Assessment, entries: [Entry], version: String) -> String {
    let window: JSONValue =
      assessment.telemetry.map { telemetry in
        .object([
          ("firstDay", .string(telemetry.firstDay.description)),
          ("lastDay", .string(telemetry.lastDay.description)),
        ])
      } ?? .null
    let document = JSONValue.object([
      ("period", .string(assessment.period.description)),
      ("asOf", .string(assessment.asOf.description)),
      ("generator", .string("controlgap")),
      ("version", .string(version)),
      ("telemetryWindow", window),
      (
        "entries",
        .array(
          entries.map { entry in
            .object([
              ("path", .string(entry.path)),
              ("bytes", .int(entry.bytes)),
              ("sha256", .string(entry.sha256)),
            ])
          })
      ),
    ])
    return document.text() + "\n"
  }

  /// A cited path with `./` steps and backslashes removed, so one file gets one entry.
  static func normalised(_ path: String) -> String {
    path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).filter { $0 != "." }
      .joined(separator: "/")
  }

  /// The device and inode a path leads to, following links, so that the secret is recognised
  /// however a workspace file spells its path.
  private static func identity(of url: URL) -> [UInt64]? {
    var status = stat()
    guard stat(url.path, &status) == 0 else { return nil }
    return [UInt64(status.st_dev), UInt64(status.st_ino)]
  }

  private static func read(_ url: URL, shown path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw ControlGapFailure(.missingInput, "cannot read \(path)")
    }
    return Array(data)
  }
}
