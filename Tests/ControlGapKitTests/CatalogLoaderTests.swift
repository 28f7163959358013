import Foundation
import Testing

@testable import ControlGapKit

@Suite("Loading NIST's OSCAL catalogs")
struct CatalogLoaderTests {
  private func load(_ relativePath: String) throws -> (Framework, DiagnosticCollector) {
    let collector = DiagnosticCollector()
    let catalog = try CatalogLoader().load(
      contentsOf: SharedData.url(relativePath), displayPath: relativePath,
      diagnostics: collector)
    return (Framework(catalog: catalog), collector)
  }

  @Test(
    "CSF 2.0: 6 functions, 22 categories, 106 active subcategories",
    .enabled(if: SharedData.isAvailable, SharedData.absence))
  func csf() throws {
    let (framework, diagnostics) = try load("\(SharedData.catalogs)/NIST_CSF_v2.0_catalog.xml")
    #expect(diagnostics.diagnostics == [])
    #expect(framework.catalog.groups.count == 6)
    #expect(framework.catalog.oscalVersion == "1.2.2")
    #expect(framework.categories.filter { !$0.isWithdrawn }.count == 22)
    #expect(framework.categories.filter(\.isWithdrawn).count == 12)
    #expect(framework.activeRequirements.count == 106)
    #expect(framework.requirements.filter(\.isWithdrawn).count == 79)

    guard case .active(let pr) = framework.resolve("pr.aa-5") else {
      Issue.record("pr.aa-5 did not resolve")
      return
    }
    #expect(pr.id == "PR.AA-05")
    #expect(pr.function?.id == "PR")
    #expect(pr.category?.id == "PR.AA")
    #expect(
      pr.statement
        == "Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, and reviewed, and incorporate the principles of least privilege and separation of duties"
    )

    guard case .withdrawn(let legacy, let targets) = framework.resolve("PR.AC-4") else {
      Issue.record("PR.AC-4 did not resolve as withdrawn")
      return
    }
    #expect(legacy.id == "PR.AC-04")
    #expect(targets.map(\.id) == ["PR.AA-05"])
  }

  @Test(
    "AI RMF 1.0: 4 functions, 19 categories, 72 subcategories",
    .enabled(if: SharedData.isAvailable, SharedData.absence)
  )
  func aiRMF() throws {
    let (framework, diagnostics) = try load("\(SharedData.catalogs)/NIST_AI-RMF_v1_catalog.xml")
    #expect(diagnostics.diagnostics == [])
    #expect(framework.catalog.groups.map { $0.id ?? "" } == ["GOVERN", "MANAGE", "MAP", "MEASURE"])
    #expect(framework.categories.count == 19)
    #expect(framework.activeRequirements.count == 72)
    let govern = framework.requirement(id: "GOVERN_1.1")
    #expect(govern?.displayID == "GOVERN 1.1")
    #expect(
      govern?.statement
        == "Legal and regulatory requirements involving AI are understood, managed, and documented."
    )
    guard case .active(let byTitle) = framework.resolve("GOVERN 1.1") else {
      Issue.record("GOVERN 1.1 did not resolve")
      return
    }
    #expect(byTitle.id == "GOVERN_1.1")
  }

  @Test(
    "SP 800-53 Rev 5: 20 families, 1189 controls, 182 withdrawn",
    .enabled(if: SharedData.isAvailable, SharedData.absence))
  func sp80053() throws {
    let (framework, diagnostics) = try load(
      "\(SharedData.catalogs)/NIST_SP-800-53_rev5_catalog.xml")
    #expect(diagnostics.diagnostics == [])
    #expect(framework.catalog.groups.count == 20)
    #expect(framework.catalog.oscalVersion == "1.0.0")
    #expect(framework.requirements.count == 1189)
    #expect(framework.requirements.filter(\.isWithdrawn).count == 182)
    #expect(framework.activeRequirements.count == 1007)

    let enhancement = framework.requirement(id: "ac-2.1")
    #expect(enhancement?.displayID == "AC-2(1)")
    #expect(enhancement?.title == "Automated System Account Management")
    #expect(enhancement?.category?.id == "ac-2")
    #expect(
      framework.requirement(id: "ac-1")?.statement.hasPrefix(
        "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:\n\n1. [Selection (one or more): Organization-level; Mission/business process-level; System-level] access control policy that:"
      )
        == true)

    guard case .withdrawn(let withdrawn, let targets) = framework.resolve("AC-2(10)") else {
      Issue.record("AC-2(10) did not resolve as withdrawn")
      return
    }
    #expect(withdrawn.id == "ac-2.10")
    #expect(targets.map(\.id) == ["ac-2"])
  }

  @Test(
    "the resolved HIGH baseline loads", .enabled(if: SharedData.isAvailable, SharedData.absence))
  func highBaseline() throws {
    let (framework, diagnostics) = try load(
      "\(SharedData.catalogs)/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog.xml")
    #expect(diagnostics.errors == [])
    #expect(framework.catalog.groups.count == 18)
    #expect(framework.requirements.count == 370)
    #expect(framework.catalog.oscalVersion == "1.1.2")
  }

  @Test(
    "NIST's basic example catalog with nested groups loads",
    .enabled(if: SharedData.isAvailable, SharedData.absence))
  func basicCatalog() throws {
    let (framework, diagnostics) = try load("nist-oscal-content/examples/basic-catalog.xml")
    #expect(diagnostics.errors == [])
    #expect(framework.catalog.groups.map { $0.groups.count } == [1, 1])
    #expect(framework.requirements.map(\.id) == ["s1.1.1", "s1.1.2", "s2.1.1", "s2.1.2"])
    #expect(framework.requirements.first?.function?.id == "s1")
  }
}
