import CLibCrypto
import Foundation

/// An Ed25519 private key, which signs a bundle's manifest.
///
/// The key is held as its 32-byte seed (RFC 8032's private key) rather than as an OpenSSL key
/// object, so that the value owns no C resource and can cross threads; libcrypto's key object
/// is made for each signature and freed straight after.
public struct SigningKey: Sendable {
  /// The 32-byte private key.
  let seed: [UInt8]
  /// The public half, which verifies this key's signatures.
  public let publicKey: VerifyingKey

  /// Reads a private key from a PEM file, as `openssl genpkey -algorithm ed25519` writes it
  /// (PKCS#8, `BEGIN PRIVATE KEY`).
  ///
  /// Never asks for a passphrase: an encrypted key is refused with a message saying how to
  /// decrypt it.
  ///
  /// - Parameters:
  ///   - url: The key file.
  ///   - displayPath: The path as messages show it.
  /// - Throws: `ControlGapFailure` `.missingInput` when the file cannot be read, `.badInput`
  ///   when it is not a regular file of at most 64 KiB holding an unencrypted Ed25519 private
  ///   key.
  public init(pemFile url: URL, displayPath: String, diagnostics: DiagnosticSink? = nil) throws {
    let seed = try KeyFile.reading(displayPath, diagnostics: diagnostics) {
      let file = try KeyFile(url, displayPath: displayPath, expected: .privateKey)
      if file.labels.contains("ENCRYPTED PRIVATE KEY")
        || file.lines.contains("Proc-Type: 4,ENCRYPTED")
      {
        throw file.failure(
          "the private key is encrypted; decrypt it first, e.g. with "
            + "`openssl pkey -in KEY -out PLAIN`")
      }
      if file.labels.contains("OPENSSH PRIVATE KEY") {
        throw file.failure(
          "an OpenSSH private key; ControlGap reads PEM keys as "
            + "`openssl genpkey -algorithm ed25519` writes them")
      }
      if file.holdsOnly(.publicKey) {
        throw file.failure("a public key; --sign needs the private key")
      }
      return try file.rawEd25519Key(
        read: { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in -1 }, nil) },
        raw: EVP_PKEY_get_raw_private_key)
    }
    try self.init(seed: seed)
  }

  /// A key from its raw 32 bytes.
  ///
  /// - Throws: `ControlGapFailure` `.badInput` when `seed` is not 32 bytes.
  public init(seed: [UInt8]) throws {
    guard seed.count == Ed25519.keyLength else {
      throw ControlGapFailure(
        .badInput, "an Ed25519 private key is \(Ed25519.keyLength) bytes, not \(seed.count)")
    }
    guard let key = Ed25519.privateKey(seed) else {
      throw Ed25519.failure(.badInput, "libcrypto refused the Ed25519 private key")
    }
    defer { EVP_PKEY_free(key) }
    var raw = [UInt8](repeating: 0, count: Ed25519.keyLength)
    var length = raw.count
    guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == Ed25519.keyLength else {
      throw Ed25519.failure(.badInput, "libcrypto cannot derive the Ed25519 public key")
    }
    self.seed = seed
    self.publicKey = try VerifyingKey(raw: raw)
  }

  /// The Ed25519 signature of `message`: 64 bytes, the same each time for the same message.
  ///
  /// - Throws: `ControlGapFailure` `.cannotWrite` when libcrypto fails, which happens only
  ///   when it cannot allocate.
  public func sign(_ message: [UInt8]) throws -> [UInt8] {
    guard let key = Ed25519.privateKey(seed) else {
      throw Ed25519.failure(.cannotWrite, "cannot sign: libcrypto refused the key")
    }
    defer { EVP_PKEY_free(key) }
    guard let context = EVP_MD_CTX_new() else {
      throw Ed25519.failure(.cannotWrite, "cannot sign: libcrypto cannot allocate")
    }
    defer { EVP_MD_CTX_free(context) }

    // Ed25519 hashes the message itself, so no digest is named and the message is passed in
    // one call rather than in updates.
    guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else {
      throw Ed25519.failure(.cannotWrite, "cannot sign: libcrypto cannot start the signature")
    }
    var signature = [UInt8](repeating: 0, count: Ed25519.signatureLength)
    var length = signature.count
    let signed = message.withUnsafeBufferPointer { input in
      EVP_DigestSign(context, &signature, &length, input.baseAddress, input.count)
    }
    guard signed == 1, length == Ed25519.signatureLength else {
      throw Ed25519.failure(.cannotWrite, "cannot sign: libcrypto failed")
    }
    return signature
  }
}

