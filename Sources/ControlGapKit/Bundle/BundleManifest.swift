import Foundation

/// `manifest.json`: what an evidence bundle holds and what it was made from.
///
/// Lists every other file of the bundle with its size and SHA-256, and records the period,
/// the day the assessment was made as of, the tool version, the telemetry window and each
/// catalog's edition and digest. Written by `EvidenceBundle`, read back by
/// `BundleVerification`.
public struct BundleManifest: Sendable, Equatable {
  /// One archived file.
  public struct Entry: Sendable, Equatable, Decodable {
    public var path: String
    public var bytes: Int
    /// Lowercase hexadecimal.
    public var sha256: String
  }

  /// One framework catalog the assessment used, archived under `catalogs/`.
  public struct CatalogRecord: Sendable, Equatable, Decodable {
    public var key: String
    public var title: String
    public var version: String
    public var oscalVersion: String
    /// The archived copy's path inside the bundle.
    public var path: String
    public var bytes: Int
    /// Lowercase hexadecimal.
    public var sha256: String
  }

  /// A workspace file that was assessed but is not in the bundle, with its digest so that a
  /// copy kept elsewhere can be matched to the assessment.
  public struct WithheldFile: Sendable, Equatable, Decodable {
    public var path: String
    public var bytes: Int
    /// Lowercase hexadecimal.
    public var sha256: String
    public var reason: String
  }

  /// The first and last day the access events cover.
  public struct TelemetryWindow: Sendable, Equatable {
    public var firstDay: String
    public var lastDay: String
  }

  /// The layout this manifest follows; raised when a field changes meaning.
  public static let currentFormat = 1

  public var format: Int
  public var period: String
  public var asOf: String
  public var generator: String
  public var version: String
  public var telemetryWindow: TelemetryWindow?
  public var catalogs: [CatalogRecord]
  /// Assessed files left out of the bundle, sorted by path.
  public var withheld: [WithheldFile]
  public var entries: [Entry]

  /// The manifest as it is archived: fixed key order, two-space indent, one final newline.
  public var text: String {
    let window: JSONValue =
      telemetryWindow.map { window in
        .object([("firstDay", .string(window.firstDay)), ("lastDay", .string(window.lastDay))])
      } ?? .null
    let document = JSONValue.object([
      ("format", .int(format)),
      ("period", .string(period)),
      ("asOf", .string(asOf)),
      ("generator", .string(generator)),
      ("version", .string(version)),
      ("telemetryWindow", window),
      (
        "catalogs",
        .array(
          catalogs.map { catalog in
            .object([
              ("key", .string(catalog.key)),
              ("title", .string(catalog.title)),
              ("version", .string(catalog.version)),
              ("oscalVersion", .string(catalog.oscalVersion)),
              ("path", .string(catalog.path)),
              ("bytes", .int(catalog.bytes)),
              ("sha256", .string(catalog.sha256)),
            ])
          })
      ),
      (
        "withheld",
        .array(
          withheld.map { file in
            .object([
              ("path", .string(file.path)),
              ("bytes", .int(file.bytes)),
              ("sha256", .string(file.sha256)),
              ("reason", .string(file.reason)),
            ])
          })
      ),
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
}
