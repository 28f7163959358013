import CLibCrypto

/// A version-5 UUID: the SHA-1 of a fixed namespace and a name, so the same name always gives
/// the same identifier and a document built twice from the same assessment is byte-identical.
///
/// SHA-1 is used only because the UUID format asks for it; nothing depends on it resisting
/// collisions chosen by an attacker.
struct NameBasedUUID: Sendable, Equatable, CustomStringConvertible {
  /// ControlGap's own namespace, so its identifiers cannot collide with another tool's names.
  static let controlGapNamespace: [UInt8] = [
    0x6f, 0x0e, 0x1c, 0x52, 0x3b, 0x9d, 0x4a, 0x1e, 0x8c, 0x27, 0x5d, 0x31, 0xa2, 0x47, 0xc9, 0x03,
  ]

  let bytes: [UInt8]

  /// - Parameter name: A name that says what the identifier stands for; equal names give
  ///   equal identifiers.
  init(name: String, namespace: [UInt8] = Self.controlGapNamespace) {
    let message = namespace + Array(name.utf8)
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let status = message.withUnsafeBytes {
      EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_sha1(), nil)
    }
    // A one-shot digest fails only when libcrypto cannot allocate; the zero digest that is
    // left still gives a well-formed identifier.
    if status != 1 { digest = [UInt8](repeating: 0, count: 20) }

    var bytes = Array(digest.prefix(16))
    bytes[6] = (bytes[6] & 0x0f) | 0x50
    bytes[8] = (bytes[8] & 0x3f) | 0x80
    self.bytes = bytes
  }

  /// Lowercase, in the usual 8-4-4-4-12 groups.
  var description: String {
    [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { bytes[$0].lowercaseHex }
      .joined(separator: "-")
  }
}
