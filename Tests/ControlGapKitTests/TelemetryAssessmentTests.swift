import Foundation
import Testing

@testable import ControlGapKit

/// A small workspace with hand-counted events, assessed through the library: the findings,
/// causes, recommendations, exception flags and requirement statuses the events produce.
@Suite("Assessing access events")
struct TelemetryAssessmentTests {
  static let settings = TemporaryWorkspace.settings(
    frameworks: ["nist-csf-2.0", "owasp-nhi-2025"],
    extra: """
      <thresholds><minimum-bypasses>2</minimum-bypasses></thresholds>
      <telemetry>
        <pseudonym-secret path="secret.key"/>
        <unmanaged-devices><device>Unmanaged laptop</device></unmanaged-devices>
        <usual-locations><location>Office</location></usual-locations>
      </telemetry>
      """)

  static let controls = TemporaryWorkspace.controls(
    """
    <control id="C-1"><title>Step-up on the portal</title><owner>IAM</owner>\
    <status>implemented</status><satisfies><requirement framework="nist-csf-2.0" ref="PR.AA-03"/>\
    </satisfies><evidence path="evidence/e.txt" effective="2026-11-01">log</evidence>\
    <exception-path>Time-boxed exception</exception-path></control>
    <control id="C-2"><title>Service accounts kept to workloads</title><owner>IAM</owner>\
    <status>implemented</status><satisfies><requirement framework="owasp-nhi-2025" ref="NHI10"/>\
    </satisfies><evidence path="evidence/e.txt" effective="2026-11-01">log</evidence></control>
    <control id="C-3"><title>Sign-in MFA</title><owner>IAM</owner><status>implemented</status>\
    <satisfies><requirement framework="nist-csf-2.0" ref="PR.AA-01"/></satisfies>\
    <evidence path="evidence/e.txt" effective="2026-11-01">log</evidence></control>
    """)

  static var events: String {
    var lines = ["timestamp,user,control,app,role,location,device,action,risk,outcome,path"]
    let portal = "C-1,Portal,Analyst,Office,Laptop,view,low"
    for minute in 0..<6 {
      lines.append("2026-10-05T09:0\(minute):00Z,ana@example.test,\(portal),passed,")
    }
    for minute in 6..<10 {
      lines.append(
        "2026-10-05T09:0\(minute):00Z,ana@example.test,\(portal),bypassed,browser session")
    }
    lines.append("2026-12-20T10:00:00+01:00,ana@example.test,\(portal),exception,")
    lines += [
      "2026-11-02T08:00:00Z,bo@example.test,C-2,Warehouse,Analyst,Office,Laptop,export,high,passed,",
      "2026-11-02T09:00:00Z,bo@example.test,C-2,Warehouse,Analyst,Office,Unmanaged laptop,export,high,bypassed,service account svc-x",
      "2026-11-03T09:00:00Z,cy@example.test,C-2,Warehouse,Analyst,Office,Laptop,export,high,bypassed,service account svc-x",
      "2026-10-10T09:00:00Z,dee@example.test,C-3,Portal,Clerk,Office,Laptop,view,low,passed,",
      "2026-09-30T23:00:00Z,dee@example.test,C-3,Portal,Clerk,Office,Laptop,view,low,passed,",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  static let register = """
    id,control,app,role,location,device,action,approver,granted,expires,reason
    EX-1,C-1,Portal,,,,view,Lead,2026-10-01,2026-10-04,Reporting sprint
    EX-2,C-2,,Nobody,,,,Lead,2026-10-01,,Standing
    EX-3,C-1,Portal,,,,,Lead,2026-12-01,2027-01-10,Renewal

    """

  static func outcome() throws -> (AssessmentRun.Outcome, [String], TemporaryWorkspace) {
    let workspace = try TemporaryWorkspace([
      "workspace.xml": settings, "controls/controls.xml": controls,
      "secret.key": "0123456789abcdef0123456789abcdef\n", "events/idp.csv": events,
      "exceptions/register.csv": register,
    ])
    let run = AssessmentRun(
      installation: Installation(root: SharedData.packageRoot), workspace: workspace.root,
      workspaceDisplay: "WS")
    let collector = DiagnosticCollector()
    let outcome = try run.run(diagnostics: collector)
    return (outcome, collector.diagnostics.map(\.description), workspace)
  }

  @Test("events outside the period are counted and reported once")
  func outsideWindow() throws {
    let (outcome, diagnostics, _) = try Self.outcome()
    #expect(
      diagnostics == [
        "WS/events: warning: 1 event falls outside 2026-10-01 to 2026-12-31 and is not counted"
      ])
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(telemetry.outsideWindow == 1)
    #expect(
      telemetry.sources == [
        TelemetrySource(path: "events/idp.csv", kind: .events, events: 16, badRows: 0)
      ])
  }

