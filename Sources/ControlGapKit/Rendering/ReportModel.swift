/// The data handed to report templates, built from an `Assessment`.
///
/// Every field is documented in `Templates/README.md`; templates see nothing else. Values are
/// plain text: each template format escapes them on output.
public struct ReportModel: Sendable {
  public let value: MustacheValue

  public init(_ assessment: Assessment, generator: String) {
    let flagged = assessment.exceptions.filter { $0.state != .active || $0.usedAfterExpiry }
    let exceptionIDs = Dictionary(grouping: assessment.exceptions, by: \.controlID)
      .mapValues { $0.map(\.id).sorted() }
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
        "promptsPerUserDay": .string(OneDecimal.text(assessment.thresholds.promptsPerUserDay)),
        "brittleRate": .string(Percent.text(assessment.thresholds.brittleRate)),
        "exceptionRate": .string(Percent.text(assessment.thresholds.exceptionRate)),
        "riskDrivenShare": .string(Percent.text(assessment.thresholds.riskDrivenShare)),
        "minimumBypasses": .int(assessment.thresholds.minimumBypasses),
      ]),
      "statuses": .list(RequirementStatus.allCases.map { .string($0.title) }),
      "frameworks": .list(
        assessment.frameworks.map { Self.framework($0, exceptionIDs: exceptionIDs) }),
      "controls": .list(assessment.controls.map(Self.control)),
      "findings": .list(assessment.findings.map(Self.finding)),
      "hasFindings": .bool(!assessment.findings.isEmpty),
      "breakdowns": .list(assessment.breakdowns.map(Self.breakdown)),
      "exceptions": .list(flagged.map(Self.exception)),
      "hasExceptions": .bool(!flagged.isEmpty),
      "activeExceptionCount": .int(assessment.exceptions.count - flagged.count),
      "telemetry": assessment.telemetry.map(Self.telemetry) ?? .null,
      "glance": Self.glance(assessment),
      "inputFiles": .list(assessment.inputFiles.map { .string($0) }),
      "inputDigests": .list(
        assessment.inputDigests.map { digest in
          .object([
            "path": .string(digest.path), "bytes": .int(digest.bytes),
            "sha256": .string(digest.sha256),
          ])
        }),
      "charts": ReportCharts(assessment).value,
    ])
  }

  /// What the first screen says: the largest risks and the exceptions that need a decision.
  private static func glance(_ assessment: Assessment) -> MustacheValue {
    // How many requirements each finding makes ineffective.
    var ineffectiveBy: [String: Int] = [:]
    for framework in assessment.frameworks {
      for requirement in framework.requirements where requirement.status == .ineffective {
        for id in Set(requirement.controls.flatMap(\.findingIDs)) {
          ineffectiveBy[id, default: 0] += 1
        }
      }
    }
    // Risk-driven findings first, then the most bypasses: where a control's failure costs most.
    let risks = assessment.findings.filter(\.makesIneffective).sorted { left, right in
      let leftRisk = left.finding.driver == .risk
      let rightRisk = right.finding.driver == .risk
      if leftRisk != rightRisk { return leftRisk }
      if left.finding.count != right.finding.count {
        return left.finding.count > right.finding.count
      }
      return left.finding.id < right.finding.id
    }.prefix(5)
    let exceptions = assessment.exceptions
    let split = assessment.telemetry?.split
    // The trend as numbers, one per 7-day week from the window's first day, so that the first
    // screen shows it in words too; a shorter last week is marked.
    let trend = assessment.telemetry.map { telemetry in
      BypassTrendChart(telemetry).weeks.map { week in
        "\(week.bypasses)" + (week.days < 7 ? "*" : "")
      }.joined(separator: ", ")
    }
    return .object([
      "risks": .list(
        risks.map { assessed in
          let finding = assessed.finding
          let count = ineffectiveBy[finding.id] ?? 0
          return .object([
            "id": .string(finding.id),
            "controlID": .string(finding.controlID),
            "controlTitle": .string(assessed.controlTitle),
            "driver": .string(finding.driver.rawValue),
            "where": .string("\(finding.actionType) in \(finding.app)"),
            "bypassPath": finding.bypassPath.map { .string($0) } ?? .null,
            "count": .int(finding.count),
            "challenges": .int(finding.challenges),
            "rate": .string(Percent.text(finding.rate)),
            "requirements": .string(
              "\(count) \(count == 1 ? "requirement" : "requirements") ineffective"),
          ])
        }),
      "hasRisks": .bool(!risks.isEmpty),
      "expired": .int(exceptions.filter { $0.state == .expired }.count),
      "usedAfterExpiry": .int(exceptions.filter(\.usedAfterExpiry).count),
      // Only raw events show which bypass an exception covered; aggregates do not.
      "usesMeasured": .bool(assessment.telemetry?.measuresExceptionCoverage ?? false),
      "noExpiry": .int(exceptions.filter { $0.state == .noExpiry }.count),
      "expiring": .int(exceptions.filter { $0.state == .expiring }.count),
      "bypasses": split.map { .int($0.bypasses) } ?? .null,
      "riskDriven": split.map { .int($0.riskDriven) } ?? .null,
      "weeklyBypasses": trend.map { .string($0) } ?? .null,
    ])
  }

  private static func framework(
    _ framework: FrameworkAssessment, exceptionIDs: [String: [String]]
  ) -> MustacheValue {
    let requirement: (RequirementAssessment) -> MustacheValue = {
      Self.requirement($0, exceptionIDs: exceptionIDs)
    }
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
      "functions": .list(RequirementGroups(framework.requirements, render: requirement).functions),
      "coverageChart": functionChart(framework),
    ])
  }

  private static func requirement(
    _ assessed: RequirementAssessment, exceptionIDs: [String: [String]]
  ) -> MustacheValue {
    let chains = assessed.controls.map {
      chain($0, exceptionIDs: exceptionIDs[$0.control.id] ?? [])
    }
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
      "applicable": .bool(assessed.exclusionReason == nil),
      "justification": .string(justification(assessed)),
      "controls": .list(
        zip(assessed.controls, chains).map { trace($0, chain: $1) }),
      "chainText": .string(chains.isEmpty ? "none" : chains.joined(separator: "; ")),
    ])
  }

  /// Coverage per function as inline SVG, for frameworks with more than one function; its
  /// texts are escaped by the chart itself.
  private static func functionChart(_ framework: FrameworkAssessment) -> MustacheValue {
    let chart = CoverageChart(functionsOf: framework)
    guard chart.rows.count > 1 else { return .null }
    let id =
      "chart-coverage-"
      + String(
        framework.key.unicodeScalars.map {
          $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "-"
        })
    return chart.svg(id: id).map { .string($0) } ?? .null
  }

  /// The Statement of Applicability's reason for including or excluding a requirement.
  private static func justification(_ assessed: RequirementAssessment) -> String {
    if let reason = assessed.exclusionReason {
      return reason
    }
    let controls = assessed.controls.filter { $0.control.status != .planned }.map(\.control.id)
    let planned = assessed.controls.filter { $0.control.status == .planned }.map(\.control.id)
    if !controls.isEmpty {
      return "Applies; addressed by \(controls.joined(separator: ", "))."
    }
    if !planned.isEmpty {
      return "Applies; \(planned.joined(separator: ", ")) planned."
    }
    return "Applies; no control meets it yet."
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

  /// The reason chain through one control: its status, then its evidence with effective dates
  /// and states, its findings and its exceptions.
  private static func chain(_ trace: ControlTrace, exceptionIDs: [String]) -> String {
    var steps = ["\(trace.control.id) (\(trace.control.status.rawValue))"]
    let evidence = trace.evidence.map {
      "\($0.item.path), \($0.item.effective), \($0.state.rawValue)"
    }
    steps.append(evidence.isEmpty ? "no evidence" : "evidence " + evidence.joined(separator: "; "))
    if !trace.findingIDs.isEmpty {
      steps.append("findings " + trace.findingIDs.joined(separator: ", "))
    }
    if !exceptionIDs.isEmpty {
      steps.append("exceptions " + exceptionIDs.joined(separator: ", "))
    }
    return steps.joined(separator: " → ")
  }

  private static func trace(_ trace: ControlTrace, chain: String) -> MustacheValue {
    .object([
      "chain": .string(chain),
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
      "role": .string(finding.role.isEmpty ? "any" : finding.role),
      "location": .string(finding.location.isEmpty ? "any" : finding.location),
      "device": .string(finding.device.isEmpty ? "any" : finding.device),
      "origin": .string(finding.origin.rawValue),
      "measured": .bool(finding.origin == .telemetry),
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
    case .expired where assessed.daysToExpiry == -1: stateText = "Expired 1 day ago"
    case .expired: stateText = "Expired \(-(assessed.daysToExpiry ?? 0)) days ago"
    case .noExpiry: stateText = "No expiry"
    case .expiring where assessed.daysToExpiry == 0: stateText = "Expires today"
    case .expiring where assessed.daysToExpiry == 1: stateText = "Expires in 1 day"
    case .expiring: stateText = "Expires in \(assessed.daysToExpiry ?? 0) days"
    case .active: stateText = "Active, \(assessed.daysToExpiry ?? 0) days left"
    }
    return .object([
      "id": .string(assessed.id),
      "source": .string(assessed.source.rawValue),
      "controlID": .string(assessed.controlID),
      "scope": .string(assessed.scope),
      "reason": .string(assessed.reason),
      "approver": .string(assessed.exception.approver),
      "granted": .string(assessed.exception.granted?.description ?? ""),
      "expires": .string(assessed.exception.expires?.description ?? ""),
      "state": .string(assessed.state.rawValue),
      "stateText": .string(stateText),
      "usedAfterExpiry": .bool(assessed.usedAfterExpiry),
      "uses": assessed.uses.map { .int($0) } ?? .string("not measured"),
      "usesAfterExpiry": assessed.usesAfterExpiry.map { .int($0) } ?? .string("not measured"),
      "lastUse": .string(assessed.lastUse?.description ?? ""),
      "flagged": .bool(assessed.state != .active || assessed.usedAfterExpiry),
    ])
  }

  // MARK: Telemetry

  private static func telemetry(_ telemetry: TelemetryAssessment) -> MustacheValue {
    let split = telemetry.split
    func share(_ part: Int) -> String {
      Percent.text(split.bypasses == 0 ? 0 : Double(part) / Double(split.bypasses))
    }
    let uncovered = telemetry.controls.compactMap { diagnosis -> MustacheValue? in
      let bypasses = diagnosis.uncoveredBypasses ?? 0
      let unregistered = diagnosis.unregisteredExceptionUses ?? 0
      guard bypasses > 0 || unregistered > 0 else { return nil }
      return .object([
        "controlID": .string(diagnosis.controlID),
        "bypasses": .int(bypasses),
        "unregisteredExceptionUses": .int(unregistered),
      ])
    }
    return .object([
      "firstDay": .string(telemetry.firstDay.description),
      "lastDay": .string(telemetry.lastDay.description),
      "outsideWindow": .int(telemetry.outsideWindow),
      "events": .int(telemetry.events),
      "badRows": .int(telemetry.badRows),
      "sources": .list(
        telemetry.sources.map { source in
          .object([
            "path": .string(source.path),
            "kind": .string(source.kind.rawValue),
            "events": .int(source.events),
            "badRows": .int(source.badRows),
          ])
        }),
      "split": .object([
        "bypasses": .int(split.bypasses),
        "riskDriven": .int(split.riskDriven),
        "riskDrivenPercent": .string(share(split.riskDriven)),
        "convenience": .int(split.convenience),
        "conveniencePercent": .string(share(split.convenience)),
        "reasons": .list(
          split.reasons.map { reason, count in
            .object([
              "reason": .string(reason.rawValue), "title": .string(reason.title),
              "count": .int(count),
            ])
          }),
      ]),
      "controls": .list(telemetry.controls.map(diagnosis)),
      "hotspots": .list(
        telemetry.hotspots.filter { !$0.entries.isEmpty }.map { hotspots in
          .object([
            "dimension": .string(hotspots.dimension.rawValue),
            "title": .string(hotspots.dimension.title),
            "heading": .string(
              heading(
                "By \(hotspots.dimension.title.lowercased())", shown: hotspots.entries.count,
                of: hotspots.valuesWithBypasses, noun: "values")),
            "entries": .list(hotspots.entries.map(hotspot)),
          ])
        }),
      "appActionHotspots": .list(telemetry.appActionHotspots.map(hotspot)),
      "paths": .list(telemetry.paths.map(hotspot)),
      "pathsHeading": .string(
        heading(
          "By bypass path", shown: telemetry.paths.count, of: telemetry.pathsWithBypasses,
          noun: "paths")),
      "appActionHeading": .string(
        heading(
          "By app and action", shown: telemetry.appActionHotspots.count,
          of: telemetry.appActionsWithBypasses, noun: "pairs")),
      "unassessed": .list(
        telemetry.unknownControls.map { control, events in
          .object(["control": .string(control), "events": .int(events)])
        }),
      "hasUnassessed": .bool(!telemetry.unknownControls.isEmpty),
      "hasPaths": .bool(!telemetry.paths.isEmpty),
      "recommendations": .list(
        telemetry.recommendations.map { recommendation in
          .object([
            "controlID": .string(recommendation.controlID),
            "priority": .string(recommendation.priority.title),
            "action": .string(recommendation.action),
            "because": .string(recommendation.because),
            "reference": recommendation.reference.isEmpty
              ? .null : .string(recommendation.reference),
          ])
        }),
      "hasRecommendations": .bool(!telemetry.recommendations.isEmpty),
      "measuresExceptionCoverage": .bool(telemetry.measuresExceptionCoverage),
      "uncovered": .list(uncovered),
      "hasUncovered": .bool(!uncovered.isEmpty),
    ])
  }

  /// A hotspot table's heading, saying so when the table lists only the busiest entries.
  private static func heading(_ title: String, shown: Int, of total: Int, noun: String)
    -> String
  {
    shown < total ? "\(title): the \(shown) of \(total) \(noun) with the most bypasses" : title
  }

  private static func diagnosis(_ diagnosis: ControlDiagnosis) -> MustacheValue {
    let total = diagnosis.telemetry.total
    return .object([
      "id": .string(diagnosis.controlID),
      "title": .string(diagnosis.controlTitle),
      "challenges": .int(total.challenges),
      "passes": .int(total.passes),
      "failures": .int(total.failures),
      "abandons": .int(total.abandons),
      "bypasses": .int(total.bypasses),
      "exceptionUses": .int(total.exceptionUses),
      "distinctUsers": .int(total.distinctUsers),
      "bypassRate": .string(Percent.text(total.bypassRate)),
      "riskDriven": .int(total.riskDrivenBypasses),
      "convenience": .int(total.convenienceBypasses),
      "promptsPerUserDay": .string(
        diagnosis.lowRiskPromptsPerUserDay.map(OneDecimal.text) ?? "n/a"),
      "brittleRate": .string(Percent.text(diagnosis.brittleRate)),
      "exceptionRate": .string(Percent.text(diagnosis.exceptionRate)),
      "causes": .list(
        diagnosis.causes.map { found in
          .object([
            "controlID": .string(diagnosis.controlID),
            "controlTitle": .string(diagnosis.controlTitle),
            "cause": .string(found.cause.rawValue),
            "title": .string(found.cause.title),
            "explanation": .string(found.explanation),
          ])
        }),
      "hasCauses": .bool(!diagnosis.causes.isEmpty),
      "causeTitles": .string(
        diagnosis.causes.isEmpty
          ? "none" : diagnosis.causes.map(\.cause.title).joined(separator: ", ")),
      "findingIDs": .string(diagnosis.findingIDs.joined(separator: ", ")),
    ])
  }

  private static func hotspot(_ hotspot: Hotspot) -> MustacheValue {
    .object([
      "value": .string(hotspot.value),
      "action": .string(hotspot.action),
      "bypasses": .int(hotspot.bypasses),
      "challenges": .int(hotspot.challenges),
      "rate": .string(Percent.text(hotspot.rate)),
      "riskDriven": .int(hotspot.riskDriven),
      "controls": .string(hotspot.controls.joined(separator: ", ")),
    ])
  }
}
