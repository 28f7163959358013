import Foundation
import Testing

@testable import ControlGapKit

/// `controlgap verify` run as a user runs it, on archives written here with `ZipWriter`.
@Suite("The verify command end to end")
struct VerifyCommandTests {
  /// A bundle's files: two listed in the manifest, and the manifest.
  static let files: [String: [UInt8]] = {
    let report = Array("# Gap report\n".utf8)
    let settings = Array("<workspace/>\n".utf8)
    let manifest = """
      {"format":1,"entries":[\
      {"path":"reports/gap-report.md","bytes":13,"sha256":"\(InputDigest.sha256(of: report)!)"},\
      {"path":"workspace/workspace.xml","bytes":13,"sha256":"\(InputDigest.sha256(of: settings)!)"}\
      ]}
      """
    return [
      "reports/gap-report.md": report, "workspace/workspace.xml": settings,
      "manifest.json": Array(manifest.utf8),
    ]
  }()

  /// One way a bundle can differ from what its manifest says, and the line verify prints.
  struct Tampering: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: [UInt8]]
    var symbolicLinks: [String: String] = [:]
    var expected: String
    var testDescription: String { name }
  }

  static let tamperings: [Tampering] = {
    var changed = files
    changed["reports/gap-report.md"]![2] = UInt8(ascii: "H")
    var removed = files
    removed["workspace/workspace.xml"] = nil
    var added = files
    added["evidence/extra.txt"] = Array("extra\n".utf8)
    var escaping = files
    escaping["../evil.txt"] = Array("evil\n".utf8)
    var absolute = files
    absolute["/etc/evil.txt"] = Array("evil\n".utf8)
    var unlisted = files
    unlisted["manifest.json"] = nil
    var drive = files
    drive["C:evil.txt"] = Array("evil\n".utf8)
    var doubled = files
    doubled["reports//gap-report.md"] = files["reports/gap-report.md"]
    var dotted = files
    dotted["./reports/gap-report.md"] = files["reports/gap-report.md"]
    var decomposed = files
    decomposed["evidence/cafe\u{301}.txt"] = Array("b\n".utf8)
    let changedDigest = InputDigest.sha256(of: changed["reports/gap-report.md"]!)!
    let listedDigest = InputDigest.sha256(of: files["reports/gap-report.md"]!)!
    return [
      Tampering(
        name: "one changed byte", files: changed,
        expected:
          "changed: reports/gap-report.md (sha256 \(changedDigest), manifest says \(listedDigest))"
      ),
      Tampering(
        name: "a removed file", files: removed, expected: "missing: workspace/workspace.xml"),
      Tampering(
        name: "an added file", files: added, expected: "not in the manifest: evidence/extra.txt"),
      Tampering(
        name: "a zip-slip entry", files: escaping, expected: "path leaves the bundle: ../evil.txt"),
      Tampering(
        name: "an absolute path", files: absolute, expected: "absolute path: /etc/evil.txt"),
      Tampering(
        name: "a symbolic link", files: files, symbolicLinks: ["evidence/link.txt": "/etc/passwd"],
        expected: "symbolic link: evidence/link.txt"),
      Tampering(name: "a missing manifest", files: unlisted, expected: "no manifest.json"),
      Tampering(
        name: "a drive letter", files: drive, expected: "absolute path: C:evil.txt"),
      Tampering(
        name: "a doubled slash", files: doubled,
        expected: "unusual path: reports//gap-report.md"),
      Tampering(
        name: "a dot step", files: dotted, expected: "unusual path: ./reports/gap-report.md"),
      Tampering(
        name: "a name unlisted in its decomposed form", files: decomposed,
        expected: "not in the manifest: evidence/cafe\u{301}.txt"),
    ]
  }()

  /// A fresh folder under the temporary directory, removed by the caller.
  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test("an untouched bundle verifies")
  func untouched() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    try Data(ZipWriter.archive(Self.files)).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 0)
    #expect(result.stdout == "\(path): verified, 2 files, not signed\n")
    #expect(result.stderr == "")
  }

  @Test("a fresh bundle of a workspace verifies")
  func freshBundle() throws {
    let workspace = try EvidenceBundleTests.workspace()
    let bundle = try EvidenceBundleTests.bundle(of: workspace)
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    try Data(bundle.archive()).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 0)
    let listed = try #require(EvidenceBundleTests.manifest(bundle)["entries"] as? [Any])
    #expect(result.stdout == "\(path): verified, \(listed.count) files, not signed\n")
    #expect(result.stderr == "")
  }

  @Test("a tampered bundle fails with one line naming the problem", arguments: tamperings)
  func tampered(_ tampering: Tampering) throws {
    // Names beyond ASCII pass through libarchive only under a UTF-8 locale, as in the CLI.
    _ = setlocale(LC_CTYPE, "C.UTF-8")
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    let bytes = try ZipWriter.archive(tampering.files, symbolicLinks: tampering.symbolicLinks)
    try Data(bytes).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 65)
    #expect(result.stdout == "")
    #expect(result.stderrLines == ["\(path): error: \(tampering.expected)"])
    // Verification extracts nothing next to the archive.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bundle.zip"])
  }

  /// A malformed manifest and the line verify prints for it.
  struct BadManifest: CustomTestStringConvertible, Sendable {
    var name: String
    var manifest: String
    var expected: String
    var testDescription: String { name }
  }

  static let badManifests: [BadManifest] = [
    BadManifest(
      name: "not JSON", manifest: "{\"format\": 1, \"entries\": [",
      expected: "manifest.json is not a bundle manifest: not valid JSON"),
    BadManifest(
      name: "no entries", manifest: "{\"format\": 1, \"period\": \"2026-Q4\"}",
      expected: "manifest.json is not a bundle manifest: no 'entries'"),
    BadManifest(
      name: "a size that is text",
      manifest:
        "{\"format\": 1, \"entries\": [{\"path\": \"a\", \"bytes\": \"x\", \"sha256\": \"\"}]}",
      expected: "manifest.json is not a bundle manifest: 'entries[0].bytes' has the wrong type"),
    BadManifest(
      name: "a newer format", manifest: "{\"format\": 2, \"entries\": []}",
      expected: "manifest.json has format 2; this ControlGap reads format 1 only"),
    BadManifest(
      name: "no format", manifest: "{\"entries\": []}",
      expected: "manifest.json is not a bundle manifest: no 'format'"),
    BadManifest(
      name: "a path listed twice",
      manifest: """
        {"format": 1, "entries": [{"path": "a.txt", "bytes": 2, "sha256": "\(InputDigest.sha256(of: Array("a\n".utf8))!)"},\
        {"path": "a.txt", "bytes": 2, "sha256": "\(InputDigest.sha256(of: Array("a\n".utf8))!)"}]}
        """,
      expected: "manifest.json lists a.txt twice"),
    BadManifest(
      name: "a catalog that is not an entry",
      manifest: """
        {"format": 1, "catalogs": [{"key": "k", "title": "t", "version": "1", "oscalVersion": "1.2.1", \
        "path": "catalogs/k.xml", "bytes": 1, "sha256": "00"}], "entries": []}
        """,
      expected: "catalog k is not among the manifest's entries: catalogs/k.xml"),
  ]

  @Test("a manifest that cannot be read fails with one line saying why", arguments: badManifests)
  func badManifest(_ bad: BadManifest) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    var files = ["manifest.json": Array(bad.manifest.utf8)]
    if bad.manifest.contains("a.txt") { files["a.txt"] = Array("a\n".utf8) }
    try Data(ZipWriter.archive(files)).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 65)
    #expect(result.stdout == "")
    #expect(result.stderrLines == ["\(path): error: \(bad.expected)"])
  }

  @Test("one name in its composed and decomposed Unicode forms is a duplicate entry")
  func unicodeTwins() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    _ = setlocale(LC_CTYPE, "C.UTF-8")
    let writer = try ZipWriter()
    try writer.add("evidence/caf\u{E9}.txt", contents: Array("a\n".utf8))
    try writer.add("evidence/cafe\u{301}.txt", contents: Array("b\n".utf8))
    for name in Self.files.keys.sorted() {
      try writer.add(name, contents: Self.files[name]!)
    }
    try writer.finish()
    try Data(writer.bytes).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 65)
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: path, with: "B") } == [
        "B: error: duplicate entry: evidence/cafe\u{301}.txt",
        "B: error: not in the manifest: evidence/caf\u{E9}.txt",
      ])
  }

  @Test("an entry stored twice is reported once and not also called missing")
  func duplicateEntry() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("bundle.zip").path
    let writer = try ZipWriter()
    for name in Self.files.keys.sorted() {
      try writer.add(name, contents: Self.files[name]!)
    }
    try writer.add("reports/gap-report.md", contents: Array("# Forged\n".utf8))
    try writer.finish()
    try Data(writer.bytes).write(to: URL(fileURLWithPath: path))

    let result = try CommandLineRunner.run(["verify", path])

    #expect(result.status == 65)
    #expect(result.stderrLines == ["\(path): error: duplicate entry: reports/gap-report.md"])
  }

  /// The offsets of the central directory records in `archive`, found by their signature.
  static func centralRecords(_ archive: [UInt8]) -> [Int] {
    (0..<(archive.count - 4)).filter {
      archive[$0] == 0x50 && archive[$0 + 1] == 0x4b && archive[$0 + 2] == 0x01
        && archive[$0 + 3] == 0x02
    }
  }

  @Test("an archive whose central directory names other entries than its local headers is refused")
  func centralDirectoryDisagrees() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try ZipWriter.archive(Self.files)
    let records = Self.centralRecords(original)
    #expect(records.count == 3)

    // The first two records' local header offsets swapped: an unzip tool following the
    // directory would show each file under the other's name.
    var swapped = original
    for index in 0..<4 {
      swapped.swapAt(records[0] + 42 + index, records[1] + 42 + index)
    }
    // The end record's directory offset moved by one.
    var moved = original
    moved[moved.count - 6] &+= 1

    var lines: [String] = []
    for (name, bytes) in [("swapped.zip", swapped), ("moved.zip", moved)] {
      let path = folder.appendingPathComponent(name).path
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let result = try CommandLineRunner.run(["verify", name], in: folder)
      #expect(result.status == 65)
      #expect(result.stdout == "")
      lines += result.stderrLines
    }
    #expect(
      lines == [
        "swapped.zip: error: cannot read the archive: entry 1 (manifest.json) is not where the "
          + "previous entry ends",
        "moved.zip: error: cannot read the archive: the central directory is not where the end "
          + "record says",
      ])
  }

  /// One change to the bytes of a valid archive, made at its first central directory record,
  /// and the line verify prints.
  struct Surgery: CustomTestStringConvertible, Sendable {
    var name: String
    var change: @Sendable (inout [UInt8], Int) -> Void
    var expected: String
    var testDescription: String { name }
  }

  static let surgeries: [Surgery] = [
    Surgery(
      name: "an archive comment after the end record",
      change: { archive, _ in
        archive[archive.count - 2] = 4
        archive += Array("note".utf8)
      },
      expected: "the archive has a comment or other bytes after its end record"),
    Surgery(
      name: "an executable, set-user-id entry",
      change: { archive, record in
        archive.replaceSubrange((record + 38)..<(record + 42), with: [0, 0, 0xFF, 0x89])
      },
      expected: "entry 1 (manifest.json) has mode 4777; bundles hold files of mode 644"),
    Surgery(
      name: "the directory says stored where the local header says deflated",
      change: { archive, record in archive[record + 10] = 0 },
      expected:
        "entry 1 (manifest.json) has another local header than the central directory describes"),
    Surgery(
      name: "a symbolic link declared by a system other than Unix",
      change: { archive, record in
        archive[record + 5] = 0
        archive[record + 40] = 0xFF
        archive[record + 41] = 0xA1
      },
      expected: "symbolic link: manifest.json"),
    Surgery(
      name: "a Unicode path field renaming the entry",
      change: { archive, record in
        // The record's 20 bytes of extra fields become one 0x7075 field of the same length.
        let nameLength = Int(archive[record + 28]) | Int(archive[record + 29]) << 8
        let extra = record + 46 + nameLength
        archive.replaceSubrange(
          extra..<(extra + 20),
          with: [0x75, 0x70, 16, 0] + Array(repeating: UInt8(ascii: "x"), count: 16))
      },
      expected: "entry 1 (manifest.json) has an extra field that is not allowed"),
  ]

  @Test(
    "an archive whose layout other unzip tools could read otherwise is refused",
    arguments: surgeries)
  func layout(_ surgery: Surgery) throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var archive = try ZipWriter.archive(Self.files)
    let records = Self.centralRecords(archive)
    #expect(Int(archive[records[0] + 30]) | Int(archive[records[0] + 31]) << 8 == 20)
    surgery.change(&archive, records[0])
    try Data(archive).write(to: folder.appendingPathComponent("b.zip"))

    let result = try CommandLineRunner.run(["verify", "b.zip"], in: folder)

    #expect(result.status == 65)
    let prefix = surgery.expected.hasPrefix("symbolic") ? "" : "cannot read the archive: "
    #expect(result.stderrLines == ["b.zip: error: \(prefix)\(surgery.expected)"])
  }

  /// A bundle of two files written by Python's zipfile with ZIP64 records forced: a ZIP64 end
  /// record and locator, and 64-bit sizes and offsets in each directory record's extra field.
  static let zip64Bundle: [UInt8] = Array(
    Data(
      base64Encoded: [
        "UEsDBC0AAAAIAAAAIQAcMf5L//////////8FABQAYS50eHQBABAAFwAAAAAAAAAXAAAAAAAAAMtIzcnJVyjP",
        "L8pJ0VEoycgsVgCiRC4AUEsDBC0AAAAIAAAAIQC/u/02//////////8FABQAYi50eHQBABAAHAAAAAAAAAAe",
        "AAAAAAAAACtOTc7PS1FIy8xJVSjPLMlQyM0vSlVIqixJLeYCAFBLAwQtAAAACAAAACEA3MJyvv//////////",
        "DQAUAG1hbmlmZXN0Lmpzb24BABAA9gAAAAAAAAClAAAAAAAAAGWNywoCMQxFf2XoepA2mSatvyIukk6KLnww",
        "dqHI/LvVjYi7ezhwz9PVy3KS5rZDGAdn57Yc7dZp93RXaYe+nGzavblu9dE+DrDD7SAQ6e1zjqxVI4YplZos",
        "RJ89sreURHEOpKiKFSkCwzwVZRai5CuFGUvxbh2Hb03/aumnRso1F/SUpaZgCmSZ+7eJoUWrM0TxBB5jnkpg",
        "RSyaTAAnBgqa3bpfX1BLAQItAy0AAAAIAAAAIQAcMf5L//////////8FABQAAAAAAAAAAACAAQAAAABhLnR4",
        "dAEAEAAXAAAAAAAAABcAAAAAAAAAUEsBAi0DLQAAAAgAAAAhAL+7/Tb//////////wUAHAAAAAAAAAAAAIAB",
        "/////2IudHh0AQAYABwAAAAAAAAAHgAAAAAAAABOAAAAAAAAAFBLAQItAy0AAAAIAAAAIQDcwnK+////////",
        "//8NABwAAAAAAAAAAACAAf////9tYW5pZmVzdC5qc29uAQAYAPYAAAAAAAAApQAAAAAAAACjAAAAAAAAAFBL",
        "BgYsAAAAAAAAAC0ALQAAAAAAAAAAAAMAAAAAAAAAAwAAAAAAAADtAAAAAAAAAIcBAAAAAAAAUEsGBwAAAAB0",
        "AgAAAAAAAAEAAABQSwUGAAAAAAMAAwDtAAAAhwEAAAAA",
      ].joined())!)

  @Test("an archive with ZIP64 records reads through both indexes and verifies")
  func zip64() throws {
    let entries = try ZipReader().entries(of: Self.zip64Bundle)
    #expect(entries.map(\.path) == ["a.txt", "b.txt", "manifest.json"])
    #expect(entries.map(\.bytes) == [23, 28, 246])
    #expect(BundleVerification(entries: entries, display: "z64.zip").verifiedFiles == 2)
  }

  @Test("a bundle with a non-ASCII name marks it UTF-8 and verifies")
  func utf8Names() throws {
    let workspace = try TemporaryWorkspace([
      "workspace.xml": TemporaryWorkspace.settings(),
      "controls/controls.xml": TemporaryWorkspace.controls(
        TemporaryWorkspace.control(
          evidence:
            "<evidence path=\"evidence/Prüfbericht.txt\" effective=\"2026-11-01\">x</evidence>")),
      "evidence/Prüfbericht.txt": "geprüft\n",
    ])
    let path = workspace.root.appendingPathComponent("bundle.zip").path

    let bundled = try CommandLineRunner.run([
      "bundle", workspace.root.path, "--output", path, "--quiet",
    ])
    let verified = try CommandLineRunner.run(["verify", path])

    #expect(bundled.status == 0)
    #expect(verified.status == 0)
    #expect(verified.stderr == "")
    // Bit 11 of the central directory record's flags says the name is UTF-8.
    let bytes = try #require(FileManager.default.contents(atPath: path))
    let archive = Array(bytes)
    let name = Array("evidence/evidence/Prüfbericht.txt".utf8)
    let record = Self.centralRecords(archive).first { offset in
      Array(archive[(offset + 46)..<min(archive.count, offset + 46 + name.count)]) == name
    }
    let flags = try #require(record.map { Int(archive[$0 + 8]) | Int(archive[$0 + 9]) << 8 })
    #expect(flags & 0x800 != 0)
  }

  @Test("a file that is absent or not a ZIP is missing input")
  func notAZip() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = folder.appendingPathComponent("notes.txt").path
    try Data("not an archive\n".utf8).write(to: URL(fileURLWithPath: text))
    let absent = folder.appendingPathComponent("absent.zip").path

    let notZip = try CommandLineRunner.run(["verify", text])
    let missing = try CommandLineRunner.run(["verify", absent])

    #expect(notZip.status == 66)
    #expect(notZip.stdout == "")
    #expect(
      notZip.stderrLines == ["\(text): error: not a ZIP archive: Unrecognized archive format"])
    #expect(missing.status == 66)
    #expect(
      missing.stderrLines == ["\(absent): error: cannot read the file: No such file or directory"])
  }
}