  @Test("each app and action with enough bypasses becomes a finding with its numbers")
  func findings() throws {
    let (outcome, _, _) = try Self.outcome()
    let measured = outcome.assessment.findings.filter { $0.finding.origin == .telemetry }
    #expect(measured.map(\.finding.id) == ["TEL-C-1-1", "TEL-C-2-1"])
    let portal = measured[0].finding
    #expect(
      [portal.count, portal.challenges, portal.distinctUsers] as [Int] == [4, 11, 1])
    #expect(portal.driver == .convenience)
    #expect(portal.bypassPath == "browser session")
    #expect(portal.firstSeen.description == "2026-10-05")
    #expect(
      portal.summary
        == "Measured: 4 of 11 view challenges in Portal bypassed by 1 person; 0 risk-driven, 4 for convenience"
    )
    let warehouse = measured[1].finding
    #expect(
      [warehouse.count, warehouse.challenges, warehouse.distinctUsers] as [Int] == [2, 3, 2])
    #expect(warehouse.driver == .risk)
  }

  @Test("mapped requirements turn ineffective with the numbers in the reason")
  func statuses() throws {
    let (outcome, _, _) = try Self.outcome()
    let requirements = outcome.assessment.frameworks.flatMap(\.requirements)
    func assessed(_ id: String) throws -> RequirementAssessment {
      try #require(requirements.first { $0.requirement.id == id })
    }
    #expect(try assessed("PR.AA-03").status == .ineffective)
    #expect(
      try assessed("PR.AA-03").reasons == [
        "C-1 is bypassed above the 5.0% threshold: TEL-C-1-1 on view in Portal (4 of 11 challenges, 36.4%)."
      ])
    #expect(try assessed("NHI10").status == .ineffective)
    #expect(
      try assessed("NHI10").reasons == [
        "C-2 has a risk-driven bypass TEL-C-2-1 via service account svc-x on export in Warehouse (2 of 3 challenges, 66.7%)."
      ])
    #expect(try assessed("PR.AA-01").status == .covered)
  }

  @Test("causes are diagnosed against the thresholds")
  func causes() throws {
    let (outcome, _, _) = try Self.outcome()
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(telemetry.controls.map(\.controlID) == ["C-1", "C-2", "C-3"])
    #expect(
      telemetry.controls[0].causes == [
        .init(
          cause: .tooFrequent,
          explanation:
            "low-risk actions prompt 5.5 times per person per day (11 prompts over 2 person-days; threshold 3.0)"
        )
      ])
    #expect(
      telemetry.controls[1].causes == [
        .init(
          cause: .noExceptionPath,
          explanation: "2 bypasses, and the control offers no sanctioned way around it")
      ])
    #expect(telemetry.controls[2].causes.isEmpty)
    #expect(
      telemetry.split
        == BypassSplit(
          bypasses: 6, riskDriven: 2,
          reasons: [(.highRiskAction, 2), (.unmanagedDevice, 1), (.machineIdentity, 2)]))
  }

  @Test("recommendations follow from the diagnosis, highest priority first")
  func recommendations() throws {
    let (outcome, _, _) = try Self.outcome()
    let telemetry = try #require(outcome.assessment.telemetry)
    let lines = telemetry.recommendations.map {
      "\($0.priority.title) \($0.controlID) [\($0.reference)] \($0.action) | \($0.because)"
    }
    #expect(
      lines == [
        "High C-1 [] Renew EX-1 with a new expiry and approval, or end the use it allowed. | EX-1 expired on 2026-10-04 and was still used 4 times after.",
        "High C-2 [] Keep MFA, approval and logging on high-risk actions, and close the ways around the control where its bypasses carry risk (export in Warehouse). | 2 of 2 bypasses are risk-driven: high-risk action (2), unmanaged device (1), through a non-human identity (2).",
        "High C-2 [OWASP NHI10] Stop people signing in as non-human identities (service account svc-x): give each person a named account with MFA, restrict the identity to its workload and alert on interactive use. | 2 bypasses went through a non-human identity.",
        "High C-2 [OWASP NHI7] Rotate the credentials that people have used (service account svc-x) now, and replace long-lived secrets with short-lived credentials issued on demand. | Credentials shared with people outlive any one session and cannot be attributed.",
        "Medium C-1 [] Ask for step-up only when risk changes (a new device, an unusual location, a high-risk action) instead of on every routine access. | Too frequent: low-risk actions prompt 5.5 times per person per day (11 prompts over 2 person-days; threshold 3.0).",
        "Medium C-1 [] Move the prompt from routine actions (view in Portal) to high-risk actions. | 4 bypasses are for convenience on routine work.",
        "Medium C-2 [] Give every exception an expiry. | EX-2 has none.",
        "Low C-2 [] Offer just-in-time approval instead of a blanket block, so that a person who is stopped has a sanctioned way to go on. | No usable exception path: 2 bypasses, and the control offers no sanctioned way around it.",
      ])
  }

  @Test("the exceptions register is checked against the events")
  func exceptions() throws {
    let (outcome, _, _) = try Self.outcome()
    let lines = outcome.assessment.exceptions.map {
      "\($0.id) \($0.state.rawValue) \($0.daysToExpiry.map(String.init) ?? "-") uses \($0.uses ?? -1) after \($0.usesAfterExpiry ?? -1) last \($0.lastUse?.description ?? "-") \($0.usedAfterExpiry)"
    }
    #expect(
      lines == [
        "EX-1 expired -88 uses 0 after 4 last 2026-12-20 true",
        "EX-2 no-expiry - uses 0 after 0 last - false",
        "EX-3 expiring 10 uses 1 after 0 last 2026-12-20 false",
      ])
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(telemetry.controls.map(\.uncoveredBypasses) == [4, 2, 0])
    #expect(telemetry.controls.map(\.unregisteredExceptionUses) == [0, 0, 0])
  }

  @Test("hotspots rank where bypasses happen over every control")
  func hotspots() throws {
    let (outcome, _, _) = try Self.outcome()
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(
      telemetry.appActionHotspots.map {
        "\($0.value)/\($0.action) \($0.bypasses)/\($0.challenges) \($0.riskDriven) \($0.controls)"
      }
        == ["Portal/view 4/12 0 [\"C-1\"]", "Warehouse/export 2/3 2 [\"C-2\"]"])
    let devices = try #require(telemetry.hotspots.first { $0.dimension == .device })
    #expect(
      devices.entries.map { "\($0.value) \($0.bypasses)" } == ["Laptop 5", "Unmanaged laptop 1"])
  }
}

