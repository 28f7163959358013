import Foundation
import Testing

@testable import ControlGapKit

/// The bundled example, assessed through the library: exact statuses and reasons.
@Suite("Assessing the bundled example")
struct ExampleAssessmentTests {
  static let legacyWarning =
    "Examples/harbourline/controls/identity.xml:35:7: warning: 'PR.AC-4' is withdrawn from NIST CSF 2.0; counted toward PR.AA-05"

  static func outcome(asOf: CalendarDate? = nil, diagnostics expected: [String] = [legacyWarning])
    throws -> AssessmentRun.Outcome
  {
    let installation = Installation(root: SharedData.packageRoot)
    let run = AssessmentRun(
      installation: installation, workspace: installation.exampleWorkspace,
      workspaceDisplay: "Examples/harbourline", asOf: asOf)
    let collector = DiagnosticCollector()
    let outcome = try run.run(diagnostics: collector)
    #expect(collector.diagnostics.map(\.description) == expected)
    return outcome
  }

  private func statuses(_ framework: FrameworkAssessment) -> [RequirementStatus: Int] {
    Dictionary(grouping: framework.requirements, by: \.status).mapValues(\.count)
  }

  private func requirement(_ id: String, in outcome: AssessmentRun.Outcome)
    -> RequirementAssessment?
  {
    outcome.assessment.frameworks.flatMap(\.requirements).first { $0.requirement.id == id }
  }

