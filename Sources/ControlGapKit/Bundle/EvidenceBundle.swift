import Foundation

/// One ZIP archive holding an assessment's reports, the catalogs and workspace files it was
/// made from and the evidence its controls cite, so that an auditor receives a single file that
/// can be checked on its own.
///
/// The archive holds `catalogs/`, `evidence/`, `reports/`, `workspace/`, then `manifest.json`,
/// which lists every other entry with its size and SHA-256, and, when signed,
/// `signature.json`. Files are streamed into the archive, so a large export is never held in
/// memory.
///
/// Two kinds of workspace file stay out. Raw access events carry user identifiers, which no
/// output of ControlGap holds: the bundle carries their aggregate instead, as
/// `workspace/aggregates/`, from which the assessment can be made again, and the manifest
/// lists each event file as withheld with its size and SHA-256. The pseudonym secret is never
/// included: with it, anyone could test candidate names against the pseudonyms.
public struct EvidenceBundle: Sendable {
  /// Where one entry's bytes come from.
  public enum Content: Sendable, Equatable {
    case bytes([UInt8])
    /// A file streamed in when the archive is written; `shown` names it in errors, `sha256`,
    /// when known, is what the file held when the assessment read it, and `within`, when
    /// given, is the folder the file must still lie in when it is opened.
    case file(URL, shown: String, sha256: String?, within: URL?)
  }

  /// The name of the manifest inside the archive.
  public static let manifestName = "manifest.json"
  /// Where the events' aggregate goes, relative to the workspace: a name no workspace is
  /// likely to hold, in the folder ControlGap reads aggregates from.
  public static let eventsAggregatePath =
    WorkspaceLoader.aggregatesFolder + "/controlgap-bundled-events.csv"
  static let eventsReason =
    "raw access events hold user identifiers; their aggregate is "
    + "bundled as workspace/" + eventsAggregatePath

  /// The path inside the archive → where its bytes come from; the manifest is not among them.
  public private(set) var contents: [String: Content]
  /// The manifest without its entries, which are known once the files have been read.
  public private(set) var manifest: BundleManifest

