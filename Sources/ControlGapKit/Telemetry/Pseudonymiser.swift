import CLibCrypto
import Foundation

/// Replaces user identifiers with keyed hashes, so that no raw identifier reaches an output.
///
/// The pseudonym is HMAC-SHA-256 of the identifier under a per-workspace secret, computed by
/// OpenSSL's libcrypto and shortened to 16 hexadecimal digits behind a `u-` prefix. The same
/// user always gets the same pseudonym within a workspace, so distinct users can still be
/// counted, but without the secret a pseudonym cannot be turned back into the identifier by
/// trying candidate names.
public struct Pseudonymiser: Sendable {
  private let key: [UInt8]

  /// - Parameter key: The workspace's secret; at least 16 bytes.
  public init?(key: [UInt8]) {
    guard key.count >= 16 else { return nil }
    self.key = key
  }

  /// The full HMAC-SHA-256 of `message` under the key.
  public func mac(_ message: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let ok = key.withUnsafeBytes { keyBytes in
      message.withUnsafeBytes { messageBytes in
        digest.withUnsafeMutableBytes { output in
          HMAC(
            EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
            messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
            output.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) != nil
        }
      }
    }
    // HMAC with SHA-256 fails only when libcrypto cannot allocate; an empty result then
    // cannot collide with a real 32-byte digest.
    return ok ? Array(digest.prefix(Int(length))) : []
  }

  /// The pseudonym for a user identifier, e.g. `u-3f9a0c…` (16 hex digits).
  public func pseudonym(for identifier: String) -> String {
    let digest = mac(Array(identifier.utf8))
    return "u-" + digest.prefix(8).lowercaseHex
  }
}
