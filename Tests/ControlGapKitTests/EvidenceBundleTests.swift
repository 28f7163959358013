import Foundation
import Testing

@testable import ControlGapKit

/// The evidence bundle of a small workspace: its entries, its manifest and its secret.
@Suite("Evidence bundle")
struct EvidenceBundleTests {
  static let secretPath = "secrets/pseudonym.key"

  /// A workspace with a pseudonym secret that one control also cites as evidence, through a
  /// spelling of its path that differs from the settings'.
  static func workspace() throws -> TemporaryWorkspace {
    let telemetry = "<telemetry><pseudonym-secret path=\"\(secretPath)\"/></telemetry>"
    let cited = """
      <evidence path="evidence/e.txt" effective="2026-11-01">log</evidence>\
      <evidence path="./secrets/pseudonym.key" effective="2026-11-01">key</evidence>\
      <evidence path="evidence/absent.txt" effective="2026-11-01">gone</evidence>
      """
    return try TemporaryWorkspace([
      "workspace.xml": TemporaryWorkspace.settings(extra: telemetry),
      "controls/controls.xml": TemporaryWorkspace.controls(
        TemporaryWorkspace.control(evidence: cited)),
      secretPath: "0123456789abcdef0123456789abcdef\n",
    ])
  }

  static func bundle(of workspace: TemporaryWorkspace) throws -> EvidenceBundle {
    let installation = Installation(root: SharedData.packageRoot)
    let run = AssessmentRun(
      installation: installation, workspace: workspace.root, workspaceDisplay: "WS")
    let outcome = try run.run(diagnostics: DiagnosticCollector())
    let writer = ReportWriter(
      templatesFolder: installation.templatesFolder, templatesDisplay: "Templates",
      overridesFolder: nil, overridesDisplay: "", version: "9.9.9")
    let reports = try writer.render(outcome.assessment, diagnostics: DiagnosticCollector())
    return try EvidenceBundle(
      assessment: outcome.assessment, reports: reports, frameworks: outcome.frameworks,
      workspace: outcome.workspace, eventsAggregate: outcome.eventsAggregate,
      folder: workspace.root, version: "9.9.9")
  }

  /// Every file of the bundle's archive, read back.
  static func files(_ bundle: EvidenceBundle) throws -> [String: [UInt8]] {
    let entries = try ZipReader().entries(of: bundle.archive())
    return Dictionary(
      entries.map { ($0.path, $0.contents ?? []) }, uniquingKeysWith: { first, _ in first })
  }

  /// The manifest, decoded.
  static func manifest(_ bundle: EvidenceBundle) throws -> [String: Any] {
    let bytes = try #require(Self.files(bundle)[EvidenceBundle.manifestName])
    let object = try JSONSerialization.jsonObject(with: Data(bytes))
    return try #require(object as? [String: Any])
  }

