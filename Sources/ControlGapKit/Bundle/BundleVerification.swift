import Foundation

/// Checks an evidence bundle against its own manifest: every entry a plain file at a safe
/// path, every listed file present with its recorded size and SHA-256, nothing unlisted, and
/// every catalog the manifest names archived as recorded.
///
/// This shows that the archive is complete and unchanged since its manifest was written; a
/// signature, checked by `BundleSignature`, shows who wrote the manifest.
public struct BundleVerification: Sendable {
  /// The files the manifest lists, when every check held.
  public private(set) var verifiedFiles = 0
  /// The manifest's bytes, when the archive held one.
  public private(set) var manifestBytes: [UInt8]?
  /// The key whose valid signature the bundle carries; `nil` when unsigned or when the
  /// signature does not hold.
  public private(set) var signer: VerifyingKey?
  /// One error per problem, in the order: refused entries, manifest, missing, unlisted,
  /// changed, catalogs, signature.
  public private(set) var problems: [Diagnostic] = []

  /// The entries whose contents verification reads; `ZipReader` keeps only these in memory.
  public static func reads(_ path: String) -> Bool {
    path == EvidenceBundle.manifestName || path == BundleSignature.fileName
  }

  /// Checks `entries`, as `ZipReader` read them.
  ///
  /// - Parameters:
  ///   - display: The archive's path as the user gave it, where problems are located.
  ///   - trustedKey: The key the signature must be made with, and the path it was read
  ///     from; with it, an unsigned bundle is a problem.
  public init(
    entries: [ZipReader.Entry], display: String,
    trustedKey: (key: VerifyingKey, display: String)? = nil
  ) {
    let location = SourceLocation(path: display)
    func problem(_ message: String) {
      problems.append(.error(message, at: location))
    }

    // Names compare byte for byte: Swift strings treat the composed and decomposed forms of a
    // name as equal, but an unzip tool writes the bytes.
    var files: [Name: ZipReader.Entry] = [:]
    // Paths already reported, so that a refused or repeated entry is not also called missing.
    var refused: Set<Name> = []
    // Names in one Unicode form, which a file system may treat as one file.
    var canonical: Set<String> = []
    for entry in entries {
      if let reason = Self.refusal(entry) {
        problem("\(reason): \(entry.path)")
        refused.insert(Name(entry.path))
      } else if !canonical.insert(entry.path.precomposedStringWithCanonicalMapping).inserted {
        problem("duplicate entry: \(entry.path)")
        refused.insert(Name(entry.path))
      } else {
        files[Name(entry.path)] = entry
      }
    }
    // The signature signs the manifest and so cannot be listed in it.
    let signatureEntry = files.removeValue(forKey: Name(BundleSignature.fileName))

    guard let manifestEntry = files.removeValue(forKey: Name(EvidenceBundle.manifestName)) else {
      if !refused.contains(Name(EvidenceBundle.manifestName)) {
        problem("no \(EvidenceBundle.manifestName)")
      }
      return
    }
    let manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(Manifest.self, from: Data(manifestEntry.contents ?? []))
    } catch {
      problem("\(EvidenceBundle.manifestName) is not a bundle manifest: \(Self.reason(error))")
      return
    }
    guard (1...BundleManifest.currentFormat).contains(manifest.format) else {
      problem(
        "\(EvidenceBundle.manifestName) has format \(manifest.format); this ControlGap reads "
          + (BundleManifest.currentFormat == 1
            ? "format 1 only" : "formats 1 to \(BundleManifest.currentFormat)"))
      return
    }
    manifestBytes = manifestEntry.contents