/// An Ed25519 public key, which checks a manifest's signature.
public struct VerifyingKey: Sendable, Equatable {
  /// The 32-byte public key.
  public let raw: [UInt8]

  /// Reads a public key from a PEM file, as `openssl pkey -pubout` writes it
  /// (SubjectPublicKeyInfo, `BEGIN PUBLIC KEY`).
  ///
  /// - Parameters:
  ///   - url: The key file.
  ///   - displayPath: The path as messages show it.
  /// - Throws: `ControlGapFailure` `.missingInput` when the file cannot be read, `.badInput`
  ///   when it is not a regular file of at most 64 KiB holding an Ed25519 public key.
  public init(pemFile url: URL, displayPath: String, diagnostics: DiagnosticSink? = nil) throws {
    self = try KeyFile.reading(displayPath, diagnostics: diagnostics) {
      let file = try KeyFile(url, displayPath: displayPath, expected: .publicKey)
      if file.holdsOnly(.privateKey) {
        throw file.failure("a private key; --key needs the public key")
      }
      // OpenSSL reads only the SubjectPublicKeyInfo form; the older PKCS#1 form is RSA's own.
      if file.labels.contains("RSA PUBLIC KEY") && !file.labels.contains("PUBLIC KEY") {
        throw file.failure(Ed25519.onlyEd25519(found: "an RSA key"))
      }
      let raw = try file.rawEd25519Key(
        read: { PEM_read_bio_PUBKEY($0, nil, { _, _, _, _ in -1 }, nil) },
        raw: EVP_PKEY_get_raw_public_key)
      do {
        return try VerifyingKey(raw: raw)
      } catch let failure as ControlGapFailure {
        throw file.failure(failure.message)
      }
    }
  }

  /// A key from its raw 32 bytes.
  ///
  /// - Throws: `ControlGapFailure` `.badInput` when `raw` is not 32 bytes, or is a point of
  ///   small order or no canonical point at all.
  public init(raw: [UInt8]) throws {
    guard raw.count == Ed25519.keyLength else {
      throw ControlGapFailure(
        .badInput, "an Ed25519 public key is \(Ed25519.keyLength) bytes, not \(raw.count)")
    }
    // A small-order key makes one signature valid for every message, so a bundle could carry
    // a "signature" that no one made.
    guard !Ed25519.isWeak(raw) else {
      throw ControlGapFailure(
        .badInput, "not a usable Ed25519 public key: a point of small order, or none at all")
    }
    self.raw = raw
  }

  /// `SHA256:` and the SHA-256 of the 32 raw key bytes in lowercase hexadecimal, for people to
  /// compare two keys by.
  ///
  /// The raw key is the last 32 bytes of the key's DER form, so the same value comes from
  /// `openssl pkey -pubin -in KEY.pem -outform DER | tail -c 32 | sha256sum`.
  public var fingerprint: String {
    // SHA-256 of bytes in memory fails only when libcrypto cannot allocate.
    "SHA256:" + (InputDigest.sha256(of: raw) ?? "unknown")
  }

  /// Whether `signature` is this key's Ed25519 signature of `message`; `false` also when the
  /// signature is not 64 bytes or libcrypto fails.
  public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
    guard signature.count == Ed25519.signatureLength else { return false }
    let key = raw.withUnsafeBufferPointer {
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
    }
    guard let key else {
      ERR_clear_error()
      return false
    }
    defer { EVP_PKEY_free(key) }
    guard let context = EVP_MD_CTX_new() else { return false }
    defer { EVP_MD_CTX_free(context) }

    guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else {
      ERR_clear_error()
      return false
    }
    let verified = message.withUnsafeBufferPointer { input in
      EVP_DigestVerify(context, signature, signature.count, input.baseAddress, input.count)
    }
    // A bad signature leaves an error on libcrypto's queue; it must not reach a later call.
    ERR_clear_error()
    return verified == 1
  }

  /// The key as a PEM SubjectPublicKeyInfo, the form `openssl pkey -pubout` writes, with one
  /// trailing newline.
  public var pem: String {
    // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte DER prefix (RFC 8410) and the raw
    // key, so it is written directly and cannot fail.
    let prefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    let body = Data(prefix + raw).base64EncodedString()
    return "-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----\n"
  }
}

/// The algorithm's constants and the libcrypto calls both key types share.
private enum Ed25519 {
  static let keyLength = 32
  static let signatureLength = 64