  @Test("every requirement of the three frameworks gets a status")
  func counts() throws {
    let outcome = try Self.outcome()
    let frameworks = outcome.assessment.frameworks
    #expect(frameworks.map(\.key) == ["nist-csf-2.0", "owasp-nhi-2025", "nist-ai-rmf-1.0"])
    #expect(frameworks.map(\.requirements.count) == [106, 10, 72])
    #expect(
      statuses(frameworks[0]) == [
        .ineffective: 3, .gap: 65, .partial: 8, .covered: 29, .notApplicable: 1,
      ])
    #expect(
      statuses(frameworks[1]) == [
        .ineffective: 2, .gap: 2, .partial: 1, .covered: 4, .notApplicable: 1,
      ])
    #expect(
      statuses(frameworks[2]) == [
        .ineffective: 2, .gap: 61, .partial: 4, .covered: 4, .notApplicable: 1,
      ])
    #expect(frameworks.flatMap(\.requirements).allSatisfy { !$0.reasons.isEmpty })
    #expect(outcome.assessment.asOf.description == "2026-12-31")
  }

  @Test("routine step-up bypass above the threshold makes PR.AA-03 ineffective")
  func stepUpBypass() throws {
    let assessed = try #require(requirement("PR.AA-03", in: try Self.outcome()))
    #expect(assessed.status == .ineffective)
    #expect(
      assessed.reasons == [
        "IAM-01 is bypassed above the 5.0% threshold: BYP-101 on view-report in Finance portal (1840 of 9620 challenges, 19.1%)."
      ])
    #expect(assessed.controls.map(\.control.id) == ["IAM-01", "IAM-02"])
  }

  @Test("staff using a service account to dodge MFA makes NHI10 ineffective")
  func humanUseOfServiceAccount() throws {
    let assessed = try #require(requirement("NHI10", in: try Self.outcome()))
    #expect(assessed.status == .ineffective)
    #expect(
      assessed.reasons == [
        "IAM-04 has a risk-driven bypass BYP-103 via service account of the AI reporting assistant on export-data in Reporting warehouse (96 of 1210 challenges, 7.9%)."
      ])
  }

  @Test("privileged admin actions keep MFA and approval: PR.AA-05 stays covered")
  func privilegedActionsHold() throws {
    let outcome = try Self.outcome()
    let assessed = try #require(requirement("PR.AA-05", in: outcome))
    #expect(assessed.status == .covered)
    #expect(
      assessed.reasons == [
        "IAM-02 is implemented, with current evidence: evidence/privileged-access-review-2026-11.csv, dated 2026-11-28 (33 days old).",
        "IAM-03: evidence/access-recertification-2026-q1.txt is 286 days old (limit 180).",
        "IAM-03 names it by the withdrawn id PR.AC-04.",
      ])
    // The legacy PR.AC-4 reference reaches PR.AA-05 through the catalog's withdrawal link.
    #expect(assessed.controls.map(\.viaWithdrawn) == [nil, "PR.AC-04"])
    let admin = try #require(outcome.assessment.findings.first { $0.finding.id == "BYP-105" })
    #expect(!admin.makesIneffective)
  }

  @Test("stale evidence, partial controls and planned controls")
  func partialAndGap() throws {
    let outcome = try Self.outcome()
    #expect(
      requirement("DE.CM-01", in: outcome)?.reasons == [
        "LOG-01: evidence/log-source-coverage.csv is 273 days old (limit 180)."
      ])
    #expect(requirement("DE.CM-01", in: outcome)?.status == .partial)
    #expect(
      requirement("PR.AA-02", in: outcome)?.reasons == ["IAM-05 is only partially implemented."])
    #expect(requirement("NHI1", in: outcome)?.status == .gap)
    #expect(requirement("NHI1", in: outcome)?.reasons == ["Only planned controls: SEC-02."])
    #expect(
      requirement("GV.OC-01", in: outcome)?.reasons == ["No control satisfies this requirement."])
    #expect(
      requirement("MEASURE_2.11", in: outcome)?.reasons == [
        "Excluded: The only AI system in use answers internal reporting questions and makes no decisions about people"
      ])
  }

  @Test("exceptions: expired and still used, expiring, without expiry")
  func exceptions() throws {
    let exceptions = try Self.outcome().assessment.exceptions
    #expect(exceptions.map(\.findingID) == ["BYP-101", "BYP-104", "BYP-102"])
    #expect(exceptions.map(\.state) == [.expired, .noExpiry, .expiring])
    #expect(exceptions.map(\.daysToExpiry) == [-61, nil, 15])
    #expect(exceptions.map(\.usedAfterExpiry) == [true, false, false])
  }

  @Test("bypass is broken down by app, with the busiest first")
  func breakdown() throws {
    let apps = try #require(Self.outcome().assessment.breakdowns.first { $0.dimension == .app })
    #expect(
      apps.rows.map(\.value) == [
        "Finance portal", "Depot scheduling", "Reporting warehouse", "Admin console",
      ])
    #expect(apps.rows.map(\.bypasses) == [2052, 640, 96, 4])
    #expect(apps.rows.map(\.riskDriven) == [0, 0, 1, 0])
  }

  @Test("--as-of moves the clock: evidence ages and exceptions follow it")
  func asOf() throws {
    let outcome = try Self.outcome(
      asOf: CalendarDate(year: 2026, month: 10, day: 15),
      diagnostics: [
        Self.legacyWarning,
        "Examples/harbourline/findings/bypass-2026-q4.xml:35:3: warning: finding 'BYP-103' was seen from 2026-10-20 to 2026-12-18, outside 2026-10-01 to 2026-10-15; it is not counted",
        "Examples/harbourline/findings/bypass-2026-q4.xml:66:3: warning: finding 'BYP-105' was seen from 2026-11-03 to 2026-12-15, outside 2026-10-01 to 2026-10-15; it is not counted",
      ])
    #expect(outcome.assessment.exceptions.map(\.state) == [.noExpiry, .expiring, .active])
    // Use after expiry counts only up to the assessment date.
    #expect(outcome.assessment.exceptions.map(\.usedAfterExpiry) == [false, false, false])
    #expect(requirement("NHI10", in: outcome)?.status == .covered)
    // Evidence dated after the assessment date does not count.
    #expect(requirement("GV.OV-01", in: outcome)?.status == .partial)
  }
}
