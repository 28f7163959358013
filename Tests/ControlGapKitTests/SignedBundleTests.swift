import CLibCrypto
import Foundation
import Testing

@testable import ControlGapKit

/// Signed bundles end to end: `bundle --sign` writes them, `verify` and `verify --key` check
/// them, and every way a signature can fail gives one line.
@Suite("Signed evidence bundles")
struct SignedBundleTests {
  /// RFC 8032's TEST 1 and TEST 2 private keys: fixed, so that signatures are known bytes.
  static let signerSeed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
  static let otherSeed = hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")

  static func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
      UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
  }

  /// A folder holding `signer.pem`, `signer.pub`, `other.pub` and whatever the test adds.
  final class KeyFolder {
    let root: URL

    init() throws {
      root = FileManager.default.temporaryDirectory
        .appendingPathComponent("controlgap-signed-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      let signer = try #require(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, SignedBundleTests.signerSeed, 32))
      defer { EVP_PKEY_free(signer) }
      try write("signer.pem", try #require(ManifestSigningTests.privatePEM(signer)))
      try write("signer.pub", try SigningKey(seed: SignedBundleTests.signerSeed).publicKey.pem)
      try write("other.pub", try SigningKey(seed: SignedBundleTests.otherSeed).publicKey.pem)
    }

    deinit {
      try? FileManager.default.removeItem(at: root)
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
      try Data(text.utf8).write(to: root.appendingPathComponent(name))
    }

    func write(_ name: String, archive files: [String: [UInt8]]) throws {
      try Data(ZipWriter.archive(files)).write(to: root.appendingPathComponent(name))
    }
  }

  /// The small bundle of `VerifyCommandTests` with `signature.json` made by `seed`'s key over
  /// `manifest`, which defaults to the bundle's own.
  static func signed(seed: [UInt8] = signerSeed, manifest: [UInt8]? = nil) throws
    -> [String: [UInt8]]
  {
    var files = VerifyCommandTests.files
    let signature = try BundleSignature(
      signing: manifest ?? files["manifest.json"]!, with: SigningKey(seed: seed))
    files[BundleSignature.fileName] = Array(signature.text.utf8)
    return files
  }

  static var signerFingerprint: String {
    (try? SigningKey(seed: signerSeed).publicKey.fingerprint) ?? ""
  }

  @Test("the fingerprint of RFC 8032's TEST 1 key is the SHA-256 of its public key")
  func fingerprint() throws {
    let publicKey = Self.hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    #expect(
      Self.signerFingerprint == "SHA256:" + (InputDigest.sha256(of: publicKey) ?? "unknown"))
  }

  /// Encodings of small-order points (RFC 8032 section 5.1.3 decodes them; they have order 1,
  /// 2, 4 or 8) and a non-canonical y, which must never serve as a signer's key.
  static let weakKeys = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  ]

  @Test("small-order and non-canonical public keys are refused; real keys are not")
  func weakKeysRefused() throws {
    for key in Self.weakKeys {
      #expect(
        throws: ControlGapFailure(
          .badInput, "not a usable Ed25519 public key: a point of small order, or none at all"),
        "\(key)"
      ) { _ = try VerifyingKey(raw: Self.hex(key)) }
    }
    let real = try SigningKey(seed: Self.signerSeed).publicKey.raw
    #expect(try VerifyingKey(raw: real).raw == real)
    for seed in 0..<64 {
      let key = try SigningKey(seed: [UInt8](repeating: UInt8(seed), count: 32)).publicKey
      #expect(try VerifyingKey(raw: key.raw) == key)
    }
  }

  @Test("a signature.json naming the identity key is a bad signature, not a signer")
  func identityKeySignature() throws {
    let keys = try KeyFolder()
    var files = VerifyCommandTests.files
    files[BundleSignature.fileName] = Array(
      """
      {"algorithm": "Ed25519", "publicKey": "\(Data(Self.hex(Self.weakKeys[0])).base64EncodedString())", \
      "signature": "\(Data([1] + [UInt8](repeating: 0, count: 63)).base64EncodedString())"}
      """.utf8)
    try keys.write("bundle.zip", archive: files)

    let result = try CommandLineRunner.run(["verify", "bundle.zip"], in: keys.root)

    #expect(result.status == 65)
    #expect(
      result.stderrLines == [
        "bundle.zip: error: bad signature: signature.json: not a usable Ed25519 public key: a "
          + "point of small order, or none at all"
      ])
  }

  @Test("signature.json holds the algorithm, the signer's public key and a signature that checks")
  func document() throws {
    let manifest = try #require(VerifyCommandTests.files["manifest.json"])
    let signature = try BundleSignature(signing: manifest, with: SigningKey(seed: Self.signerSeed))
    let reread = try BundleSignature(parsing: Array(signature.text.utf8))

    #expect(reread == signature)
    #expect(reread.isValid(for: manifest))
    #expect(!reread.isValid(for: manifest + [0x0A]))
    #expect(
      signature.text.hasPrefix("{\n  \"algorithm\": \"Ed25519\",\n  \"signs\": \"manifest.json\""))
    #expect(
      signature.text.contains("\"publicKey\": \"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\""))
  }

  @Test("a signed bundle verifies with its signer's key, and without a key says whose it is")
  func verifies() throws {
    let keys = try KeyFolder()
    try keys.write("bundle.zip", archive: Self.signed())
    let bundle = keys.path("bundle.zip")

    let withKey = try CommandLineRunner.run(["verify", bundle, "--key", keys.path("signer.pub")])
    let withoutKey = try CommandLineRunner.run(["verify", bundle])

    #expect(withKey.status == 0)
    #expect(withKey.stderr == "")
    #expect(
      withKey.stdout
        == "\(bundle): verified, 2 files, signed by key \(Self.signerFingerprint) as given\n")
    #expect(withoutKey.status == 0)
    #expect(
      withoutKey.stdout
        == "\(bundle): verified, 2 files, signed by key \(Self.signerFingerprint); "
        + "pass --key with the signer's public key to check who signed\n")
  }

  /// One way a signature fails, and the line verify prints.
  struct BadSignature: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: [UInt8]]
    var key: String?
    var expected: String
    var testDescription: String { name }
  }

  static let badSignatures: [BadSignature] = {
    let fingerprint = signerFingerprint
    let other = (try? SigningKey(seed: otherSeed).publicKey.fingerprint) ?? ""
    var flipped = (try? signed()) ?? [:]
    var document = String(decoding: flipped[BundleSignature.fileName] ?? [], as: UTF8.self)
    // The signature's first base64 digit, changed: a different first byte.
    let marker = "\"signature\": \""
    if let range = document.range(of: marker) {
      let digit = document[range.upperBound]
      document.replaceSubrange(
        range.upperBound...range.upperBound, with: digit == "A" ? "B" : "A")
    }
    flipped[BundleSignature.fileName] = Array(document.utf8)

    // A manifest that still matches every file but says another period than the one signed.
    var rewritten = (try? signed()) ?? [:]
    let manifest = String(decoding: VerifyCommandTests.files["manifest.json"]!, as: UTF8.self)
    rewritten["manifest.json"] = Array(
      manifest.replacingOccurrences(
        of: "{\"format\":1,", with: "{\"format\":1,\"period\":\"2026-Q3\","
      )
      .utf8)

    // The signer's signature, with signature.json naming the other key.
    var renamed = (try? signed()) ?? [:]
    if let signerKey = try? SigningKey(seed: signerSeed).publicKey,
      let otherKey = try? SigningKey(seed: otherSeed).publicKey
    {
      let text = String(decoding: renamed[BundleSignature.fileName] ?? [], as: UTF8.self)
        .replacingOccurrences(
          of: Data(signerKey.raw).base64EncodedString(),
          with: Data(otherKey.raw).base64EncodedString())
      renamed[BundleSignature.fileName] = Array(text.utf8)
    }

    var garbage = VerifyCommandTests.files
    garbage[BundleSignature.fileName] = Array("not json".utf8)
    var rsa = VerifyCommandTests.files
    rsa[BundleSignature.fileName] = Array(
      "{\"algorithm\": \"RSA\", \"publicKey\": \"\", \"signature\": \"\"}".utf8)

    return [
      BadSignature(
        name: "a changed signature byte", files: flipped, key: nil,
        expected:
          "bad signature: manifest.json does not match the signature of key \(fingerprint)"),
      BadSignature(
        name: "a manifest changed after signing", files: rewritten, key: "signer.pub",
        expected:
          "bad signature: manifest.json does not match the signature (checked with signer.pub "
          + "(\(fingerprint)))"),
      BadSignature(
        name: "the signer's signature with another key named", files: renamed, key: "signer.pub",
        expected:
          "bad signature: signed by signer.pub (\(fingerprint)), but signature.json names key "
          + other),
      BadSignature(
        name: "signed by another key than the one given", files: (try? signed()) ?? [:],
        key: "other.pub",
        expected: "bad signature: signed by key \(fingerprint), not by other.pub (\(other))"),
      BadSignature(
        name: "not signed, with a key given", files: VerifyCommandTests.files, key: "signer.pub",
        expected: "not signed: there is no signature.json, but --key signer.pub was given"),
      BadSignature(
        name: "a signature that is not JSON", files: garbage, key: nil,
        expected: "bad signature: signature.json: not a bundle signature"),
      BadSignature(
        name: "another algorithm", files: rsa, key: nil,
        expected:
          "bad signature: signature.json: algorithm 'RSA' is not supported (only Ed25519)"),
    ]
  }()

  @Test("a bad signature fails with one line naming the problem", arguments: badSignatures)
  func badSignature(_ bad: BadSignature) throws {
    let keys = try KeyFolder()
    try keys.write("bundle.zip", archive: bad.files)

    let result = try CommandLineRunner.run(
      ["verify", "bundle.zip"] + (bad.key.map { ["--key", $0] } ?? []), in: keys.root)

    #expect(result.status == 65)
    #expect(result.stdout == "")
    #expect(result.stderrLines == ["bundle.zip: error: \(bad.expected)"])
  }

  @Test("a key file of the wrong kind stops verify and bundle with one line naming it")
  func wrongKeyFiles() throws {
    let keys = try KeyFolder()
    try keys.write("bundle.zip", archive: Self.signed())

    let privateAsPublic = try CommandLineRunner.run(
      ["verify", "bundle.zip", "--key", "signer.pem"], in: keys.root)
    let publicAsPrivate = try CommandLineRunner.run(
      ["bundle", "--sign", "signer.pub", "--output", "out.zip"], in: keys.root)
    let absent = try CommandLineRunner.run(
      ["bundle", "--sign", "absent.pem", "--output", "out.zip"], in: keys.root)

    #expect(privateAsPublic.status == 65)
    #expect(
      privateAsPublic.stderrLines == [
        "signer.pem: error: a private key; --key needs the public key"
      ])
    #expect(publicAsPrivate.status == 65)
    #expect(
      publicAsPrivate.stderrLines == [
        "signer.pub: error: a public key; --sign needs the private key"
      ])
    #expect(absent.status == 66)
    #expect(
      absent.stderrLines == [
        "absent.pem: error: cannot read the key file: No such file or directory"
      ])
    #expect(!FileManager.default.fileExists(atPath: keys.path("out.zip")))
  }

  @Test("bundle --sign writes the same signed bytes twice, and verify --key accepts them")
  func signedExample() throws {
    let keys = try KeyFolder()
    let first = try CommandLineRunner.run([
      "bundle", "--sign", keys.path("signer.pem"), "--output", keys.path("first.zip"), "--quiet",
    ])
    let second = try CommandLineRunner.run([
      "bundle", "--sign", keys.path("signer.pem"), "--output", keys.path("second.zip"),
      "--quiet",
    ])
    let verified = try CommandLineRunner.run([
      "verify", keys.path("first.zip"), "--key", keys.path("signer.pub"),
    ])

    #expect(first.status == 0)
    #expect(first.stdout.hasSuffix(", signed by key \(Self.signerFingerprint))\n"))
    #expect(second.status == 0)
    let bytes = try #require(FileManager.default.contents(atPath: keys.path("first.zip")))
    #expect(FileManager.default.contents(atPath: keys.path("second.zip")) == bytes)
    #expect(verified.status == 0)
    #expect(verified.stdout.hasSuffix("signed by key \(Self.signerFingerprint) as given\n"))

    let entries = try ZipReader().entries(of: Array(bytes))
    #expect(entries.suffix(2).map(\.path) == ["manifest.json", "signature.json"])
    let manifest = try #require(entries.first { $0.path == "manifest.json" }?.contents)
    let signature = try BundleSignature(
      parsing: try #require(entries.first { $0.path == "signature.json" }?.contents))
    #expect(signature.isValid(for: manifest))
    #expect(signature.publicKey == (try SigningKey(seed: Self.signerSeed).publicKey))
  }
}
