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
        .ineffective: 4, .gap: 65, .partial: 8, .covered: 28, .notApplicable: 1,
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

  @Test("routine step-up bypass measured above the threshold makes PR.AA-03 ineffective")
  func stepUpBypass() throws {
    let outcome = try Self.outcome()
    let assessed = try #require(requirement("PR.AA-03", in: outcome))
    #expect(assessed.status == .ineffective)
    #expect(
      assessed.reasons == [
        "IAM-01 is bypassed above the 5.0% threshold: TEL-IAM-01-1 on view-report in Finance portal (220 of 1262 challenges, 17.4%)."
      ])
    #expect(assessed.controls.map(\.control.id) == ["IAM-01", "IAM-02"])
    // The same control carries the AI RMF requirement, which follows it.
    #expect(requirement("MEASURE_2.7", in: outcome)?.status == .ineffective)
  }

  @Test("staff using a service account to dodge MFA makes NHI10 and PR.AA-05 ineffective")
  func humanUseOfServiceAccount() throws {
    let outcome = try Self.outcome()
    let reason =
      "IAM-04 has a risk-driven bypass TEL-IAM-04-1 via service account svc-ai-reporting on export-data in Reporting warehouse (18 of 155 challenges, 11.6%)."
    for id in ["NHI10", "PR.AA-05", "MANAGE_4.1"] {
      let assessed = try #require(requirement(id, in: outcome))
      #expect(assessed.status == .ineffective, "\(id)")
      #expect(assessed.reasons.first == reason, "\(id)")
    }
    let finding = try #require(
      outcome.assessment.findings.first { $0.finding.id == "TEL-IAM-04-1" })
    #expect(finding.finding.driver == .risk)
    #expect(finding.finding.distinctUsers == 10)
  }

  @Test("each measured finding is seen from the first to the last day of its own bypasses")
  func measuredFindingDays() throws {
    let measured = try Self.outcome().assessment.findings.map(\.finding)
      .filter { $0.origin == .telemetry }
    // Worked out once from the raw files in Examples/harbourline/events with Python: the
    // events whose outcome, in any letter case, is bypassed, by control, app and action, with
    // the smallest and largest UTC date of their timestamps. IAM-01's whole control runs from
    // 2026-10-01 to 2026-12-31, which TEL-IAM-01-2 once showed.
    #expect(
      measured.map { "\($0.id) \($0.count) \($0.firstSeen) \($0.lastSeen)" } == [
        "TEL-IAM-01-1 220 2026-10-01 2026-12-31",
        "TEL-IAM-01-2 11 2026-10-07 2026-12-23",
        "TEL-IAM-04-1 18 2026-10-01 2026-12-30",
        "TEL-IAM-06-1 84 2026-10-01 2026-12-30",
      ])
  }

  @Test("each measured finding names the path its own bypasses took")
  func measuredFindingPaths() throws {
    let measured = try Self.outcome().assessment.findings.map(\.finding)
      .filter { $0.origin == .telemetry }
    // Worked out once from the raw files in Examples/harbourline/events with Python: the
    // events whose outcome, in any letter case, is bypassed, counted by control, app, action
    // and path (an empty or null path as "(none)"). Each app and action below has one path;
    // IAM-01 as a whole has three, so TEL-IAM-01-1 and TEL-IAM-01-2 once named none.
    #expect(
      measured.map { "\($0.id) \($0.count) \($0.bypassPath ?? "nil")" } == [
        "TEL-IAM-01-1 220 long-lived browser session",
        "TEL-IAM-01-2 11 mobile app session",
        "TEL-IAM-04-1 18 service account svc-ai-reporting",
        "TEL-IAM-06-1 84 shared kiosk session",
      ])
  }

  @Test("privileged admin actions keep MFA and approval: IAM-02 raises no measured finding")
  func privilegedActionsHold() throws {
    let outcome = try Self.outcome()
    let telemetry = try #require(outcome.assessment.telemetry)
    let admin = try #require(telemetry.controls.first { $0.controlID == "IAM-02" })
    #expect(admin.telemetry.total.bypasses == 1)
    #expect(admin.findingIDs.isEmpty)
    #expect(admin.causes.isEmpty)
    let interview = try #require(outcome.assessment.findings.first { $0.finding.id == "BYP-105" })
    #expect(!interview.makesIneffective)
    #expect(requirement("PR.PS-04", in: outcome)?.status == .covered)
  }

  @Test("the telemetry diagnosis names each control's causes")
  func causes() throws {
    let telemetry = try #require(try Self.outcome().assessment.telemetry)
    let causes = telemetry.controls.map { diagnosis in
      "\(diagnosis.controlID): " + diagnosis.causes.map(\.cause.rawValue).joined(separator: ", ")
    }
    #expect(
      causes == [
        "CFG-01: ", "IAM-01: too-frequent", "IAM-02: ", "IAM-04: no-exception-path",
        "IAM-06: brittle, exceptions-as-default", "SEC-01: ",
      ])
    #expect(telemetry.split.bypasses == 336)
    #expect(telemetry.split.riskDriven == 23)
    #expect(telemetry.sources.map(\.events) == [3000, 1000])
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
    #expect(exceptions.map(\.id) == ["EX-202", "EX-203", "EX-210", "EX-201"])
    #expect(exceptions.map(\.state) == [.expired, .noExpiry, .expiring, .expiring])
    #expect(exceptions.map(\.daysToExpiry) == [-61, nil, 0, 15])
    #expect(exceptions.map(\.usedAfterExpiry) == [true, false, false, false])
    #expect(
      exceptions.map(\.scope)[0] == "app Finance portal, role Finance analyst, action view-report")
  }

  @Test("--as-of moves the clock: evidence ages and exceptions follow it")
  func asOf() throws {
    let outcome = try Self.outcome(
      asOf: CalendarDate(year: 2026, month: 10, day: 15),
      diagnostics: [
        Self.legacyWarning,
        "Examples/harbourline/events: warning: 3373 events fall outside 2026-10-01 to 2026-10-15 and are not counted",
        "Examples/harbourline/findings/bypass-2026-q4.xml:5:3: warning: finding 'BYP-105' was seen from 2026-11-03 to 2026-12-15, outside 2026-10-01 to 2026-10-15; it is not counted",
      ])
    #expect(outcome.assessment.exceptions.map(\.id) == ["EX-203", "EX-202", "EX-210", "EX-201"])
    #expect(
      outcome.assessment.exceptions.map(\.state) == [.noExpiry, .expiring, .active, .active])
    // Use after expiry counts only up to the assessment date.
    #expect(outcome.assessment.exceptions.map(\.usedAfterExpiry) == [false, false, false, false])
    #expect(outcome.assessment.telemetry?.lastDay.description == "2026-10-15")
    // Evidence dated after the assessment date does not count.
    #expect(requirement("GV.OV-01", in: outcome)?.status == .partial)
  }
}
