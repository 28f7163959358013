import CLibCrypto

/// A SHA-256 fed piece by piece, so that a file of any size is hashed as it streams past.
///
/// Owns one libcrypto digest context; `finish` may be called once.
final class SHA256Stream {
  private let context: OpaquePointer?
  private var failed = false
  /// The bytes fed so far.
  private(set) var count = 0

  init() {
    context = EVP_MD_CTX_new()
    if let context, EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 { return }
    failed = true
  }

  deinit {
    EVP_MD_CTX_free(context)
  }

  func update(_ bytes: UnsafeRawBufferPointer) {
    count += bytes.count
    guard !failed, let context, bytes.count > 0 else { return }
    if EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) != 1 { failed = true }
  }

  /// The digest in lowercase hexadecimal; `nil` when libcrypto failed at any step.
  func finish() -> String? {
    guard !failed, let context else { return nil }
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { return nil }
    failed = true
    return digest.prefix(Int(length)).lowercaseHex
  }
}
