/// The data handed to report templates, built from an `Assessment`.
///
/// Every field is documented in `Templates/README.md`; templates see nothing else. Values are
/// plain text: each template format escapes them on output.
public struct ReportModel: Sendable {
  public let value: MustacheValue

  public init(_ assessment: Assessment, generator: String) {
    let flagged = assessment.exceptions.filter { $0.state != .active }
    value = .object([
      "generator": .string(generator),
      "organisation": .string(assessment.organisation),
      "period": .string(assessment.period.description),
      "asOf": .string(assessment.asOf.description),
      "timeZone": .string(assessment.timeZone),
      "thresholds": .object([
        "bypassRate": .string(Percent.text(assessment.thresholds.bypassRate)),
        "evidenceAgeDays": .int(assessment.thresholds.evidenceAgeDays),
        "exceptionWarningDays": .int(assessment.thresholds.exceptionWarningDays),
      ]),
      "statuses": .list(RequirementStatus.allCases.map { .string($0.title) }),
      "frameworks": .list(assessment.frameworks.map(Self.framework)),
      "controls": .list(assessment.controls.map(Self.control)),
      "findings": .list(assessment.findings.map(Self.finding)),
      "hasFindings": .bool(!assessment.findings.isEmpty),
      "breakdowns": .list(assessment.breakdowns.map(Self.breakdown)),
      "exceptions": .list(flagged.map(Self.exception)),
      "hasExceptions": .bool(!flagged.isEmpty),
      "activeExceptionCount": .int(assessment.exceptions.count - flagged.count),
      "inputFiles": .list(assessment.inputFiles.map { .string($0) }),
    ])
  }

  private static func framework(_ framework: FrameworkAssessment) -> MustacheValue {
    let total = framework.requirements.count
    // Percentages are of the applicable requirements; exclusions are counted, not weighed.
    let applicable = total - framework.count(.notApplicable)
    let counts = RequirementStatus.allCases.map { status -> MustacheValue in
      let count = framework.count(status)
      let share = applicable == 0 ? 0 : Double(count) / Double(applicable)
      return .object([
        "status": .string(status.rawValue),
        "title": .string(status.title),
        "count": .int(count),
        "percent": status == .notApplicable ? .null : .string(Percent.text(share)),
      ])
    }
    let attention = framework.requirements
      .filter { [.ineffective, .gap, .partial].contains($0.status) }
      .sorted { ($0.status, $0.requirement.order) < ($1.status, $1.requirement.order) }
    return .object([
      "key": .string(framework.key),
      "name": .string(framework.name),
      "title": .string(framework.title),
      "version": .string(framework.version),
      "total": .int(total),
      "applicable": .int(applicable),
      "counts": .list(counts),
      "attention": .list(attention.map(requirement)),
      "hasAttention": .bool(!attention.isEmpty),
      "requirements": .list(framework.requirements.map(requirement)),
    ])
  }

  private static func requirement(_ assessed: RequirementAssessment) -> MustacheValue {
    let requirement = assessed.requirement
    return .object([
      "id": .string(requirement.id),
      "displayID": .string(requirement.displayID),
      "title": .string(requirement.title),
      "statement": .string(requirement.statement),
      "headline": .string(
        RequirementKey(requirement.title) == RequirementKey(requirement.displayID)
          ? requirement.statement : requirement.title),
      "function": .string(requirement.function?.title ?? ""),
      "category": .string(requirement.category?.displayName ?? ""),
      "status": .string(assessed.status.rawValue),
      "statusTitle": .string(assessed.status.title),
      "reasons": .list(assessed.reasons.map { .string($0) }),
      "reasonText": .string(assessed.reasons.joined(separator: " ")),
      "controlIDs": .string(assessed.controls.map(\.control.id).joined(separator: ", ")),
      "controls": .list(assessed.controls.map(trace)),
    ])
  }