/// Exceptions that cover or no longer cover events, and column maps meeting exports of other
/// shapes.
@Suite("Access events against the register and the column map")
struct TelemetryRegisterTests {
  static let settings = TemporaryWorkspace.settings(
    extra: """
      <thresholds><minimum-bypasses>1</minimum-bypasses></thresholds>
      <telemetry>
        <pseudonym-secret path="secret.key"/>
        <columns><column field="timestamp" name="Event Time"/>
        <column field="location" name="Site"/></columns>
      </telemetry>
      """)

  static func run(_ files: [String: String]) throws -> (AssessmentRun.Outcome, [String]) {
    var all = [
      "workspace.xml": settings, "secret.key": "0123456789abcdef0123456789abcdef\n",
    ]
    all.merge(files) { _, new in new }
    let workspace = try TemporaryWorkspace(all)
    let run = AssessmentRun(
      installation: Installation(root: SharedData.packageRoot), workspace: workspace.root,
      workspaceDisplay: "WS")
    let collector = DiagnosticCollector()
    let outcome = try run.run(diagnostics: collector)
    return (outcome, collector.diagnostics.map(\.description))
  }

  @Test("an exception event after its exception expired is a use after expiry, not unregistered")
  func expiredNotUnregistered() throws {
    let (outcome, _) = try Self.run([
      "events/e.csv": """
      Event Time,user,control,app,Site,action,outcome,path
      2026-11-02T09:00:00Z,ana@example.test,C-1,Portal,Office,view,exception,
      2026-11-03T09:00:00Z,bo@example.test,C-1,Portal,Office,view,bypassed,tab left open

      """,
      "exceptions/r.csv": """
      id,control,app,approver,granted,expires,reason
      EX-1,C-1,Portal,Lead,2026-10-01,2026-10-31,Sprint

      """,
    ])
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(telemetry.controls.map(\.unregisteredExceptionUses) == [0])
    #expect(telemetry.controls.map(\.uncoveredBypasses) == [1])
    #expect(
      telemetry.exceptionUsage == [
        ExceptionUsage(
          id: "EX-1", uses: 0, usesAfterExpiry: 2,
          lastUse: CalendarDate(year: 2026, month: 11, day: 3))
      ])
    #expect(
      telemetry.recommendations.map(\.action).contains(
        "Renew EX-1 with a new expiry and approval, or end the use it allowed."))
    #expect(
      !telemetry.recommendations.map(\.action).contains(
        "Record every exception in the register with an approver and an expiry."))
  }

  @Test("bypasses under a valid exception are not a missing exception path")
  func coveredBypasses() throws {
    let (outcome, _) = try Self.run([
      "events/e.csv": """
      Event Time,user,control,app,Site,action,outcome,path
      2026-11-02T09:00:00Z,ana@example.test,C-1,Portal,Office,view,bypassed,tab left open

      """,
      "exceptions/r.csv": """
      id,control,app,approver,granted,expires,reason
      EX-1,C-1,Portal,Lead,2026-10-01,2026-12-31,Sprint

      """,
    ])
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(telemetry.controls.map(\.uncoveredBypasses) == [0])
    #expect(telemetry.controls[0].causes.map(\.cause) == [])
  }

  @Test("a CSV without the mapped column is read from the field's own, or said once")
  func columnMapFallback() throws {
    let (outcome, diagnostics) = try Self.run([
      "events/idp.csv": """
      timestamp,user,control,app,location,action,outcome
      2026-11-02T09:00:00Z,ana@example.test,C-1,Portal,Office,view,passed

      """,
      "events/siem.csv": """
      Event Time,user,control,app,action,outcome
      2026-11-02T10:00:00Z,bo@example.test,C-1,Portal,view,passed

      """,
    ])
    #expect(
      diagnostics == [
        "WS/events/siem.csv:1: warning: no column 'Site' for field 'location', which the column map names; every row is read without it"
      ])
    let telemetry = try #require(outcome.assessment.telemetry)
    #expect(
      telemetry.controls[0].telemetry.byLocation.map(\.value) == ["(none)", "Office"])
  }
}
