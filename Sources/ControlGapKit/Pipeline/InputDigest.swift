import Foundation

/// The SHA-256 of one input file, so that a reader of the report can check that the files it
/// was made from are the files they hold.
public struct InputDigest: Sendable, Equatable {
  /// The path relative to the workspace.
  public var path: String
  public var bytes: Int
  /// Lowercase hexadecimal.
  public var sha256: String

  /// The digest of the file at `url`, read in chunks so that a large event export is never
  /// held in memory; `nil` when the file cannot be read.
  static func of(_ url: URL, path: String) -> InputDigest? {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    defer { try? handle.close() }
    let hash = SHA256Stream()
    while true {
      let chunk: Data?
      do {
        chunk = try handle.read(upToCount: 1 << 20)
      } catch {
        return nil
      }
      // The end of the file reads as no data or as empty data, depending on the platform.
      guard let chunk, !chunk.isEmpty else { break }
      chunk.withUnsafeBytes { hash.update($0) }
    }
    guard let sha256 = hash.finish() else { return nil }
    return InputDigest(path: path, bytes: hash.count, sha256: sha256)
  }

  /// The SHA-256 of bytes already in memory, in lowercase hexadecimal; `nil` when libcrypto
  /// fails.
  static func sha256(of bytes: [UInt8]) -> String? {
    let hash = SHA256Stream()
    bytes.withUnsafeBytes { hash.update($0) }
    return hash.finish()
  }
}
