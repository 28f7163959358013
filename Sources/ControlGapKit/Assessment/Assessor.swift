/// Decides every in-scope requirement's status from the linked controls, their evidence and
/// their bypass findings.
///
/// The rules, in order:
/// - excluded in the settings: not applicable, with the stated reason;
/// - no linked control, or only planned ones: gap;
/// - a linked control has a risk-driven bypass, or is bypassed above the threshold rate:
///   ineffective;
/// - an implemented control with current evidence (present, dated on or before the assessment
///   date, no older than the evidence-age threshold): covered;
/// - anything else: partial.
///
/// The clock is the assessment date, never the wall clock, so a rerun gives the same result.
public struct Assessor: Sendable {
  public let frameworks: [Framework]
  public let asOf: CalendarDate

  public init(frameworks: [Framework], asOf: CalendarDate) {
    self.frameworks = frameworks
    self.asOf = asOf
  }

  /// Assesses the workspace.
  ///
  /// Findings that lie wholly outside the period up to the assessment date are left out, and
  /// each such finding is reported as a warning; so are exceptions granted after that date and
  /// exclusions of requirements that controls claim to satisfy.
  ///
  /// Findings raised from access events join the hand-written ones and are weighed alike.
  public func assess(
    _ workspace: Workspace, linkage: Linkage,
    telemetry: (assessment: TelemetryAssessment, findings: [BypassFinding])? = nil,
    diagnostics: DiagnosticSink
  ) -> Assessment {
    let thresholds = workspace.settings.thresholds
    let periodStart = workspace.settings.period.firstDay
    let controls = Dictionary(
      workspace.controls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    let allFindings = workspace.findings + (telemetry?.findings ?? [])
    let inWindow = allFindings.filter { finding in
      guard finding.firstSeen <= asOf, finding.lastSeen >= periodStart else {
        diagnostics.warning(
          "finding '\(finding.id)' was seen from \(finding.firstSeen) to \(finding.lastSeen), outside \(periodStart) to \(asOf); it is not counted",
          at: finding.sourceLocation)
        return false
      }
      if let granted = finding.exception?.granted, granted > asOf {
        diagnostics.warning(
          "exception of finding '\(finding.id)' is granted on \(granted), after the assessment date \(asOf)",
          at: finding.exception?.location)
      }
      return true
    }
    let findingsByControl = Dictionary(grouping: inWindow, by: \.controlID)
    let linkedNames = requirementNames(linkage: linkage)

    let findings = inWindow.map { finding in
      FindingAssessment(
        finding: finding, controlTitle: controls[finding.controlID]?.title ?? "",
        exceedsThreshold: finding.rate > thresholds.bypassRate,
        requirements: linkedNames[finding.controlID] ?? [])
    }
    let findingByID = Dictionary(
      findings.map { ($0.finding.id, $0) }, uniquingKeysWith: { first, _ in first })

    let assessed = frameworks.map { framework in
      FrameworkAssessment(
        key: framework.key, name: framework.name, title: framework.catalog.title,
        version: framework.catalog.version,
        requirements: framework.activeRequirements.map { requirement in
          let traces = linkage.links(framework: framework.key, requirement: requirement.id)
            .compactMap { link -> ControlTrace? in
              guard let control = controls[link.controlID] else { return nil }
              return ControlTrace(
                control: control, viaWithdrawn: link.viaWithdrawn,
                evidence: control.evidence.map { assess($0, thresholds: thresholds) },
                findingIDs: (findingsByControl[control.id] ?? []).map(\.id))
            }
          let exclusion = linkage.exclusion(framework: framework.key, requirement: requirement.id)
          if let exclusion, !traces.isEmpty {
            let claimed = traces.map(\.control.id).joined(separator: ", ")
            let verb = traces.count == 1 ? "claims" : "claim"
            diagnostics.warning(
              "\(requirement.displayID) is marked not applicable, but \(claimed) \(verb) to satisfy it",
              at: exclusion.location)
          }
          return assess(
            requirement, traces: traces, exclusion: exclusion, findings: findingByID,
            thresholds: thresholds)
        })
    }

    let summaries = workspace.controls.map { control in
      ControlSummary(
        control: control,
        evidence: control.evidence.map { assess($0, thresholds: thresholds) },
        findingIDs: (findingsByControl[control.id] ?? []).map(\.id),
        requirements: linkedNames[control.id] ?? [])
    }

    return Assessment(
      organisation: workspace.settings.organisation, period: workspace.settings.period,
      asOf: asOf, timeZone: workspace.settings.timeZone, thresholds: thresholds,
      frameworks: assessed, controls: summaries, findings: findings,
      exceptions: exceptions(
        inWindow, register: workspace.exceptions, usage: telemetry?.assessment,
        thresholds: thresholds),
      breakdowns: BypassBreakdown.Dimension.allCases.map {
        breakdown(inWindow.filter { $0.origin == .workspace }, by: $0)
      },
      telemetry: telemetry?.assessment, inputFiles: workspace.files)
  }

  private func assess(
    _ requirement: Requirement, traces: [ControlTrace], exclusion: Linkage.Exclusion?,
    findings: [String: FindingAssessment], thresholds: WorkspaceSettings.Thresholds
  ) -> RequirementAssessment {
    func result(_ status: RequirementStatus, _ reasons: [String]) -> RequirementAssessment {
      let renamed = traces.compactMap { trace in
        trace.viaWithdrawn.map { "\(trace.control.id) names it by the withdrawn id \($0)." }
      }
      return RequirementAssessment(
        requirement: requirement, status: status, reasons: reasons + renamed, controls: traces)
    }

    if let exclusion {
      var reasons = ["Excluded: \(exclusion.reason)"]
      if !traces.isEmpty {
        let claimed = traces.map(\.control.id).joined(separator: ", ")
        let verb = traces.count == 1 ? "claims it but is" : "claim it but are"
        reasons.append("\(claimed) \(verb) not assessed against it.")
      }
      var excluded = result(.notApplicable, reasons)
      excluded.exclusionReason = exclusion.reason
      return excluded
    }
    if traces.isEmpty {
      return result(.gap, ["No control satisfies this requirement."])
    }
    let working = traces.filter { $0.control.status != .planned }
    if working.isEmpty {
      let planned = traces.map(\.control.id).joined(separator: ", ")
      return result(.gap, ["Only planned controls: \(planned)."])
    }

    let bypassReasons = working.flatMap { trace in
      trace.findingIDs.compactMap { findings[$0] }.filter(\.makesIneffective).map {
        bypassReason($0, thresholds: thresholds)
      }
    }
    if !bypassReasons.isEmpty {
      return result(.ineffective, bypassReasons)
    }

    let proving = working.filter { trace in
      trace.control.status == .implemented && trace.evidence.contains { $0.state == .current }
    }
    // Covered needs one proving control; the others' shortcomings stay in the reasons so that
    // the status never hides them.
    if let trace = proving.first, let item = trace.evidence.first(where: { $0.state == .current }) {
      let proof =
        "\(trace.control.id) is implemented, with current evidence: \(item.item.path), dated \(item.item.effective) (\(item.ageDays) days old)."
      let others = working.filter { $0.control.id != trace.control.id }
      return result(
        .covered, [proof] + others.flatMap { partialReasons($0, thresholds: thresholds) })
    }
    return result(.partial, working.flatMap { partialReasons($0, thresholds: thresholds) })
  }

  private func bypassReason(_ assessed: FindingAssessment, thresholds: WorkspaceSettings.Thresholds)
    -> String
  {
    let finding = assessed.finding
    let place = "\(finding.actionType) in \(finding.app)"
    let numbers =
      "\(finding.count) of \(finding.challenges) challenges, \(Percent.text(finding.rate))"
    if finding.driver == .risk {
      let path = finding.bypassPath.map { " via \($0)" } ?? ""
      return
        "\(finding.controlID) has a risk-driven bypass \(finding.id)\(path) on \(place) (\(numbers))."
    }
    return
      "\(finding.controlID) is bypassed above the \(Percent.text(thresholds.bypassRate)) threshold: \(finding.id) on \(place) (\(numbers))."
  }

  private func partialReasons(_ trace: ControlTrace, thresholds: WorkspaceSettings.Thresholds)
    -> [String]
  {
    var reasons: [String] = []
    let id = trace.control.id
    if trace.control.status == .partial {
      reasons.append("\(id) is only partially implemented.")
    }
    if trace.evidence.isEmpty {
      reasons.append("\(id) cites no evidence.")
    }
    for evidence in trace.evidence {
      let path = evidence.item.path
      switch evidence.state {
      case .current:
        continue
      case .stale:
        reasons.append(
          "\(id): \(path) is \(evidence.ageDays) days old (limit \(thresholds.evidenceAgeDays))."
        )
      case .missing:
        reasons.append("\(id): \(path) is missing.")
      case .future:
        reasons.append("\(id): \(path) is dated \(evidence.item.effective), after \(asOf).")
      }
    }
    return reasons
  }

  private func assess(_ item: EvidenceItem, thresholds: WorkspaceSettings.Thresholds)
    -> EvidenceAssessment
  {
    let age = item.effective.days(until: asOf)
    let state: EvidenceAssessment.State
    if !item.isPresent {
      state = .missing
    } else if age < 0 {
      state = .future
    } else if age > thresholds.evidenceAgeDays {
      state = .stale
    } else {
      state = .current
    }
    return EvidenceAssessment(item: item, ageDays: age, state: state)
  }

  /// For every control, the requirements it is linked to as `framework display-id`, in
  /// framework and catalog order; built in one pass over the requirements.
  private func requirementNames(linkage: Linkage) -> [String: [String]] {
    var names: [String: [String]] = [:]
    for framework in frameworks {
      for requirement in framework.activeRequirements {
        for link in linkage.links(framework: framework.key, requirement: requirement.id) {
          names[link.controlID, default: []].append("\(framework.name) \(requirement.displayID)")
        }
      }
    }
    return names
  }

  private func exceptions(
    _ findings: [BypassFinding], register: [RegisteredException], usage: TelemetryAssessment?,
    thresholds: WorkspaceSettings.Thresholds
  ) -> [ExceptionAssessment] {
    func state(_ expires: CalendarDate?) -> (ExceptionAssessment.State, Int?) {
      let days = expires.map { asOf.days(until: $0) }
      switch days {
      case nil: return (.noExpiry, nil)
      case let days? where days < 0: return (.expired, days)
      case let days? where days <= thresholds.exceptionWarningDays: return (.expiring, days)
      default: return (.active, days)
      }
    }

    let fromFindings = findings.compactMap { finding -> ExceptionAssessment? in
      guard let exception = finding.exception else { return nil }
      let (state, days) = state(exception.expires)
      // Only what happened up to the assessment date counts as use.
      let usedAfter = exception.expires.map { min(finding.lastSeen, asOf) > $0 } ?? false
      return ExceptionAssessment(
        id: finding.id, source: .finding, controlID: finding.controlID,
        scope: "finding \(finding.id)", reason: "", exception: exception, state: state,
        daysToExpiry: days, usedAfterExpiry: usedAfter)
    }

    let measured = Dictionary(
      (usage?.exceptionUsage ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let fromRegister = register.map { entry -> ExceptionAssessment in
      let (state, days) = state(entry.expires)
      let used = measured[entry.id]
      return ExceptionAssessment(
        id: entry.id, source: .register, controlID: entry.controlID,
        scope: entry.scopeDescription, reason: entry.reason,
        exception: ControlException(
          approver: entry.approver, granted: entry.granted, expires: entry.expires,
          location: entry.sourceLocation),
        state: state, daysToExpiry: days, usedAfterExpiry: (used?.usesAfterExpiry ?? 0) > 0,
        uses: used?.uses, usesAfterExpiry: used?.usesAfterExpiry, lastUse: used?.lastUse)
    }

    return (fromRegister + fromFindings).sorted {
      ($0.state, $0.daysToExpiry ?? 0, $0.id) < ($1.state, $1.daysToExpiry ?? 0, $1.id)
    }
  }

  private func breakdown(_ findings: [BypassFinding], by dimension: BypassBreakdown.Dimension)
    -> BypassBreakdown
  {
    var rows: [String: BypassBreakdown.Row] = [:]
    for finding in findings {
      let value: String
      switch dimension {
      case .app: value = finding.app
      case .role: value = finding.role
      case .location: value = finding.location
      case .device: value = finding.device
      case .actionType: value = finding.actionType
      }
      var row =
        rows[value] ?? .init(value: value, findings: 0, bypasses: 0, challenges: 0, riskDriven: 0)
      row.findings += 1
      row.bypasses = row.bypasses.saturatingAdding(finding.count)
      row.challenges = row.challenges.saturatingAdding(finding.challenges)
      row.riskDriven += finding.driver == .risk ? 1 : 0
      rows[value] = row
    }
    let sorted = rows.values.sorted { ($1.bypasses, $0.value) < ($0.bypasses, $1.value) }
    return BypassBreakdown(dimension: dimension, rows: sorted)
  }
}

/// Percentages written the same way everywhere, independent of locale.
public enum Percent {
  /// `0.1823` → `18.2%`.
  public static func text(_ fraction: Double) -> String {
    guard fraction.isFinite else { return "0.0%" }
    let tenths = Int((fraction * 1000).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))%"
  }
}
