import Foundation
import Testing

@testable import ControlGapKit

/// Checks the catalogs in `Frameworks/catalogs`, which FrameworkBuilder generates.
///
/// Tests that compare with NIST's sources or the OSCAL schema need `../shared/data` next to the
/// package and are skipped, with the reason, when it is absent.
@Suite("Shipped framework catalogs")
struct FrameworkCatalogTests {
  private typealias Link = CatalogIndex.Link
  private typealias Example = CatalogIndex.Example

  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let catalogsDirectory = packageRoot.appendingPathComponent("Frameworks/catalogs")
  static let sharedData = packageRoot.appendingPathComponent("../shared/data").standardized
  static let schemaPath = "oscal-schemas-v1.2.1/oscal_catalog_schema.xsd"
  static let nistCSFPath = "nist-oscal-content/catalogs/NIST_CSF_v2.0_catalog.xml"
  static let nistAIRMFPath = "nist-oscal-content/catalogs/NIST_AI-RMF_v1_catalog.xml"

  static let sharedDataAvailable = [schemaPath, nistCSFPath, nistAIRMFPath].allSatisfy {
    FileManager.default.fileExists(atPath: sharedData.appendingPathComponent($0).path)
  }
  static let needsSharedData = "needs ../shared/data next to the package (NIST sources, schema)"

  enum ShippedCatalog: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case csf = "nist-csf-2.0.xml"
    case aiRMF = "nist-ai-rmf-1.0.xml"
    case nhi = "owasp-nhi-top10-2025.xml"

