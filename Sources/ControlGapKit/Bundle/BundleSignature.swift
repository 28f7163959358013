import Foundation

/// `signature.json`: an Ed25519 signature over the exact bytes of `manifest.json`, with the
/// public key that makes it.
///
/// The manifest holds the SHA-256 of every other file, so a valid signature covers the whole
/// bundle. The public key travels along so that a bundle can be checked for integrity by
/// anyone; only a key the auditor already trusts, given to `verify --key`, shows who signed.
public struct BundleSignature: Sendable, Equatable {
  /// The name of the signature inside the archive.
  public static let fileName = "signature.json"
  /// The only algorithm written and accepted.
  public static let algorithm = "Ed25519"

  public var publicKey: VerifyingKey
  /// 64 bytes.
  public var signature: [UInt8]

  /// Signs `manifest` with `key`.
  public init(signing manifest: [UInt8], with key: SigningKey) throws {
    publicKey = key.publicKey
    signature = try key.sign(manifest)
  }

  /// Reads `signature.json`.
  ///
  /// - Throws: `BundleSignature.Unreadable` with a one-line reason.
  public init(parsing bytes: [UInt8]) throws {
    let document: Document
    do {
      document = try JSONDecoder().decode(Document.self, from: Data(bytes))
    } catch {
      throw Unreadable(reason: "not a bundle signature")
    }
    guard document.algorithm == Self.algorithm else {
      throw Unreadable(
        reason: "algorithm '\(document.algorithm)' is not supported (only \(Self.algorithm))")
    }
    guard let key = Data(base64Encoded: document.publicKey) else {
      throw Unreadable(reason: "the public key is not base64")
    }
    let publicKey: VerifyingKey
    do {
      publicKey = try VerifyingKey(raw: Array(key))
    } catch let failure as ControlGapFailure {
      throw Unreadable(reason: failure.message)
    }
    guard let signature = Data(base64Encoded: document.signature), signature.count == 64 else {
      throw Unreadable(reason: "the signature is not 64 bytes of base64")
    }
    self.publicKey = publicKey
    self.signature = Array(signature)
  }

  /// Why `signature.json` could not be read.
  public struct Unreadable: Error, Sendable {
    public var reason: String
  }

  /// Whether the signature is `manifest`'s under the key it names.
  public func isValid(for manifest: [UInt8]) -> Bool {
    publicKey.isValidSignature(signature, for: manifest)
  }

  /// The document as archived: fixed key order, one final newline.
  public var text: String {
    JSONValue.object([
      ("algorithm", .string(Self.algorithm)),
      ("signs", .string(EvidenceBundle.manifestName)),
      ("publicKey", .string(Data(publicKey.raw).base64EncodedString())),
      ("keyFingerprint", .string(publicKey.fingerprint)),
      ("signature", .string(Data(signature).base64EncodedString())),
    ]).text() + "\n"
  }

  /// The fields `init(parsing:)` reads; the fingerprint is derived from the key, not trusted.
  private struct Document: Decodable {
    var algorithm: String
    var publicKey: String
    var signature: String
  }
}