  /// Whether the 32 bytes are no canonical curve point, or a point of order 1, 2, 4 or 8.
  ///
  /// The Edwards point's y maps to the Montgomery u = (1 + y) / (1 - y) of X25519, whose
  /// scalars are multiples of 8: X25519 with any scalar gives all zeros exactly for
  /// small-order u, and libcrypto's derivation refuses that result.
  static func isWeak(_ raw: [UInt8]) -> Bool {
    guard raw.count == keyLength, let context = BN_CTX_new() else { return true }
    defer { BN_CTX_free(context) }
    var yBytes = raw
    yBytes[31] &= 0x7F
    // p = 2^255 - 19, little-endian.
    let pBytes: [UInt8] = [0xED] + Array(repeating: 0xFF, count: 30) + [0x7F]
    guard let p = BN_lebin2bn(pBytes, 32, nil), let y = BN_lebin2bn(yBytes, 32, nil),
      let one = BN_new(), let numerator = BN_new(), let denominator = BN_new(),
      let u = BN_new()
    else { return true }
    defer {
      for number in [p, y, one, numerator, denominator, u] { BN_free(number) }
    }
    // A y of p or more is no canonical encoding; y = 1 is the identity, with no u.
    guard BN_cmp(y, p) < 0, BN_set_word(one, 1) == 1,
      BN_mod_add(numerator, one, y, p, context) == 1,
      BN_mod_sub(denominator, one, y, p, context) == 1, BN_is_zero(denominator) == 0,
      let inverse = BN_mod_inverse(nil, denominator, p, context)
    else {
      ERR_clear_error()
      return true
    }
    defer { BN_free(inverse) }
    var uBytes = [UInt8](repeating: 0, count: 32)
    guard BN_mod_mul(u, numerator, inverse, p, context) == 1,
      BN_bn2lebinpad(u, &uBytes, 32) == 32
    else {
      ERR_clear_error()
      return true
    }

    // Any fixed scalar serves: X25519 clears its low three bits.
    let scalar = [UInt8](repeating: 0x5A, count: 32)
    guard
      let peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, uBytes, 32),
      let own = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, scalar, 32)
    else {
      ERR_clear_error()
      return true
    }
    defer {
      EVP_PKEY_free(peer)
      EVP_PKEY_free(own)
    }
    guard let derivation = EVP_PKEY_CTX_new(own, nil) else { return true }
    defer { EVP_PKEY_CTX_free(derivation) }
    var secret = [UInt8](repeating: 0, count: 32)
    var length = secret.count
    let derived =
      EVP_PKEY_derive_init(derivation) == 1 && EVP_PKEY_derive_set_peer(derivation, peer) == 1
      && EVP_PKEY_derive(derivation, &secret, &length) == 1
    ERR_clear_error()
    return !derived
  }

  /// A libcrypto key for a 32-byte seed, which the caller frees.
  static func privateKey(_ seed: [UInt8]) -> OpaquePointer? {
    seed.withUnsafeBufferPointer {
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
    }
  }

  /// A failure that names libcrypto's reason when it gave one, after clearing its error queue.
  static func failure(_ kind: ControlGapFailure.Kind, _ message: String) -> ControlGapFailure {
    let code = ERR_peek_error()
    ERR_clear_error()
    guard code != 0, let reason = ERR_reason_error_string(code) else {
      return ControlGapFailure(kind, message)
    }
    return ControlGapFailure(kind, "\(message) (\(String(cString: reason)))")
  }

  /// The message for a key of another algorithm, such as `an RSA key`.
  static func onlyEd25519(found: String) -> String {
    "\(found); ControlGap signs with Ed25519 keys only (openssl genpkey -algorithm ed25519)"
  }

  /// What a key of another algorithm is, with its article: `an RSA key`.
  static func algorithmName(_ key: OpaquePointer) -> String {
    switch EVP_PKEY_get_base_id(key) {
    case EVP_PKEY_RSA: "an RSA key"
    case EVP_PKEY_RSA_PSS: "an RSA-PSS key"
    case EVP_PKEY_EC: "an EC key"
    case EVP_PKEY_DSA: "a DSA key"
    case EVP_PKEY_ED448: "an Ed448 key"
    case EVP_PKEY_X25519: "an X25519 key"
    case EVP_PKEY_X448: "an X448 key"
    default:
      if let name = EVP_PKEY_get0_type_name(key) {
        "a key of type \(String(cString: name))"
      } else {
        "a key of another type"
      }
    }
  }
}

/// What is wrong with a key file, without its path, which `KeyFile.reading` adds.
private struct KeyFileProblem: Error {
  var kind: ControlGapFailure.Kind
  var reason: String
}