    var testDescription: String { rawValue }
  }

  private static func read(_ url: URL, displayPath: String, schema: XMLSchema? = nil) throws
    -> (XMLElementNode?, [String])
  {
    let collector = DiagnosticCollector()
    let root = XMLReader(displayPath: displayPath).read(
      try Data(contentsOf: url), schema: schema, diagnostics: collector)
    return (root, collector.diagnostics.map(\.description))
  }

  private static func shipped(_ catalog: ShippedCatalog) throws -> CatalogIndex {
    let url = catalogsDirectory.appendingPathComponent(catalog.rawValue)
    let (root, problems) = try read(url, displayPath: catalog.rawValue)
    #expect(problems == [])
    return CatalogIndex(try #require(root))
  }

  private static func nist(_ path: String) throws -> CatalogIndex {
    let (root, problems) = try read(sharedData.appendingPathComponent(path), displayPath: path)
    #expect(problems == [])
    return CatalogIndex(try #require(root))
  }

  // MARK: - Schema

  @Test(
    "each catalog validates against the OSCAL 1.2.1 catalog schema",
    .enabled(if: sharedDataAvailable, Comment(rawValue: needsSharedData)),
    arguments: ShippedCatalog.allCases)
  func validates(_ catalog: ShippedCatalog) throws {
    let collector = DiagnosticCollector()
    let schema = try XMLSchema(
      contentsOf: Self.sharedData.appendingPathComponent(Self.schemaPath),
      displayPath: Self.schemaPath, diagnostics: collector)
    let (root, problems) = try Self.read(
      Self.catalogsDirectory.appendingPathComponent(catalog.rawValue),
      displayPath: catalog.rawValue, schema: schema)
    #expect(collector.diagnostics == [])
    #expect(problems == [])
    #expect(root?.name == "catalog")
  }

  // MARK: - Metadata

  struct MetadataCase: CustomTestStringConvertible, Sendable {
    var catalog: ShippedCatalog
    var key: String
    var name: String
    var version: String
    var testDescription: String { catalog.rawValue }
  }

  @Test(
    "metadata names the framework and is fixed",
    arguments: [
      MetadataCase(catalog: .csf, key: "nist-csf-2.0", name: "NIST CSF 2.0", version: "2.0"),
      MetadataCase(
        catalog: .aiRMF, key: "nist-ai-rmf-1.0", name: "NIST AI RMF 1.0", version: "1.0"),
      MetadataCase(
        catalog: .nhi, key: "owasp-nhi-2025", name: "OWASP NHI Top 10 2025", version: "2025"),
    ])
  func metadata(_ expected: MetadataCase) throws {
    let catalog = try Self.shipped(expected.catalog)
    let metadata = try #require(catalog.root.child(named: "metadata"))
    #expect(catalog.root.namespace == "http://csrc.nist.gov/ns/oscal/1.0")
    #expect(metadata.child(named: "oscal-version")?.text == "1.2.1")
    #expect(metadata.child(named: "last-modified")?.text == "2026-12-04T00:00:00Z")
    #expect(metadata.child(named: "version")?.text == expected.version)
    let ours = metadata.children(named: "prop").filter {
      $0[attribute: "ns"] == "urn:controlgap:oscal"
    }
    #expect(
      ours.first { $0[attribute: "name"] == "framework-key" }?[attribute: "value"] == expected.key)
    #expect(
      ours.first { $0[attribute: "name"] == "framework-name" }?[attribute: "value"] == expected.name
    )
  }

  @Test("the NIST catalogs name their source and NIST's public-domain text")
  func nistProvenance() throws {
    for file in [ShippedCatalog.csf, .aiRMF] {
      let catalog = try Self.shipped(file)
      let metadata = try #require(catalog.root.child(named: "metadata"))
      let source = try #require(
        metadata.children(named: "link").first { $0[attribute: "rel"] == "source" })
      let target = try #require(source[attribute: "href"]?.dropFirst())
      let resource = try #require(catalog.resources[String(target)])
      #expect(
        resource.child(named: "rlink")?[attribute: "href"]?.hasPrefix(
          "https://github.com/usnistgov/oscal-content/") == true)
      #expect(metadata.child(named: "remarks")?.normalizedText.contains("public domain") == true)
    }
  }

  @Test("the OWASP catalog carries attribution and CC BY-SA 4.0")
  func owaspLicence() throws {
    let metadata = try #require(try Self.shipped(.nhi).root.child(named: "metadata"))
    let license = metadata.children(named: "prop").first { $0[attribute: "name"] == "license" }
    #expect(license?[attribute: "value"] == "CC-BY-SA-4.0")
    let links = metadata.children(named: "link").map { $0[attribute: "rel"] ?? "" }
    #expect(links == ["source", "license"])
    #expect(
      metadata.children(named: "link").last?[attribute: "href"]
        == "https://creativecommons.org/licenses/by-sa/4.0/")
    #expect(
      metadata.child(named: "party")?.child(named: "name")?.text
        == "OWASP Non-Human Identities Top 10 project")
    let remarks = try #require(metadata.child(named: "remarks")?.normalizedText)
    #expect(remarks.contains("2025 edition"))
    #expect(remarks.contains("ControlGap's own adaptation"))
    #expect(remarks.contains("same licence, CC BY-SA 4.0"))
  }

  // MARK: - Counts

  @Test("CSF 2.0 has 6 functions, 22 + 12 withdrawn categories, 106 + 79 subcategories")
  func csfCounts() throws {
    let catalog = try Self.shipped(.csf)
    #expect(catalog.groups.map(\.id) == ["GV", "ID", "PR", "DE", "RS", "RC"])
    #expect(catalog.groups.allSatisfy { $0.class == "function" })
    let categories = catalog.controls.filter { $0.class == "category" }
    let subcategories = catalog.controls.filter { $0.class == "subcategory" }
    #expect(categories.filter { !$0.isWithdrawn }.count == 22)
    #expect(categories.filter(\.isWithdrawn).count == 12)
    #expect(subcategories.filter { !$0.isWithdrawn }.count == 106)
    #expect(subcategories.filter(\.isWithdrawn).count == 79)
    #expect(subcategories.map(\.examples.count).reduce(0, +) == 363)
    #expect(subcategories.allSatisfy { $0.parentClass == "category" })
  }

  @Test("AI RMF 1.0 has 4 functions in order, 19 categories and 72 subcategories")
  func aiRMFCounts() throws {
    let catalog = try Self.shipped(.aiRMF)
    #expect(catalog.groups.map(\.id) == ["GOVERN", "MAP", "MEASURE", "MANAGE"])
    #expect(catalog.controls.filter { $0.class == "category" }.count == 19)
    let subcategories = catalog.controls.filter { $0.class == "subcategory" }
    #expect(subcategories.count == 72)
    let perFunction = catalog.groups.map { group in
      subcategories.filter { $0.groupID == group.id }.count
    }
    #expect(perFunction == [19, 18, 22, 13])
    #expect(subcategories.allSatisfy { $0.parentClass == "category" && $0.statement != nil })
  }

  @Test("the OWASP catalog has the ten risks with their official titles")
  func nhiRisks() throws {
    let catalog = try Self.shipped(.nhi)
    #expect(catalog.groups.map(\.id) == ["nhi-top10-2025"])
    #expect(catalog.groups.first?.title == "OWASP Non-Human Identities Top 10 (2025)")
    let expected = [
      "Improper Offboarding", "Secret Leakage", "Vulnerable Third-Party NHI",
      "Insecure Authentication", "Overprivileged NHI", "Insecure Cloud Deployment Configurations",
      "Long-Lived Secrets", "Environment Isolation", "NHI Reuse", "Human Use of NHI",
    ]
    #expect(catalog.controls.map(\.id) == (1...10).map { "NHI\($0)" })
    #expect(catalog.controls.map(\.title) == expected)
    #expect(catalog.controls.map { $0.props["label"] } == (1...10).map { "NHI\($0):2025" })
    #expect(catalog.controls.allSatisfy { $0.class == "risk" })
    for risk in catalog.controls {
      let overview = try #require(risk.part(named: "overview"))
      let guidance = try #require(risk.part(named: "guidance"))
      let sentences = overview.split(separator: ".").count
      #expect((2...4).contains(sentences), "\(risk.id) overview has \(sentences) sentences")
      #expect(guidance.count > 100)
    }
    let humanUse = try #require(catalog.controls.last?.part(named: "overview"))
    #expect(humanUse.contains("multi-factor authentication"))
    #expect(humanUse.contains("service account"))
  }

  // MARK: - Samples

  @Test("sample values read as NIST wrote them")
  func samples() throws {
    let csf = try Self.shipped(.csf)
    #expect(
      csf.control("PR.AA-05")?.statement
        == "Access permissions, entitlements, and authorizations are defined in a policy,"
        + " managed, enforced, and reviewed, and incorporate the principles of least privilege"
        + " and separation of duties")
    #expect(csf.control("PR.AA-05")?.props["label"] == "PR.AA-05")
    #expect(csf.control("PR.AA-05")?.props["sort-id"] == "00003.00001.00005")
    #expect(csf.control("PR.AA-05")?.props["risk-party"] == "1st")
    #expect(
      csf.control("GV.OC-01")?.examples.first
        == Example(
          id: "GV.OC-01.001",
          text: "Share the organization's mission (e.g., through vision and mission statements,"
            + " marketing, and service strategies) to provide a basis for identifying risks that"
            + " may impede that mission"))
    #expect(csf.control("PR.AC-04")?.links == [Link(rel: "moved_to", href: "PR.AA-05")])
    #expect(csf.control("ID.GV")?.links == [Link(rel: "incorporated_into", href: "GV")])
    #expect(csf.control("ID.GV")?.groupID == "ID")

    let aiRMF = try Self.shipped(.aiRMF)
    let govern = try #require(aiRMF.control("GOVERN_1.1"))
    #expect(govern.title == "GOVERN 1.1")
    #expect(govern.props["label"] == "GOVERN 1.1")
    #expect(govern.props["sort-id"] == "00001.00001.00001")
    #expect(
      govern.statement
        == "Legal and regulatory requirements involving AI are understood, managed, and"
        + " documented.")
    #expect(govern.suggestedActions.count == 3)
    #expect(
      govern.suggestedActions.last
        == "Maintain policies for training (and re-training) organizational staff about"
        + " necessary legal or regulatory considerations that may impact AI-related design,"
        + " development and deployment activities.")
    #expect(aiRMF.control("MANAGE_4.2")?.props["sort-id"] == "00004.00004.00002")
  }

  // MARK: - Agreement with NIST's files

  @Test(
    "every active CSF item has NIST's title and text, every withdrawn one its links",
    .enabled(if: sharedDataAvailable, Comment(rawValue: needsSharedData)))
  func csfMatchesNIST() throws {
    let ours = try Self.shipped(.csf)
    let theirs = try Self.nist(Self.nistCSFPath)
    #expect(ours.groups.map(\.id) == theirs.groups.map(\.id))
    for group in theirs.groups {
      #expect(ours.group(group.id)?.title == group.title)
      #expect(ours.group(group.id)?.overview == group.overview)
    }
    #expect(ours.controls.map(\.id) == theirs.controls.map(\.id))
    for control in theirs.controls {
      let mine = try #require(ours.control(control.id), "\(control.id) is missing")
      #expect(mine.isWithdrawn == control.isWithdrawn, "\(control.id)")
      #expect(mine.groupID == control.groupID, "\(control.id)")
      #expect(mine.title == control.title, "\(control.id)")
      #expect(mine.statement == control.statement, "\(control.id)")
      #expect(mine.examples == control.examples, "\(control.id)")
      #expect(mine.links == control.links, "\(control.id)")
      #expect(mine.props["risk-party"] == control.props["risk-party"], "\(control.id)")
    }
  }

  @Test(
    "every AI RMF item has NIST's title, outcome and suggested actions",
    .enabled(if: sharedDataAvailable, Comment(rawValue: needsSharedData)))
  func aiRMFMatchesNIST() throws {
    let ours = try Self.shipped(.aiRMF)
    let theirs = try Self.nist(Self.nistAIRMFPath)
    #expect(Set(ours.controls.map(\.id)) == Set(theirs.controls.map(\.id)))
    for group in theirs.groups {
      #expect(ours.group(group.id)?.title == group.title)
      #expect(ours.group(group.id)?.overview == group.overview)
    }
    for control in theirs.controls {
      let mine = try #require(ours.control(control.id), "\(control.id) is missing")
      #expect(mine.title == control.title, "\(control.id)")
      #expect(mine.groupID == control.groupID, "\(control.id)")
      let outcome =
        control.class == "subcategory" ? control.part(named: "overview") : control.statement
      #expect(mine.statement == outcome, "\(control.id)")
      #expect(mine.suggestedActions == control.nistSuggestedActions, "\(control.id)")
      #expect(mine.links == control.links, "\(control.id)")
    }
  }

  @Test("every link in the AI RMF catalog resolves to a back-matter resource")
  func aiRMFLinksResolve() throws {
    let catalog = try Self.shipped(.aiRMF)
    let links = catalog.controls.flatMap(\.links)
    #expect(links.count == 826)
    let unresolved = links.filter {
      !$0.href.hasPrefix("#") || catalog.resources[String($0.href.dropFirst())] == nil
    }
    #expect(unresolved == [])
  }

  @Test("every CSF withdrawal link points to an active CSF 2.0 function, category or subcategory")
  func csfLinksResolve() throws {
    let catalog = try Self.shipped(.csf)
    let active = Set(
      catalog.groups.map(\.id) + catalog.controls.filter { !$0.isWithdrawn }.map(\.id))
    let links = catalog.controls.flatMap(\.links)
    #expect(links.count == 135)
    #expect(links.filter { !active.contains($0.href) } == [])
  }
}