  private static func control(_ summary: ControlSummary) -> MustacheValue {
    let control = summary.control
    return .object([
      "id": .string(control.id),
      "title": .string(control.title),
      "owner": .string(control.owner),
      "status": .string(control.status.rawValue),
      "enforcementPoint": .string(control.enforcementPoint ?? ""),
      "exceptionPath": .string(control.exceptionPath ?? ""),
      "requirements": .string(summary.requirements.joined(separator: ", ")),
      "findingIDs": .string(summary.findingIDs.joined(separator: ", ")),
      "evidence": .list(summary.evidence.map(evidence)),
      "hasEvidence": .bool(!summary.evidence.isEmpty),
    ])
  }

  private static func evidence(_ evidence: EvidenceAssessment) -> MustacheValue {
    .object([
      "path": .string(evidence.item.path),
      "effective": .string(evidence.item.effective.description),
      "description": .string(evidence.item.description),
      "ageDays": .int(evidence.ageDays),
      "state": .string(evidence.state.rawValue),
    ])
  }

  private static func trace(_ trace: ControlTrace) -> MustacheValue {
    .object([
      "id": .string(trace.control.id),
      "title": .string(trace.control.title),
      "owner": .string(trace.control.owner),
      "status": .string(trace.control.status.rawValue),
      "viaWithdrawn": trace.viaWithdrawn.map { .string($0) } ?? .null,
      "evidence": .list(trace.evidence.map(evidence)),
      "findingIDs": .string(trace.findingIDs.joined(separator: ", ")),
    ])
  }

  private static func finding(_ assessed: FindingAssessment) -> MustacheValue {
    let finding = assessed.finding
    return .object([
      "id": .string(finding.id),
      "controlID": .string(finding.controlID),
      "controlTitle": .string(assessed.controlTitle),
      "summary": finding.summary.map { .string($0) } ?? .null,
      "firstSeen": .string(finding.firstSeen.description),
      "lastSeen": .string(finding.lastSeen.description),
      "app": .string(finding.app),
      "role": .string(finding.role),
      "location": .string(finding.location),
      "device": .string(finding.device),
      "actionType": .string(finding.actionType),
      "count": .int(finding.count),
      "challenges": .int(finding.challenges),
      "distinctUsers": .int(finding.distinctUsers),
      "rate": .string(Percent.text(finding.rate)),
      "driver": .string(finding.driver.rawValue),
      "bypassPath": .string(finding.bypassPath ?? ""),
      "exceedsThreshold": .bool(assessed.exceedsThreshold),
      "makesIneffective": .bool(assessed.makesIneffective),
      "requirements": .string(assessed.requirements.joined(separator: ", ")),
    ])
  }

  private static func breakdown(_ breakdown: BypassBreakdown) -> MustacheValue {
    .object([
      "dimension": .string(breakdown.dimension.rawValue),
      "title": .string(breakdown.dimension.title),
      "heading": .string("By \(breakdown.dimension.title.lowercased())"),
      "rows": .list(
        breakdown.rows.map { row in
          .object([
            "value": .string(row.value),
            "findings": .int(row.findings),
            "bypasses": .int(row.bypasses),
            "challenges": .int(row.challenges),
            "rate": .string(Percent.text(row.rate)),
            "riskDriven": .int(row.riskDriven),
          ])
        }),
    ])
  }

  private static func exception(_ assessed: ExceptionAssessment) -> MustacheValue {
    let stateText: String
    switch assessed.state {
    case .expired: stateText = "Expired \(-(assessed.daysToExpiry ?? 0)) days ago"
    case .noExpiry: stateText = "No expiry"
    case .expiring: stateText = "Expires in \(assessed.daysToExpiry ?? 0) days"
    case .active: stateText = "Active, \(assessed.daysToExpiry ?? 0) days left"
    }
    return .object([
      "findingID": .string(assessed.findingID),
      "controlID": .string(assessed.controlID),
      "approver": .string(assessed.exception.approver),
      "granted": .string(assessed.exception.granted?.description ?? ""),
      "expires": .string(assessed.exception.expires?.description ?? ""),
      "state": .string(assessed.state.rawValue),
      "stateText": .string(stateText),
      "usedAfterExpiry": .bool(assessed.usedAfterExpiry),
      "flagged": .bool(assessed.state != .active),
    ])
  }
}