  @Test("the manifest lists every other entry, sorted, and never the secret")
  func entries() throws {
    let workspace = try Self.workspace()
    let bundle = try Self.bundle(of: workspace)
    let manifest = try Self.manifest(bundle)
    let entries = try #require(manifest["entries"] as? [[String: Any]])
    #expect(
      entries.map { $0["path"] as? String } == [
        "catalogs/nist-csf-2.0.xml",
        "evidence/evidence/e.txt",
        "reports/assessment-results.xml",
        "reports/gap-report.html",
        "reports/gap-report.md",
        "reports/results.json",
        "reports/traceability.csv",
        "workspace/controls/controls.xml",
        "workspace/workspace.xml",
      ])
    #expect(
      try Self.files(bundle).keys.sorted()
        == (entries.compactMap { $0["path"] as? String } + ["manifest.json"]).sorted())
    #expect(manifest["period"] as? String == "2026-Q4")
    #expect(manifest["asOf"] as? String == "2026-12-31")
    #expect(manifest["version"] as? String == "9.9.9")
    #expect(manifest["telemetryWindow"] is NSNull)
    #expect(manifest["format"] as? Int == 1)
  }

  @Test("the manifest records each catalog's edition and digest, and the bundle its copy")
  func catalogs() throws {
    let workspace = try Self.workspace()
    let bundle = try Self.bundle(of: workspace)
    let catalogs = try #require(Self.manifest(bundle)["catalogs"] as? [[String: Any]])
    let shipped = SharedData.packageRoot.appendingPathComponent(
      "Frameworks/catalogs/nist-csf-2.0.xml")
    let digest = try #require(InputDigest.of(shipped, path: "nist-csf-2.0.xml"))

    #expect(catalogs.count == 1)
    #expect(catalogs.first?["key"] as? String == "nist-csf-2.0")
    #expect(catalogs.first?["version"] as? String == "2.0")
    #expect(catalogs.first?["oscalVersion"] as? String == "1.2.1")
    #expect(catalogs.first?["path"] as? String == "catalogs/nist-csf-2.0.xml")
    #expect(catalogs.first?["bytes"] as? Int == digest.bytes)
    #expect(catalogs.first?["sha256"] as? String == digest.sha256)
    #expect(try Self.files(bundle)["catalogs/nist-csf-2.0.xml"].map { $0.count } == digest.bytes)
  }

  @Test("each listed size and SHA-256 is that of the archived file and of the file on disk")
  func hashes() throws {
    let workspace = try Self.workspace()
    let bundle = try Self.bundle(of: workspace)
    let entries = try #require(Self.manifest(bundle)["entries"] as? [[String: Any]])
    let files = try Self.files(bundle)
    for entry in entries {
      let path = try #require(entry["path"] as? String)
      let contents = try #require(files[path])
      #expect(entry["bytes"] as? Int == contents.count, "\(path)")
      #expect(entry["sha256"] as? String == InputDigest.sha256(of: contents), "\(path)")
      let onDisk = path.split(separator: "/", maxSplits: 1).last.map(String.init)
      if path.hasPrefix("workspace/") || path.hasPrefix("evidence/"), let onDisk {
        let digest = InputDigest.of(workspace.root.appendingPathComponent(onDisk), path: onDisk)
        #expect(entry["sha256"] as? String == digest?.sha256, "\(path)")
      }
    }
    let evidence = entries.first { $0["path"] as? String == "evidence/evidence/e.txt" }
    #expect(
      evidence?["sha256"] as? String
        == "bdcf4c994585af6dd6cb1cfbff78bcc73ab27dc30a299db5bb83766ca05b5de4")
  }

  @Test("the secret is in no entry, under its own path or the one evidence cites")
  func secretAbsent() throws {
    let workspace = try Self.workspace()
    let bundle = try Self.bundle(of: workspace)
    let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    let holding = try Self.files(bundle).filter { path, contents in
      path.contains("pseudonym")
        || contents.indices.dropLast(secret.count - 1).contains {
          contents[$0..<($0 + secret.count)].elementsEqual(secret)
        }
    }
    #expect(holding.keys.sorted() == [])
  }

  @Test("bundling the same workspace twice gives byte-identical archives")
  func deterministic() throws {
    let workspace = try Self.workspace()
    let first = try Self.bundle(of: workspace).archive()
    let second = try Self.bundle(of: workspace).archive()
    #expect(first == second)
  }

  /// The status and reasons of PR.AA-03 when its one control cites `evidence`.
  static func assessed(citing evidence: String) throws -> (
    status: RequirementStatus?, reasons: [String], warnings: [String]
  ) {
    let workspace = try TemporaryWorkspace([
      "workspace.xml": TemporaryWorkspace.settings(),
      "controls/controls.xml": TemporaryWorkspace.controls(
        TemporaryWorkspace.control(evidence: evidence)),
      "evidence/e.txt": "evidence\n",
    ])
    let collector = DiagnosticCollector()
    let run = AssessmentRun(
      installation: Installation(root: SharedData.packageRoot), workspace: workspace.root,
      workspaceDisplay: "WS")
    let outcome = try run.run(diagnostics: collector)
    let requirement = outcome.assessment.frameworks.first?.requirements.first {
      $0.requirement.id == "PR.AA-03"
    }
    return (
      requirement?.status, requirement?.reasons ?? [],
      collector.diagnostics.filter { $0.severity == .warning }.map(\.description)
    )
  }

  @Test("a missing evidence file is reported with its position and does not make coverage")
  func missingEvidence() throws {
    let present = try Self.assessed(
      citing: "<evidence path=\"evidence/e.txt\" effective=\"2026-11-01\">log</evidence>")
    let missing = try Self.assessed(
      citing: "<evidence path=\"evidence/absent.txt\" effective=\"2026-11-01\">log</evidence>")

    #expect(present.status == .covered)
    #expect(present.warnings == [])
    #expect(missing.status == .partial)
    #expect(
      missing.warnings == [
        "WS/controls/controls.xml:3:168: warning: evidence file 'evidence/absent.txt' does not "
          + "exist; it does not count as evidence"
      ])
    #expect(missing.reasons == ["C-1: evidence/absent.txt is missing."])
  }

  @Test("evidence swapped after the check for a link outside or a FIFO is refused, not read")
  func swappedEvidence() throws {
    let outside = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-outside-\(UUID().uuidString).txt")
    try Data("outside the workspace\n".utf8).write(to: outside)
    defer { try? FileManager.default.removeItem(at: outside) }

    var messages: [String] = []
    for swap in ["link", "fifo"] {
      let workspace = try Self.workspace()
      let bundle = try Self.bundle(of: workspace)
      let evidence = workspace.root.appendingPathComponent("evidence/e.txt")
      try FileManager.default.removeItem(at: evidence)
      if swap == "link" {
        try FileManager.default.createSymbolicLink(at: evidence, withDestinationURL: outside)
      } else {
        #expect(mkfifo(evidence.path, 0o644) == 0)
      }
      do {
        _ = try bundle.archive()
        Issue.record("a swapped \(swap) was bundled")
      } catch let failure as ControlGapFailure {
        #expect(failure.kind == .badInput)
        messages.append(failure.message)
      }
    }
    #expect(
      messages == [
        "WS/evidence/e.txt now leads outside the workspace",
        "WS/evidence/e.txt is no longer a regular file",
      ])
  }
}