/// The groups and controls of an OSCAL catalog, flattened in document order for lookups.
private struct CatalogIndex {
  struct Link: Equatable, CustomStringConvertible {
    var rel: String
    var href: String
    var description: String { "\(rel) -> \(href)" }
  }

  struct Example: Equatable {
    var id: String
    var text: String
  }

  struct Group {
    var id: String
    var `class`: String?
    var title: String?
    var overview: String?
  }

  struct Control {
    var node: XMLElementNode
    var groupID: String
    var parentClass: String?

    var id: String { node[attribute: "id"] ?? "" }
    var `class`: String? { node[attribute: "class"] }
    var title: String? { node.child(named: "title")?.normalizedText }

    /// The first value of each property, by name.
    var props: [String: String] {
      var values: [String: String] = [:]
      for prop in node.children(named: "prop") {
        if let name = prop[attribute: "name"], values[name] == nil {
          values[name] = prop[attribute: "value"]
        }
      }
      return values
    }

    var isWithdrawn: Bool { props["status"] == "withdrawn" }

    var links: [Link] {
      node.children(named: "link").map {
        Link(rel: $0[attribute: "rel"] ?? "", href: $0[attribute: "href"] ?? "")
      }
    }

    /// The text of the statement part; NIST's AI RMF also names its suggested actions
    /// `statement`, but with a class.
    var statement: String? {
      let part = parts.first {
        $0[attribute: "name"] == "statement" && $0[attribute: "class"] == nil
      }
      return part.map(\.normalizedText).flatMap { $0.isEmpty ? nil : $0 }
    }