  /// Gathers what the bundle will hold; nothing is read until the archive is written.
  ///
  /// - Parameters:
  ///   - assessment: The assessment the reports were rendered from.
  ///   - reports: The rendered report files, as `ReportWriter.render` returns them.
  ///   - frameworks: The frameworks assessed; their catalog files are copied.
  ///   - workspace: The workspace as loaded; its `files` and cited evidence are copied, except
  ///     its event files.
  ///   - eventsAggregate: What the event files counted to, archived in their place.
  ///   - folder: The workspace folder on disk.
  ///   - version: The tool version recorded in the manifest.
  /// - Throws: `ControlGapFailure(.badInput)` when evidence is a raw event file, or when the
  ///   workspace already holds a file where the events' aggregate goes.
  public init(
    assessment: Assessment, reports: [(name: String, contents: String)],
    frameworks: [Framework], workspace: Workspace, eventsAggregate: TelemetryAggregate?,
    folder: URL, version: String
  ) throws {
    // Files that never go in, recognised by device and inode however a path spells them: the
    // pseudonym secret and every raw event file.
    let secret = workspace.settings.telemetry.pseudonymSecretPath.flatMap {
      Self.identity(of: folder.appendingPathComponent($0))
    }
    let eventIdentities = Set(
      workspace.eventFiles.compactMap { Self.identity(of: folder.appendingPathComponent($0)) })
    func display(_ path: String) -> String {
      WorkspacePaths(root: folder, displayRoot: workspace.root).display(path)
    }
    func isSecret(_ url: URL) -> Bool {
      secret != nil && Self.identity(of: url) == secret
    }
    func isEvents(_ url: URL) -> Bool {
      Self.identity(of: url).map(eventIdentities.contains) ?? false
    }

    var contents: [String: Content] = [:]
    for report in reports {
      contents["reports/" + report.name] = .bytes(Array(report.contents.utf8))
    }
    var catalogs: [BundleManifest.CatalogRecord] = []
    for framework in frameworks {
      guard let file = framework.catalog.file else { continue }
      let path = "catalogs/\(framework.key).xml"
      contents[path] = .file(
        file.url, shown: framework.catalog.location.path, sha256: file.sha256, within: nil)
      catalogs.append(
        BundleManifest.CatalogRecord(
          key: framework.key, title: framework.catalog.title, version: framework.catalog.version,
          oscalVersion: framework.catalog.oscalVersion, path: path, bytes: file.bytes,
          sha256: file.sha256))
    }
    let assessed = Dictionary(
      assessment.inputDigests.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    let eventFiles = Set(workspace.eventFiles)
    var withheld: [BundleManifest.WithheldFile] = []
    for path in workspace.files {
      let url = folder.appendingPathComponent(path)
      guard !isSecret(url) else { continue }
      if eventFiles.contains(path) {
        if let digest = assessed[path] {
          withheld.append(
            .init(
              path: "workspace/" + path, bytes: digest.bytes, sha256: digest.sha256,
              reason: Self.eventsReason))
        }
        continue
      }
      contents["workspace/" + path] = .file(
        url, shown: display(path), sha256: assessed[path]?.sha256, within: folder)
    }
    if let eventsAggregate, !eventFiles.isEmpty {
      guard contents["workspace/" + Self.eventsAggregatePath] == nil else {
        throw ControlGapFailure(
          .badInput,
          "\(display(Self.eventsAggregatePath)) is where the bundle puts the aggregate of the "
            + "events; rename that file")
      }
      contents["workspace/" + Self.eventsAggregatePath] = .bytes(
        Array(AggregateFile.csv(for: eventsAggregate).utf8))
    }
    let cited = workspace.controls.flatMap(\.evidence).filter(\.isPresent).map(\.path)
    // Two spellings of one file (`./a`, `a`) give one entry; two files whose names differ only
    // in Unicode form, which Swift compares as equal, cannot share one.
    var citedFiles: [String: [UInt64]] = [:]
    let byBytes = Dictionary(cited.map { (Array($0.utf8), $0) }, uniquingKeysWith: { a, _ in a })
    let distinct = byBytes.keys.sorted { $0.lexicographicallyPrecedes($1) }.compactMap {
      byBytes[$0]
    }
    for path in distinct {
      let url = folder.appendingPathComponent(path)
      let entry = "evidence/" + Self.normalised(path)
      if let earlier = citedFiles[entry] {
        guard earlier == Self.identity(of: url) else {
          throw ControlGapFailure(
            .badInput,
            "cannot bundle \(display(path)): another cited file has the same name in Unicode")
        }
        continue
      }
      citedFiles[entry] = Self.identity(of: url) ?? []
      guard !isSecret(url) else { continue }
      guard !isEvents(url) else {
        throw ControlGapFailure(
          .badInput,
          "evidence \(display(path)) is a raw event file, whose user identifiers no bundle "
            + "holds; cite a summary instead")
      }
      contents["evidence/" + Self.normalised(path)] = .file(
        url, shown: display(path), sha256: nil, within: folder)
    }
    self.contents = contents

    manifest = BundleManifest(
      format: BundleManifest.currentFormat, period: assessment.period.description,
      asOf: assessment.asOf.description, generator: "controlgap", version: version,
      telemetryWindow: assessment.telemetry.map {
        BundleManifest.TelemetryWindow(
          firstDay: $0.firstDay.description, lastDay: $0.lastDay.description)
      }, catalogs: catalogs.sorted { $0.path < $1.path },
      withheld: withheld.sorted { $0.path < $1.path }, entries: [])
  }

  /// Writes every entry, sorted by path, then the manifest and, with a key, its signature: the
  /// same inputs and key always give the same bytes, since Ed25519 signatures are
  /// deterministic.
  ///
  /// - Parameters:
  ///   - signingKey: The key that signs the manifest, or `nil` for an unsigned bundle.
  ///   - progress: Told the path of each file before it is read.
  /// - Returns: The manifest as archived.
  /// - Throws: `ControlGapFailure(.badInput)` when an input file no longer holds what the
  ///   assessment read; `.missingInput` when one cannot be read; `.cannotWrite` when the
  ///   archive cannot be written.
  @discardableResult
  public func write(
    to writer: ZipWriter, signingKey: SigningKey? = nil, progress: (String) -> Void = { _ in }
  ) throws -> BundleManifest {
    var manifest = self.manifest
    // A name that verification would refuse stops the bundle before anything is written.
    for path in contents.keys.sorted() {
      if let problem = BundleVerification.nameProblem(path) {
        throw ControlGapFailure(.badInput, "cannot bundle \(path): \(problem)")
      }
    }
    for path in contents.keys.sorted() {
      switch contents[path]! {
      case .bytes(let bytes):
        try writer.add(path, contents: bytes)
        guard let sha256 = InputDigest.sha256(of: bytes) else {
          throw ControlGapFailure(.cannotWrite, "cannot compute the SHA-256 of \(path)")
        }
        manifest.entries.append(.init(path: path, bytes: bytes.count, sha256: sha256))
      case .file(let url, let shown, let expected, let within):
        progress(shown)
        let descriptor = try Self.open(url, shown: shown, within: within)
        defer { close(descriptor) }
        let digest = try writer.add(path, descriptor: descriptor, shown: shown)
        if let expected, digest.sha256 != expected {
          throw ControlGapFailure(
            .badInput, "\(shown) changed after it was assessed; run the bundle again")
        }
        manifest.entries.append(.init(path: path, bytes: digest.bytes, sha256: digest.sha256))
      }
    }
    let manifestBytes = Array(manifest.text.utf8)
    try writer.add(Self.manifestName, contents: manifestBytes)
    if let signingKey {
      let signature = try BundleSignature(signing: manifestBytes, with: signingKey)
      try writer.add(BundleSignature.fileName, contents: Array(signature.text.utf8))
    }
    try writer.finish()
    return manifest
  }

  /// The archive's bytes, built in memory.
  public func archive(signingKey: SigningKey? = nil) throws -> [UInt8] {
    let writer = try ZipWriter()
    try write(to: writer, signingKey: signingKey)
    return writer.bytes
  }

  /// A cited path with `.` and `..` steps resolved, so that one file gets one entry and no
  /// entry name climbs out of `evidence/`. A backslash is part of a name, as it is on disk.
  static func normalised(_ path: String) -> String {
    var components: [Substring] = []
    for component in path.split(separator: "/") {
      switch component {
      case ".": continue
      case "..": _ = components.popLast()
      default: components.append(component)
      }
    }
    return components.joined(separator: "/")
  }

  /// A descriptor open for reading the regular file at `url`, which must lie inside `within`
  /// when given. The check is made on what was opened, so a file swapped for a link or a FIFO
  /// after the workspace was checked can neither bring in a file from elsewhere nor hang.
  private static func open(_ url: URL, shown: String, within: URL?) throws -> Int32 {
    let descriptor: Int32
    do {
      descriptor = try RegularFile.open(url.path)
    } catch let error as InputReadError {
      throw ControlGapFailure(.missingInput, "cannot read \(shown): \(error)")
    } catch {
      throw ControlGapFailure(.badInput, "\(shown) is no longer a regular file")
    }
    guard let within else { return descriptor }
    // Linux names what a descriptor is open on; without /proc, the path is resolved instead.
    let opened =
      FileManager.default.fileExists(atPath: "/proc/self/fd")
      ? try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
      : url.resolvingSymlinksInPath().path
    let root = within.resolvingSymlinksInPath().path
    guard let opened, opened.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
      close(descriptor)
      throw ControlGapFailure(.badInput, "\(shown) now leads outside the workspace")
    }
    return descriptor
  }

  /// The device and inode a path leads to, following links, so that the secret is recognised
  /// however a workspace file spells its path.
  private static func identity(of url: URL) -> [UInt64]? {
    var status = stat()
    guard stat(url.path, &status) == 0 else { return nil }
    return [UInt64(status.st_dev), UInt64(status.st_ino)]
  }
}