/// A key file's bytes and PEM labels, read after checking that it is a regular file of a sane
/// size.
private struct KeyFile {
  /// A key file is a few hundred bytes; anything far larger is a mistake.
  static let sizeLimit = 64 << 10

  enum Kind: String {
    case privateKey = "private key"
    case publicKey = "public key"
  }

  let expected: Kind
  let bytes: [UInt8]
  /// Each line, without surrounding white space.
  let lines: [String]
  /// The labels of the file's PEM blocks, such as `PRIVATE KEY`.
  let labels: [String]

  init(_ url: URL, displayPath: String, expected: Kind) throws {
    self.expected = expected
    // Opened without blocking and checked on the open descriptor, so that a FIFO or a device
    // cannot hang the read and cannot be swapped in after the check.
    let descriptor: Int32
    do {
      descriptor = try RegularFile.open(url.path)
    } catch let error as InputReadError {
      throw KeyFileProblem(kind: .missingInput, reason: "cannot read the key file: \(error)")
    } catch {
      throw KeyFileProblem(kind: .badInput, reason: "not a regular file")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    let data: Data?
    do {
      data = try handle.read(upToCount: Self.sizeLimit + 1)
    } catch {
      throw KeyFileProblem(kind: .missingInput, reason: "cannot read the key file")
    }
    bytes = Array(data ?? Data())
    guard bytes.count <= Self.sizeLimit else {
      throw KeyFileProblem(
        kind: .badInput,
        reason: "over \(Self.sizeLimit >> 10) KiB; an Ed25519 key file is a few hundred bytes")
    }
    guard !bytes.isEmpty else {
      throw KeyFileProblem(
        kind: .badInput, reason: "the file is empty, not a PEM \(expected.rawValue)")
    }

    lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    labels = lines.compactMap { line in
      guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 else {
        return nil
      }
      return String(line.dropFirst(11).dropLast(5))
    }
  }

  /// Whether the file holds PEM blocks of the `kind` of key and none of the other kind.
  func holdsOnly(_ kind: Kind) -> Bool {
    let other: Kind = kind == .privateKey ? .publicKey : .privateKey
    let label = kind.rawValue.uppercased()
    let otherLabel = other.rawValue.uppercased()
    return labels.contains { $0.hasSuffix(label) } && !labels.contains { $0.hasSuffix(otherLabel) }
  }

  /// Runs `body`, which reads the key file `displayPath`; a problem it throws is reported to
  /// `diagnostics` at the file and thrown as a failure naming the file.
  static func reading<Value>(
    _ displayPath: String, diagnostics: DiagnosticSink?, _ body: () throws -> Value
  ) throws -> Value {
    do {
      return try body()
    } catch let problem as KeyFileProblem {
      diagnostics?.error(problem.reason, at: SourceLocation(path: displayPath))
      throw ControlGapFailure(problem.kind, "\(displayPath): \(problem.reason)")
    }
  }

  /// The raw 32 bytes of the Ed25519 key the file holds, parsed by `read` from a memory BIO
  /// and taken out by `raw`.
  func rawEd25519Key(
    read: (OpaquePointer) -> OpaquePointer?,
    raw: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32
  ) throws -> [UInt8] {
    let key = bytes.withUnsafeBytes { buffer -> OpaquePointer? in
      guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
      defer { BIO_free(bio) }
      // Without a password callback libcrypto would prompt on the terminal; the callers' one
      // declines to give a passphrase, so that an encryption the checks missed fails instead.
      return read(bio)
    }
    // Nothing the read left on libcrypto's error queue may reach a later call.
    ERR_clear_error()
    guard let key else { throw failure("not a PEM \(expected.rawValue)") }
    defer { EVP_PKEY_free(key) }
    try requireEd25519(key)

    var bytes = [UInt8](repeating: 0, count: Ed25519.keyLength)
    var length = bytes.count
    guard raw(key, &bytes, &length) == 1, length == Ed25519.keyLength else {
      ERR_clear_error()
      throw failure("not a PEM \(expected.rawValue)")
    }
    return bytes
  }

  /// Throws unless `key` is an Ed25519 key.
  func requireEd25519(_ key: OpaquePointer) throws {
    guard EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519 else { return }
    throw failure(Ed25519.onlyEd25519(found: Ed25519.algorithmName(key)))
  }

  /// A `.badInput` problem with this file.
  func failure(_ message: String) -> KeyFileProblem {
    KeyFileProblem(kind: .badInput, reason: message)
  }
}