    var examples: [Example] {
      parts.filter { $0[attribute: "name"] == "example" }.map {
        Example(id: $0[attribute: "id"] ?? "", text: $0.normalizedText)
      }
    }

    /// ControlGap's suggested actions: items of the `suggested-actions` guidance part.
    var suggestedActions: [String] {
      items(ofPartNamed: "guidance", class: "suggested-actions")
    }

    /// NIST's suggested actions: items of the `suggested_action` statement part.
    var nistSuggestedActions: [String] {
      items(ofPartNamed: "statement", class: "suggested_action")
    }

    func part(named name: String) -> String? {
      parts.first { $0[attribute: "name"] == name }?.normalizedText
    }

    private var parts: [XMLElementNode] { node.children(named: "part") }

    private func items(ofPartNamed name: String, class partClass: String) -> [String] {
      parts.filter { $0[attribute: "name"] == name && $0[attribute: "class"] == partClass }
        .flatMap { $0.children(named: "part") }.map(\.normalizedText)
    }
  }

  let root: XMLElementNode
  private(set) var groups: [Group] = []
  private(set) var controls: [Control] = []
  private(set) var resources: [String: XMLElementNode] = [:]

  init(_ root: XMLElementNode) {
    self.root = root
    for group in root.children(named: "group") {
      let id = group[attribute: "id"] ?? ""
      groups.append(
        Group(
          id: id, class: group[attribute: "class"],
          title: group.child(named: "title")?.normalizedText,
          overview: group.children(named: "part").first { $0[attribute: "name"] == "overview" }?
            .normalizedText))
      collect(group.children(named: "control"), groupID: id, parentClass: nil)
    }
    for resource in root.child(named: "back-matter")?.children(named: "resource") ?? [] {
      resources[resource[attribute: "uuid"] ?? ""] = resource
    }
  }

  private mutating func collect(_ nodes: [XMLElementNode], groupID: String, parentClass: String?) {
    for node in nodes {
      controls.append(Control(node: node, groupID: groupID, parentClass: parentClass))
      collect(
        node.children(named: "control"), groupID: groupID, parentClass: node[attribute: "class"])
    }
  }

  func group(_ id: String) -> Group? { groups.first { $0.id == id } }
  func control(_ id: String) -> Control? { controls.first { $0.id == id } }
}