    let listed = manifest.entries
    var listedPaths: Set<Name> = []
    for entry in listed where !listedPaths.insert(Name(entry.path)).inserted {
      problem("\(EvidenceBundle.manifestName) lists \(entry.path) twice")
    }
    for entry in listed
    where files[Name(entry.path)] == nil && !refused.contains(Name(entry.path)) {
      problem("missing: \(entry.path)")
    }
    let unlisted = files.keys.filter { !listedPaths.contains($0) }
    for name in unlisted.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
      problem("not in the manifest: \(name.text)")
    }
    for entry in listed {
      guard let found = files[Name(entry.path)] else { continue }
      if found.sha256 != entry.sha256 {
        problem("changed: \(entry.path) (sha256 \(found.sha256), manifest says \(entry.sha256))")
      } else if found.bytes != entry.bytes {
        problem("changed: \(entry.path) (\(found.bytes) bytes, manifest says \(entry.bytes))")
      }
    }
    let byPath = Dictionary(
      listed.map { (Name($0.path), $0) }, uniquingKeysWith: { first, _ in first })
    for catalog in manifest.catalogs ?? [] {
      guard let entry = byPath[Name(catalog.path)] else {
        problem("catalog \(catalog.key) is not among the manifest's entries: \(catalog.path)")
        continue
      }
      if entry.sha256 != catalog.sha256 || entry.bytes != catalog.bytes {
        problem("catalog \(catalog.key) does not match its entry \(catalog.path)")
      }
    }
    if let problem = Self.signatureProblem(
      signatureEntry, refused: refused.contains(Name(BundleSignature.fileName)),
      manifest: manifestEntry.contents ?? [], trustedKey: trustedKey, signer: &signer)
    {
      problems.append(.error(problem, at: location))
    }
    if problems.isEmpty { verifiedFiles = listed.count }
  }

  /// What is wrong with the bundle's signature, or `nil` when it holds (setting `signer`) or
  /// when there is none and none was asked for.
  private static func signatureProblem(
    _ entry: ZipReader.Entry?, refused: Bool, manifest: [UInt8],
    trustedKey: (key: VerifyingKey, display: String)?, signer: inout VerifyingKey?
  ) -> String? {
    guard let entry else {
      guard let trustedKey, !refused else { return nil }
      return "not signed: there is no \(BundleSignature.fileName), but --key \(trustedKey.display) "
        + "was given"
    }
    let signature: BundleSignature
    do {
      signature = try BundleSignature(parsing: entry.contents ?? [])
    } catch let unreadable as BundleSignature.Unreadable {
      return "bad signature: \(BundleSignature.fileName): \(unreadable.reason)"
    } catch {
      return "bad signature: \(BundleSignature.fileName) cannot be read"
    }
    guard let trustedKey else {
      guard signature.isValid(for: manifest) else {
        return "bad signature: \(EvidenceBundle.manifestName) does not match the signature of "
          + "key \(signature.publicKey.fingerprint)"
      }
      signer = signature.publicKey
      return nil
    }
    // With a trusted key, the signature is checked against that key; the key the bundle names
    // only helps to say what went wrong.
    let trusted = "\(trustedKey.display) (\(trustedKey.key.fingerprint))"
    if trustedKey.key.isValidSignature(signature.signature, for: manifest) {
      guard signature.publicKey == trustedKey.key else {
        return "bad signature: signed by \(trusted), but \(BundleSignature.fileName) names key "
          + "\(signature.publicKey.fingerprint)"
      }
      signer = trustedKey.key
      return nil
    }
    if signature.publicKey != trustedKey.key, signature.isValid(for: manifest) {
      return "bad signature: signed by key \(signature.publicKey.fingerprint), not by \(trusted)"
    }
    return "bad signature: \(EvidenceBundle.manifestName) does not match the signature "
      + "(checked with \(trusted))"
  }

  /// Why an entry is refused before its contents are looked at, or `nil` when it is a plain
  /// file at a path that stays inside the folder it would be extracted to.
  static func refusal(_ entry: ZipReader.Entry) -> String? {
    if let problem = nameProblem(entry.path) { return problem }
    switch entry.kind {
    case .regularFile: return nil
    case .symbolicLink: return "symbolic link"
    case .hardLink: return "hard link"
    case .other: return "not a regular file"
    }
  }

  /// What makes a name unsafe to extract anywhere, or `nil`: `bundle` checks the names it
  /// writes with this too, so that it never writes a bundle that `verify` refuses.
  public static func nameProblem(_ path: String) -> String? {
    let components = path.split(
      separator: "/", omittingEmptySubsequences: false
    ).flatMap { $0.split(separator: "\\", omittingEmptySubsequences: false) }
    if path.hasPrefix("/") || path.hasPrefix("\\") || Self.hasDriveLetter(path) {
      return "absolute path"
    }
    if components.contains("..") { return "path leaves the bundle" }
    // Bundles name each file one way; `a//b`, `./a` or an empty name could unpack onto another.
    // Control characters and `:` (a Windows stream separator) have no place in a name either.
    if components.contains(where: { $0.isEmpty || $0 == "." })
      || path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == ":" })
    {
      return "unusual path"
    }
    return nil
  }

  /// Whether a name starts as a Windows drive does (`C:`), which unzip tools there may honour.
  private static func hasDriveLetter(_ path: String) -> Bool {
    let scalars = Array(path.unicodeScalars.prefix(2))
    return scalars.count == 2 && scalars[1] == ":" && scalars[0].isASCII
      && scalars[0].properties.isAlphabetic
  }

  /// What the decoder found wrong, in one line.
  private static func reason(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "no '\(Self.path(context.codingPath + [key]))'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "'\(Self.path(context.codingPath))' has the wrong type"
    case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
      return "'\(Self.path(context.codingPath))' is not valid"
    default:
      return "not valid JSON"
    }
  }

  /// `entries[3].sha256`.
  private static func path(_ keys: [CodingKey]) -> String {
    var text = ""
    for key in keys {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text
  }

  /// A path as the bytes of its UTF-8 form.
  private struct Name: Hashable {
    var bytes: [UInt8]
    init(_ path: String) { bytes = Array(path.utf8) }
    var text: String { String(decoding: bytes, as: UTF8.self) }
  }

  /// The part of `manifest.json` that verification reads.
  private struct Manifest: Decodable {
    var format: Int
    var entries: [BundleManifest.Entry]
    var catalogs: [BundleManifest.CatalogRecord]?
  }
}
