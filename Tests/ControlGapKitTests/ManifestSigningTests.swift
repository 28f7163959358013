import CLibCrypto
import Foundation
import Testing

@testable import ControlGapKit

/// Ed25519 signing and key files, against RFC 8032's vectors and keys libcrypto writes here.
@Suite("Signing manifests with Ed25519")
struct ManifestSigningTests {
  /// One of RFC 8032's Ed25519 test vectors (section 7.1).
  struct Vector: CustomTestStringConvertible, Sendable {
    var name: String
    var seed: String
    var publicKey: String
    var message: String
    var signature: String
    var testDescription: String { name }
  }

  static let vectors = [
    Vector(
      name: "RFC 8032 TEST 1 (empty message)",
      seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
      publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
      message: "",
      signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555f"
        + "b8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    Vector(
      name: "RFC 8032 TEST 2 (one-byte message)",
      seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
      publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      message: "72",
      signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da08"
        + "5ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
  ]

  @Test("the RFC 8032 vectors: public key, signature and verification", arguments: vectors)
  func rfc8032(_ vector: Vector) throws {
    let key = try SigningKey(seed: bytes(vector.seed))
    let message = try bytes(vector.message)
    #expect(key.publicKey.raw.lowercaseHex == vector.publicKey)
    let signature = try key.sign(message)
    #expect(signature.lowercaseHex == vector.signature)
    #expect(key.publicKey.isValidSignature(signature, for: message))
    #expect(try VerifyingKey(raw: bytes(vector.publicKey)) == key.publicKey)
  }

  @Test("one flipped bit in the message or the signature fails verification", arguments: vectors)
  func tampering(_ vector: Vector) throws {
    let key = try VerifyingKey(raw: bytes(vector.publicKey))
    let message = try bytes(vector.message)
    let signature = try bytes(vector.signature)
    #expect(key.isValidSignature(signature, for: message))

    #expect(!key.isValidSignature(signature, for: message + [0]))
    for index in message.indices {
      var changed = message
      changed[index] ^= 0x01
      #expect(!key.isValidSignature(signature, for: changed))
    }
    // Bits in R (the first half) and in S (the second half), at both ends of each.
    for (index, bit) in [(0, 0x01), (31, 0x80), (32, 0x01), (63, 0x10), (63, 0x80)] {
      var changed = signature
      changed[index] ^= UInt8(bit)
      #expect(!key.isValidSignature(changed, for: message), "byte \(index) bit \(bit)")
    }
    let other = try SigningKey(seed: [UInt8](repeating: 7, count: 32)).publicKey
    #expect(!other.isValidSignature(signature, for: message))
  }

  @Test("a signature that is not 64 bytes is false, not a crash")
  func signatureLength() throws {
    let key = try SigningKey(seed: bytes(Self.vectors[1].seed))
    let signature = try key.sign([1, 2, 3])
    #expect(key.publicKey.isValidSignature(signature, for: [1, 2, 3]))
    #expect(!key.publicKey.isValidSignature([], for: [1, 2, 3]))
    #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: [1, 2, 3]))
    #expect(!key.publicKey.isValidSignature(signature + [0], for: [1, 2, 3]))
    #expect(!key.publicKey.isValidSignature(signature + signature, for: [1, 2, 3]))
  }

  @Test("raw keys of the wrong length are refused")
  func rawLengths() {
    #expect(throws: ControlGapFailure(.badInput, "an Ed25519 private key is 32 bytes, not 31")) {
      try SigningKey(seed: [UInt8](repeating: 1, count: 31))
    }
    #expect(throws: ControlGapFailure(.badInput, "an Ed25519 public key is 32 bytes, not 33")) {
      try VerifyingKey(raw: [UInt8](repeating: 1, count: 33))
    }
  }

  @Test("the fingerprint is SHA256: and the hex SHA-256 of the raw public key")
  func fingerprint() throws {
    let key = try VerifyingKey(raw: bytes(Self.vectors[0].publicKey))
    // `sha256sum` of the 32 raw bytes of RFC 8032 TEST 1's public key.
    #expect(
      key.fingerprint
        == "SHA256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9")
    #expect(
      key.fingerprint != (try VerifyingKey(raw: bytes(Self.vectors[1].publicKey))).fingerprint)
  }

  @Test("keys written as PEM by libcrypto load, and the public PEM is libcrypto's")
  func pemRoundTrip() throws {
    let workspace = try TemporaryWorkspace(defaults: false)
    let seed = try bytes(Self.vectors[0].seed)
    let key = try #require(
      seed.withUnsafeBufferPointer {
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
      })
    defer { EVP_PKEY_free(key) }
    let privatePEM = try #require(Self.privatePEM(key))
    let publicPEM = try #require(Self.publicPEM(key))
    #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    try workspace.write("key.pem", privatePEM)
    try workspace.write("key.pub.pem", publicPEM)

    let signing = try SigningKey(
      pemFile: workspace.root.appendingPathComponent("key.pem"), displayPath: "key.pem")
    let verifying = try VerifyingKey(
      pemFile: workspace.root.appendingPathComponent("key.pub.pem"), displayPath: "key.pub.pem")
    #expect(signing.seed == seed)
    #expect(verifying == signing.publicKey)
    #expect(verifying.raw.lowercaseHex == Self.vectors[0].publicKey)
    #expect(verifying.pem == publicPEM)
    #expect(verifying.isValidSignature(try signing.sign([1, 2, 3]), for: [1, 2, 3]))
  }

  @Test("a key file of exactly 64 KiB loads, and one byte more is refused")
  func sizeLimit() throws {
    let workspace = try TemporaryWorkspace(defaults: false)
    let key = try #require(Self.generate("ED25519"))
    defer { EVP_PKEY_free(key) }
    let pem = try #require(Self.privatePEM(key))
    // Lines before the PEM block are ignored, as in a key file with a comment.
    let padded = String(repeating: "#", count: 65_535 - pem.utf8.count) + "\n" + pem
    #expect(padded.utf8.count == 65_536)
    try workspace.write("key.pem", padded)
    _ = try SigningKey(
      pemFile: workspace.root.appendingPathComponent("key.pem"), displayPath: "key.pem")
    try workspace.write("key.pem", "#" + padded)
    #expect(
      throws: ControlGapFailure(
        .badInput, "key.pem: over 64 KiB; an Ed25519 key file is a few hundred bytes")
    ) {
      try SigningKey(
        pemFile: workspace.root.appendingPathComponent("key.pem"), displayPath: "key.pem")
    }
  }

  /// What a test key file holds.
  enum KeyContent: Sendable {
    case nothing
    case folder
    case fifo
    case text(String)
    case privateKey(String, group: String? = nil)
    case publicKey(String, group: String? = nil)
    /// Encrypted under a password, as PKCS#8 or in the older algorithm-specific form.
    case encrypted(String, traditional: Bool)
  }

  /// A key file, and the message each of `SigningKey` and `VerifyingKey` refuses it with
  /// (empty when it loads).
  struct KeyFileCase: CustomTestStringConvertible, Sendable {
    var name: String
    var content: KeyContent
    var asPrivate: String
    var asPublic: String
    var kind: ControlGapFailure.Kind = .badInput
    var testDescription: String { name }
  }

  static let wrongAlgorithm =
    "; ControlGap signs with Ed25519 keys only (openssl genpkey -algorithm ed25519)"
  static let encrypted =
    "the private key is encrypted; decrypt it first, e.g. with `openssl pkey -in KEY -out PLAIN`"
  static let notPublic = "a private key; --key needs the public key"
  static let notPrivate = "a public key; --sign needs the private key"

  static let keyFiles = [
    KeyFileCase(
      name: "missing", content: .nothing,
      asPrivate: "cannot read the key file: No such file or directory",
      asPublic: "cannot read the key file: No such file or directory", kind: .missingInput),
    KeyFileCase(
      name: "folder", content: .folder, asPrivate: "not a regular file",
      asPublic: "not a regular file"),
    KeyFileCase(
      name: "FIFO", content: .fifo, asPrivate: "not a regular file",
      asPublic: "not a regular file"),
    KeyFileCase(
      name: "empty", content: .text(""), asPrivate: "the file is empty, not a PEM private key",
      asPublic: "the file is empty, not a PEM public key"),
    KeyFileCase(
      name: "over 64 KiB", content: .text(String(repeating: "A", count: 65_537)),
      asPrivate: "over 64 KiB; an Ed25519 key file is a few hundred bytes",
      asPublic: "over 64 KiB; an Ed25519 key file is a few hundred bytes"),
    KeyFileCase(
      name: "garbage", content: .text("this is not a key\n\u{0}\u{1}\u{FFFD}\n"),
      asPrivate: "not a PEM private key", asPublic: "not a PEM public key"),
    KeyFileCase(
      name: "a broken PEM block",
      content: .text("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n"),
      asPrivate: "not a PEM private key", asPublic: notPublic),
    KeyFileCase(
      name: "Ed25519 private key", content: .privateKey("ED25519"), asPrivate: "",
      asPublic: notPublic),
    KeyFileCase(
      name: "Ed25519 public key", content: .publicKey("ED25519"), asPrivate: notPrivate,
      asPublic: ""),
    KeyFileCase(
      name: "RSA private key", content: .privateKey("RSA"),
      asPrivate: "an RSA key" + wrongAlgorithm, asPublic: notPublic),
    KeyFileCase(
      name: "RSA public key", content: .publicKey("RSA"), asPrivate: notPrivate,
      asPublic: "an RSA key" + wrongAlgorithm),
    // The header is enough: the body is never decoded.
    KeyFileCase(
      name: "RSA public key in PKCS#1",
      content: .text("-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----\n"),
      asPrivate: notPrivate, asPublic: "an RSA key" + wrongAlgorithm),
    KeyFileCase(
      name: "EC P-256 private key", content: .privateKey("EC", group: "P-256"),
      asPrivate: "an EC key" + wrongAlgorithm, asPublic: notPublic),
    KeyFileCase(
      name: "EC P-256 public key", content: .publicKey("EC", group: "P-256"),
      asPrivate: notPrivate, asPublic: "an EC key" + wrongAlgorithm),
    KeyFileCase(
      name: "Ed448 private key", content: .privateKey("ED448"),
      asPrivate: "an Ed448 key" + wrongAlgorithm, asPublic: notPublic),
    KeyFileCase(
      name: "X25519 public key", content: .publicKey("X25519"), asPrivate: notPrivate,
      asPublic: "an X25519 key" + wrongAlgorithm),
    KeyFileCase(
      name: "encrypted PKCS#8 Ed25519 key", content: .encrypted("ED25519", traditional: false),
      asPrivate: encrypted, asPublic: notPublic),
    KeyFileCase(
      name: "encrypted traditional RSA key", content: .encrypted("RSA", traditional: true),
      asPrivate: encrypted, asPublic: notPublic),
    KeyFileCase(
      name: "OpenSSH private key",
      content: .text(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
          + "-----END OPENSSH PRIVATE KEY-----\n"),
      asPrivate:
        "an OpenSSH private key; ControlGap reads PEM keys as "
        + "`openssl genpkey -algorithm ed25519` writes them",
      asPublic: notPublic),
  ]

  @Test("each key file loads or is refused with one clear line", arguments: keyFiles)
  func keyFile(_ keyFile: KeyFileCase) throws {
    let workspace = try TemporaryWorkspace(defaults: false)
    try FileManager.default.createDirectory(at: workspace.root, withIntermediateDirectories: true)
    let file = workspace.root.appendingPathComponent("key.pem")
    try Self.write(keyFile.content, to: file)

    if keyFile.asPrivate.isEmpty {
      _ = try SigningKey(pemFile: file, displayPath: "keys/key.pem")
    } else {
      #expect(throws: ControlGapFailure(keyFile.kind, "keys/key.pem: \(keyFile.asPrivate)")) {
        try SigningKey(pemFile: file, displayPath: "keys/key.pem")
      }
    }
    if keyFile.asPublic.isEmpty {
      _ = try VerifyingKey(pemFile: file, displayPath: "keys/key.pem")
    } else {
      #expect(throws: ControlGapFailure(keyFile.kind, "keys/key.pem: \(keyFile.asPublic)")) {
        try VerifyingKey(pemFile: file, displayPath: "keys/key.pem")
      }
    }
    // Nothing a refused key left on libcrypto's error queue reaches a later call.
    #expect(ERR_peek_error() == 0)
  }

  private static func write(_ content: KeyContent, to file: URL) throws {
    let pem: String?
    switch content {
    case .nothing: return
    case .folder:
      try FileManager.default.createDirectory(at: file, withIntermediateDirectories: false)
      return
    case .fifo:
      #expect(mkfifo(file.path, 0o600) == 0)
      return
    case .text(let text): pem = text
    case .privateKey(let algorithm, let group):
      let key = try #require(generate(algorithm, group: group))
      defer { EVP_PKEY_free(key) }
      pem = privatePEM(key)
    case .publicKey(let algorithm, let group):
      let key = try #require(generate(algorithm, group: group))
      defer { EVP_PKEY_free(key) }
      pem = publicPEM(key)
    case .encrypted(let algorithm, let traditional):
      let key = try #require(generate(algorithm))
      defer { EVP_PKEY_free(key) }
      pem = privatePEM(key, password: "x", traditional: traditional)
    }
    try Data(try #require(pem).utf8).write(to: file)
  }

  @Test(
    "keys and signatures interoperate with the openssl command",
    .enabled(if: openssl != nil, "openssl is not on PATH"))
  func opensslInterop() throws {
    let openssl = try #require(Self.openssl)
    let workspace = try TemporaryWorkspace(defaults: false)
    func path(_ name: String) -> String { workspace.root.appendingPathComponent(name).path }
    func run(_ arguments: [String]) throws -> ChildProcess.Output {
      try ChildProcess.run(openssl, arguments: arguments, environment: [:])
    }
    try workspace.write("manifest.json", "{\"entries\":[]}\n")
    #expect(try run(["genpkey", "-algorithm", "ed25519", "-out", path("key.pem")]).status == 0)
    #expect(
      try run(["pkey", "-in", path("key.pem"), "-pubout", "-out", path("pub.pem")]).status == 0)

    let signing = try SigningKey(
      pemFile: URL(fileURLWithPath: path("key.pem")), displayPath: "key.pem")
    let verifying = try VerifyingKey(
      pemFile: URL(fileURLWithPath: path("pub.pem")), displayPath: "pub.pem")
    #expect(verifying == signing.publicKey)
    #expect(verifying.pem == (try String(contentsOfFile: path("pub.pem"), encoding: .utf8)))

    // A ControlGap signature verifies with openssl, and a changed one does not.
    let message = Array("{\"entries\":[]}\n".utf8)
    let signature = try signing.sign(message)
    try Data(signature).write(to: URL(fileURLWithPath: path("sig")))
    let verify = [
      "pkeyutl", "-verify", "-pubin", "-inkey", path("pub.pem"), "-rawin",
      "-in", path("manifest.json"), "-sigfile", path("sig"),
    ]
    let verified = try run(verify)
    #expect(verified.status == 0, "\(String(decoding: verified.stderr, as: UTF8.self))")
    var changed = signature
    changed[10] ^= 0x04
    try Data(changed).write(to: URL(fileURLWithPath: path("sig")))
    #expect(try run(verify).status != 0)

    // openssl's signature is the same bytes, since Ed25519 is deterministic.
    let signed = try run([
      "pkeyutl", "-sign", "-inkey", path("key.pem"), "-rawin", "-in", path("manifest.json"),
    ])
    #expect(signed.status == 0)
    #expect(Array(signed.stdout) == signature)

    // The documented way to recompute the fingerprint: the last 32 bytes of the DER form.
    let der = try run(["pkey", "-pubin", "-in", path("pub.pem"), "-outform", "DER"])
    #expect(Array(der.stdout.suffix(32)) == verifying.raw)

    // An encrypted key from openssl is refused without a prompt.
    let encrypted = try run([
      "genpkey", "-algorithm", "ed25519", "-aes256", "-pass", "pass:x", "-out", path("enc.pem"),
    ])
    #expect(encrypted.status == 0)
    #expect(throws: ControlGapFailure(.badInput, "enc.pem: \(Self.encrypted)")) {
      try SigningKey(pemFile: URL(fileURLWithPath: path("enc.pem")), displayPath: "enc.pem")
    }
  }

  static let openssl: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":")
      .map { URL(fileURLWithPath: String($0)).appendingPathComponent("openssl") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  // MARK: - libcrypto, to write the keys the tests read

  private func bytes(_ hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    return try stride(from: 0, to: digits.count, by: 2).map { index in
      try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
    }
  }

  /// A new key of `algorithm` (`RSA`, `EC`, `ED25519`…), which the caller frees.
  static func generate(_ algorithm: String, group: String? = nil) -> OpaquePointer? {
    guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else { return nil }
    defer { EVP_PKEY_CTX_free(context) }
    guard EVP_PKEY_keygen_init(context) == 1 else { return nil }
    if let group, EVP_PKEY_CTX_set_group_name(context, group) != 1 { return nil }
    var key: OpaquePointer?
    guard EVP_PKEY_generate(context, &key) == 1 else { return nil }
    return key
  }

  /// The private key as PEM: PKCS#8, encrypted under `password` when one is given, or the
  /// older algorithm-specific form when `traditional`.
  static func privatePEM(
    _ key: OpaquePointer, password: String? = nil, traditional: Bool = false
  ) -> String? {
    pem { bio in
      guard let password else { return PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) }
      let length = Int32(password.utf8.count)
      return traditional
        ? PEM_write_bio_PrivateKey_traditional(
          bio, key, EVP_aes_256_cbc(), password, length, nil, nil)
        : PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), password, length, nil, nil)
    }
  }

  static func publicPEM(_ key: OpaquePointer) -> String? {
    pem { PEM_write_bio_PUBKEY($0, key) }
  }

  /// What `write` puts into a memory BIO, as text.
  private static func pem(_ write: (OpaquePointer) -> Int32) -> String? {
    guard let method = BIO_s_mem(), let bio = BIO_new(method) else { return nil }
    defer { BIO_free(bio) }
    guard write(bio) == 1 else { return nil }
    var text = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = BIO_read(bio, &buffer, Int32(buffer.count))
      guard count > 0 else { break }
      text += buffer.prefix(Int(count))
    }
    return String(decoding: text, as: UTF8.self)
  }
}
