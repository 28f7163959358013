import Foundation
import Testing

@testable import ControlGapKit

/// `controlgap bundle` run as a user runs it.
@Suite("The bundle command end to end")
struct BundleCommandTests {
  @Test("the example's bundle is the same bytes in another time zone")
  func sameBytes() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-bundle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("first.zip").path
    let second = folder.appendingPathComponent("second.zip").path

    let here = try CommandLineRunner.run(["bundle", "--output", first, "--quiet"])
    var environment = ProcessInfo.processInfo.environment
    environment["CONTROLGAP_HOME"] = SharedData.packageRoot.path
    environment["TZ"] = "Australia/Sydney"
    let there = try CommandLineRunner.run(
      ["bundle", "--output", second, "--quiet"], environment: environment)

    let bytes = try #require(FileManager.default.contents(atPath: first))
    let manifest = try ZipReader().entries(of: Array(bytes)).first { $0.path == "manifest.json" }
    let object = try JSONSerialization.jsonObject(with: Data(manifest?.contents ?? []))
    let listed = ((object as? [String: Any])?["entries"] as? [Any])?.count ?? 0
    #expect(listed == 38)
    #expect(here.status == 0)
    #expect(here.stdout == "wrote \(first) (38 files)\n")
    #expect(there.status == 0)
    #expect(there.stdout == "wrote \(second) (38 files)\n")
    #expect(FileManager.default.contents(atPath: second) == bytes)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "first.zip", "second.zip",
      ])
  }

  @Test("--catalog and --templates shape the bundle as they shape the reports")
  func catalogAndTemplates() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-bundle-\(UUID().uuidString)")
    let templates = folder.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("Custom report for {{organisation}}\n".utf8).write(
      to: templates.appendingPathComponent("gap-report.md.mustache"))
    let catalog = SharedData.packageRoot.appendingPathComponent(
      "Frameworks/catalogs/owasp-nhi-top10-2025.xml")
    let output = folder.appendingPathComponent("bundle.zip").path

    let result = try CommandLineRunner.run([
      "bundle", "--catalog", "nhi-copy=\(catalog.path)", "--templates", templates.path,
      "--output", output, "--quiet",
    ])

    #expect(result.status == 0)
    let bytes = try #require(FileManager.default.contents(atPath: output))
    let entries = try ZipReader().entries(of: Array(bytes))
    let report = entries.first { $0.path == "reports/gap-report.md" }?.contents ?? []
    #expect(String(decoding: report, as: UTF8.self) == "Custom report for Harbourline Logistics\n")
    let copy = entries.first { $0.path == "catalogs/nhi-copy.xml" }
    let digest = try #require(InputDigest.of(catalog, path: "owasp-nhi-top10-2025.xml"))
    #expect(copy?.sha256 == digest.sha256)
    let manifest = try #require(entries.first { $0.path == "manifest.json" }?.contents)
    let object = try JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any]
    let catalogs = (object?["catalogs"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
    #expect(catalogs == ["nhi-copy", "nist-ai-rmf-1.0", "nist-csf-2.0", "owasp-nhi-2025"])
  }

  @Test("raw events stay out; their aggregate goes in and re-assesses to the same statuses")
  func reassessable() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-bundle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("bundle.zip").path
    #expect(try CommandLineRunner.run(["bundle", "--output", output, "--quiet"]).status == 0)

    // Extracted by the test as an auditor would, with the evidence copied back beside the
    // workspace files that cite it.
    let bytes = try #require(FileManager.default.contents(atPath: output))
    let entries = try ZipReader().entries(of: Array(bytes))
    let extracted = folder.appendingPathComponent("extracted")
    for entry in entries {
      for prefix in ["workspace/", "evidence/"] where entry.path.hasPrefix(prefix) {
        let target = extracted.appendingPathComponent(String(entry.path.dropFirst(prefix.count)))
        try FileManager.default.createDirectory(
          at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(entry.contents ?? []).write(to: target)
      }
    }
    let identifiers = entries.filter {
      String(decoding: $0.contents ?? [], as: UTF8.self).contains("@harbourline.example")
    }
    #expect(identifiers.map(\.path) == [])
    #expect(entries.filter { $0.path.hasPrefix("workspace/events/") }.map(\.path) == [])
    let manifest = try #require(entries.first { $0.path == "manifest.json" }?.contents)
    let object = try JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any]
    let withheld = (object?["withheld"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
    #expect(
      withheld == [
        "workspace/events/idp-signin-2026-q4.csv", "workspace/events/siem-2026-q4.jsonl",
      ])

    let again = folder.appendingPathComponent("again")
    let rerun = try CommandLineRunner.run([
      "report", extracted.path, "--output", again.path, "--quiet",
    ])
    #expect(rerun.status == 0)
    func statuses(_ url: URL) throws -> [String] {
      let results = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
      return (results?["frameworks"] as? [[String: Any]] ?? []).flatMap { framework in
        (framework["requirements"] as? [[String: Any]] ?? []).map {
          "\($0["id"] as? String ?? "") \($0["status"] as? String ?? "")"
        }
      }
    }
    let original = try statuses(
      SharedData.packageRoot.appendingPathComponent("Reports/2026-Q4/results.json"))
    #expect(original.count == 188)
    #expect(try statuses(again.appendingPathComponent("2026-Q4/results.json")) == original)
    // An aggregate cannot show which bypass an exception covered; the report says so.
    let markdown = try String(
      contentsOf: again.appendingPathComponent("2026-Q4/gap-report.md"), encoding: .utf8)
    #expect(
      markdown.contains(
        "Exceptions: 1 expired (use after expiry not measured: that needs raw events)"))
  }

  /// A copy of the example workspace in a fresh folder, removed by the caller.
  static func exampleCopy() throws -> (folder: URL, workspace: URL) {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-bundle-\(UUID().uuidString)")
    let workspace = folder.appendingPathComponent("ws")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: SharedData.packageRoot.appendingPathComponent("Examples/harbourline"), to: workspace)
    return (folder, workspace)
  }

  @Test("raw events cited as evidence, even through a link, stop the bundle with one line")
  func eventsAsEvidence() throws {
    let (folder, workspace) = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createSymbolicLink(
      atPath: workspace.appendingPathComponent("evidence/siem-link.jsonl").path,
      withDestinationPath: "../events/siem-2026-q4.jsonl")
    let controls = workspace.appendingPathComponent("controls/identity.xml")
    let text = try String(contentsOf: controls, encoding: .utf8)
    let cited =
      "<evidence path=\"evidence/siem-link.jsonl\" effective=\"2026-11-01\">SIEM</evidence>"
    try Data(
      text.replacingOccurrences(
        of: "<evidence ", with: cited + "<evidence ", options: [],
        range: text.range(of: "<evidence ")
      ).utf8
    ).write(to: controls)

    let result = try CommandLineRunner.run(
      ["bundle", "ws", "--output", "out.zip", "--quiet"], in: folder)

    #expect(result.status == 65)
    #expect(
      result.stderrLines.last
        == "controlgap: error: evidence ws/evidence/siem-link.jsonl is a raw event file, whose "
        + "user identifiers no bundle holds; cite a summary instead")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.zip").path))
  }

  @Test("a workspace file where the events' aggregate goes stops the bundle with one line")
  func aggregateNameTaken() throws {
    let (folder, workspace) = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: folder) }
    let aggregates = workspace.appendingPathComponent("aggregates")
    try FileManager.default.createDirectory(at: aggregates, withIntermediateDirectories: true)
    try Data((AggregateFile.columns.joined(separator: ",") + "\n").utf8).write(
      to: aggregates.appendingPathComponent("controlgap-bundled-events.csv"))

    let result = try CommandLineRunner.run(
      ["bundle", "ws", "--output", "out.zip", "--quiet"], in: folder)

    #expect(result.status == 65)
    #expect(
      result.stderrLines.last
        == "controlgap: error: ws/aggregates/controlgap-bundled-events.csv is where the bundle "
        + "puts the aggregate of the events; rename that file")
  }

  @Test("cited names verify would refuse, or Unicode twins, stop the bundle with one line")
  func unbundlableNames() throws {
    var lines: [String] = []
    for names in [["evidence/a:b.txt"], ["evidence/caf\u{E9}.md", "evidence/cafe\u{301}.md"]] {
      let (folder, workspace) = try Self.exampleCopy()
      defer { try? FileManager.default.removeItem(at: folder) }
      var cited = ""
      for name in names {
        // Written through bytes, so that both Unicode forms reach the disk as given.
        let url = URL(fileURLWithPath: workspace.path + "/" + name)
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data("x\n".utf8)))
        cited += "<evidence path=\"\(name)\" effective=\"2026-11-01\">x</evidence>"
      }
      let controls = workspace.appendingPathComponent("controls/identity.xml")
      let text = try String(contentsOf: controls, encoding: .utf8)
      let first = try #require(text.range(of: "<evidence "))
      try Data(text.replacingCharacters(in: first, with: cited + "<evidence ").utf8).write(
        to: controls)

      let result = try CommandLineRunner.run(
        ["bundle", "ws", "--output", "out.zip", "--quiet"], in: folder)
      #expect(result.status == 65)
      lines.append(result.stderrLines.last ?? "")
      #expect(
        !FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.zip").path))
    }
    #expect(
      lines == [
        "controlgap: error: cannot bundle evidence/evidence/a:b.txt: unusual path",
        "controlgap: error: cannot bundle ws/evidence/cafe\u{301}.md: another cited file has "
          + "the same name in Unicode",
      ])
  }
}
