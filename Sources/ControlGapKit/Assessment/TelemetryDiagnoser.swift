/// Turns the aggregated events into diagnoses, findings and recommendations.
///
/// Per control it measures four causes against the workspace thresholds: prompts per person
/// per day on low-risk actions (too frequent), failures and abandons per challenge (brittle),
/// bypasses of a control that offers no exception path, and exception uses per challenge
/// (exceptions as the default). Every app and action of a control with at least the minimum
/// number of bypasses becomes a finding in the same model as the hand-written ones, so that the
/// assessment treats both alike; the finding is risk-driven when at least the risk-driven share
/// of its bypasses is.
public struct TelemetryDiagnoser: Sendable {
  /// The most values listed per hotspot dimension.
  public static let hotspotLimit = 5
  /// The most app × action hotspots listed.
  public static let appActionHotspotLimit = 10

  public let thresholds: WorkspaceSettings.Thresholds
  public let controls: [ObservedControl]
  public let exceptions: [RegisteredException]

  public init(
    thresholds: WorkspaceSettings.Thresholds, controls: [ObservedControl],
    exceptions: [RegisteredException]
  ) {
    self.thresholds = thresholds
    self.controls = controls
    self.exceptions = exceptions
  }

  /// The diagnosis of `aggregate`, and the findings it raises.
  ///
  /// Events of controls that the workspace does not define are reported as one warning per
  /// control, at the file or folder `origins` names for it, and left out.
  public func diagnose(
    _ aggregate: TelemetryAggregate, sources: [TelemetrySource],
    origins: [String: SourceLocation] = [:], diagnostics: DiagnosticSink
  ) -> (assessment: TelemetryAssessment, findings: [BypassFinding]) {
    let known = Dictionary(controls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var diagnoses: [ControlDiagnosis] = []
    var findings: [BypassFinding] = []
    var recommendations: [Recommendation] = []
    var unknown: [(control: String, events: Int)] = []
    for telemetry in aggregate.controls {
      guard let control = known[telemetry.control] else {
        unknown.append((telemetry.control, telemetry.total.challenges))
        diagnostics.warning(
          "events name control '\(telemetry.control)', which no controls file defines; its "
            + "\(telemetry.total.challenges) \(telemetry.total.challenges == 1 ? "event is" : "events are") not assessed",
          at: origins[telemetry.control])
        continue
      }
      let raised = self.findings(telemetry, window: aggregate)
      let diagnosis = diagnose(telemetry, control: control, findings: raised)
      diagnoses.append(diagnosis)
      findings += raised
      recommendations += recommend(
        diagnosis, control: control, findings: raised, usage: aggregate.exceptionUsage ?? [])
    }
    let assessed = diagnoses.map(\.telemetry)
    // Stable: within a priority and a control, recommendations keep the order they were made.
    recommendations = recommendations.enumerated().sorted { left, right in
      (left.element.priority, left.element.controlID, left.offset)
        < (right.element.priority, right.element.controlID, right.offset)
    }.map(\.element)
    let paths = paths(assessed)
    let appActions = appActionHotspots(assessed)
    let assessment = TelemetryAssessment(
      sources: sources, firstDay: aggregate.firstDay, lastDay: aggregate.lastDay,
      outsideWindow: aggregate.outsideWindow, unknownControls: unknown, controls: diagnoses,
      hotspots: Hotspots.Dimension.allCases.map { hotspots(assessed, $0) },
      paths: Array(paths.prefix(Self.hotspotLimit)), pathsWithBypasses: paths.count,
      appActionHotspots: Array(appActions.prefix(Self.appActionHotspotLimit)),
      appActionsWithBypasses: appActions.count, split: split(assessed),
      recommendations: recommendations,
      measuresExceptionCoverage: aggregate.exceptionUsage != nil,
      exceptionUsage: aggregate.exceptionUsage)
    return (assessment, findings)
  }

  // MARK: Findings

  /// A finding per app and action with enough bypasses, seen from the first to the last day
  /// of its own bypasses.
  private func findings(_ telemetry: ControlTelemetry, window: TelemetryAggregate)
    -> [BypassFinding]
  {
    // An aggregate file without bypass-day columns dates no slice; the control's bypass days
    // are then the closest bounds known.
    let bypassDays = telemetry.daily.filter { $0.counts.bypasses > 0 }.map(\.date)
    let controlPath = dominantPath(telemetry)
    var number = 0
    return telemetry.byAppAndAction.compactMap { entry -> BypassFinding? in
      let counts = entry.counts
      guard counts.bypasses > 0, counts.bypasses >= thresholds.minimumBypasses else {
        return nil
      }
      number += 1
      let riskDriven =
        counts.riskDrivenBypasses > 0
        && Double(counts.riskDrivenBypasses) >= thresholds.riskDrivenShare
          * Double(counts.bypasses)
      let people = counts.distinctBypassers == 1 ? "person" : "people"
      let summary =
        "Measured: \(counts.bypasses) of \(counts.challenges) \(entry.action) challenges in "
        + "\(entry.app) bypassed by \(counts.distinctBypassers) \(people); "
        + "\(counts.riskDrivenBypasses) risk-driven, \(counts.convenienceBypasses) for "
        + "convenience"
      return BypassFinding(
        id: "TEL-\(telemetry.control)-\(number)", controlID: telemetry.control, summary: summary,
        firstSeen: counts.bypassDays?.lowerBound ?? bypassDays.first ?? window.firstDay,
        lastSeen: counts.bypassDays?.upperBound ?? bypassDays.last ?? window.lastDay,
        app: entry.app, role: "", location: "",
        device: "", actionType: entry.action, count: counts.bypasses,
        challenges: counts.challenges, distinctUsers: counts.distinctBypassers,
        driver: riskDriven ? .risk : .convenience,
        bypassPath: entry.bypassPaths.map(Self.onlyPath) ?? controlPath, exception: nil,
        sourceLocation: SourceLocation(path: "events"), origin: .telemetry)
    }
  }

  /// The path of every bypass of the control, when they all took the same one; for an
  /// aggregate file without paths per app and action, where a control with several paths
  /// names none rather than pin one on the wrong finding.
  private func dominantPath(_ telemetry: ControlTelemetry) -> String? {
    Self.onlyPath(telemetry.byPath)
  }

  /// The one path that bypasses took among `paths`, or `nil` when they took several or none
  /// was recorded.
  private static func onlyPath(_ paths: [BreakdownEntry]) -> String? {
    let used = paths.filter { $0.counts.bypasses > 0 }
    guard used.count == 1, let only = used.first, only.value != EventAggregator.noValue else {
      return nil
    }
    return only.value
  }

  // MARK: Causes

  private func diagnose(
    _ telemetry: ControlTelemetry, control: ObservedControl, findings: [BypassFinding]
  ) -> ControlDiagnosis {
    let total = telemetry.total
    let lowRisk = telemetry.byRisk.first { $0.value == AccessEvent.Risk.low.rawValue }?.counts
    let prompts = lowRisk.flatMap { $0.userDays > 0 ? $0.promptsPerUserDay : nil }
    var diagnosis = ControlDiagnosis(
      controlID: control.id, controlTitle: control.title, telemetry: telemetry,
      lowRiskPromptsPerUserDay: prompts, causes: [], findingIDs: findings.map(\.id),
      uncoveredBypasses: telemetry.uncoveredBypasses,
      unregisteredExceptionUses: telemetry.unregisteredExceptionUses)

    // A cause needs as many events behind it as a finding needs bypasses, so that a handful of
    // events never reads as a pattern.
    let enough = max(1, thresholds.minimumBypasses)
    if let prompts, let lowRisk, lowRisk.challenges >= enough,
      prompts > thresholds.promptsPerUserDay
    {
      diagnosis.causes.append(
        .init(
          cause: .tooFrequent,
          explanation:
            "low-risk actions prompt \(OneDecimal.text(prompts)) times per person per day "
            + "(\(lowRisk.challenges) prompts over \(lowRisk.userDays) person-days; threshold "
            + "\(OneDecimal.text(thresholds.promptsPerUserDay)))"))
    }
    if total.failures + total.abandons >= enough, diagnosis.brittleRate > thresholds.brittleRate {
      diagnosis.causes.append(
        .init(
          cause: .brittle,
          explanation:
            "\(Percent.text(diagnosis.brittleRate)) of challenges fail or are abandoned "
            + "(\(total.failures) failed, \(total.abandons) abandoned of \(total.challenges); "
            + "threshold \(Percent.text(thresholds.brittleRate)))"))
    }
    // Bypasses that a registered exception covered took a sanctioned way; where coverage was
    // measured, only the others count.
    let unsanctioned = telemetry.uncoveredBypasses ?? total.bypasses
    if control.exceptionPath == nil, unsanctioned >= enough {
      let covered = total.bypasses - unsanctioned
      diagnosis.causes.append(
        .init(
          cause: .noExceptionPath,
          explanation:
            "\(unsanctioned) \(unsanctioned == 1 ? "bypass" : "bypasses")"
            + (covered > 0 ? " outside any registered exception" : "")
            + ", and the control offers no sanctioned way around it"))
    }
    if total.exceptionUses >= enough, diagnosis.exceptionRate > thresholds.exceptionRate {
      diagnosis.causes.append(
        .init(
          cause: .exceptionsAsDefault,
          explanation:
            "\(Percent.text(diagnosis.exceptionRate)) of challenges end in an exception "
            + "(\(total.exceptionUses) of \(total.challenges); threshold "
            + "\(Percent.text(thresholds.exceptionRate)))"))
    }
    return diagnosis
  }

  // MARK: Recommendations

  private func recommend(
    _ diagnosis: ControlDiagnosis, control: ObservedControl, findings: [BypassFinding],
    usage: [ExceptionUsage]
  ) -> [Recommendation] {
    let telemetry = diagnosis.telemetry
    let total = telemetry.total
    let id = control.id
    var result: [Recommendation] = []
    func add(
      _ priority: Recommendation.Priority, _ action: String, _ because: String,
      _ reference: String = ""
    ) {
      result.append(
        Recommendation(
          controlID: id, priority: priority, action: action, because: because,
          reference: reference))
    }
    let causes = Set(diagnosis.causes.map(\.cause))
    let reasons = Dictionary(
      telemetry.byRiskReason.map { ($0.value, $0.counts.bypasses) }, uniquingKeysWith: +)

    if total.riskDrivenBypasses > 0 {
      let places = telemetry.byAppAndAction.filter { $0.counts.riskDrivenBypasses > 0 }
        .sorted { $0.counts.riskDrivenBypasses > $1.counts.riskDrivenBypasses }
        .prefix(3).map { "\($0.action) in \($0.app)" }
      add(
        .high,
        "Keep MFA, approval and logging on high-risk actions, and close the ways around the "
          + "control where its bypasses carry risk (\(places.joined(separator: ", "))).",
        "\(total.riskDrivenBypasses) of \(total.bypasses) "
          + "\(total.bypasses == 1 ? "bypass is" : "bypasses are") risk-driven: "
          + reasonText(reasons) + ".")
    }
    if let machine = reasons[TelemetryPolicy.RiskReason.machineIdentity.rawValue], machine > 0 {
      let path = telemetry.byPath.first { $0.value != EventAggregator.noValue }?.value
      let named = path.map { " (\($0))" } ?? ""
      add(
        .high,
        "Stop people signing in as non-human identities\(named): give each person a named "
          + "account with MFA, restrict the identity to its workload and alert on interactive "
          + "use.",
        "\(machine) \(machine == 1 ? "bypass" : "bypasses") went through a non-human identity.",
        "OWASP NHI10")
      add(
        .high,
        "Rotate the credentials that people have used\(named) now, and replace long-lived "
          + "secrets with short-lived credentials issued on demand.",
        "Credentials shared with people outlive any one session and cannot be attributed.",
        "OWASP NHI7")
    }
    let withoutExpiry = exceptions.filter { $0.controlID == id && $0.expires == nil }
    if !withoutExpiry.isEmpty {
      add(
        .medium, "Give every exception an expiry.",
        "\(withoutExpiry.map(\.id).joined(separator: ", ")) "
          + (withoutExpiry.count == 1 ? "has" : "have") + " none.")
    }
    let used = Dictionary(usage.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for exception in exceptions where exception.controlID == id {
      guard let expires = exception.expires, let after = used[exception.id]?.usesAfterExpiry,
        after > 0
      else { continue }
      add(
        .high,
        "Renew \(exception.id) with a new expiry and approval, or end the use it allowed.",
        "\(exception.id) expired on \(expires) and was still used \(after) "
          + (after == 1 ? "time" : "times") + " after.")
    }
    if let unregistered = diagnosis.unregisteredExceptionUses, unregistered > 0 {
      add(
        .medium,
        "Record every exception in the register with an approver and an expiry.",
        "\(unregistered) exception \(unregistered == 1 ? "use is" : "uses are") covered by no "
          + "registered exception.")
    }
    if causes.contains(.exceptionsAsDefault) {
      let roles = telemetry.byRole.filter { $0.counts.exceptionUses > 0 }
        .sorted { ($1.counts.exceptionUses, $0.value) < ($0.counts.exceptionUses, $1.value) }
        .prefix(2).map(\.value)
      let who = roles.isEmpty ? "" : " (\(roles.joined(separator: ", ")))"
      add(
        .medium,
        "Replace standing exceptions with attribute or context rules for the roles that need "
          + "them\(who).",
        "Exceptions have become the default: \(explanation(diagnosis, .exceptionsAsDefault)).")
    }
    if causes.contains(.tooFrequent) {
      add(
        .medium,
        "Ask for step-up only when risk changes (a new device, an unusual location, a high-risk "
          + "action) instead of on every routine access.",
        "Too frequent: \(explanation(diagnosis, .tooFrequent)).")
    }
    let routine = findings.filter { $0.driver == .convenience }
    if !routine.isEmpty {
      let places = routine.prefix(3).map { "\($0.actionType) in \($0.app)" }
      add(
        .medium,
        "Move the prompt from routine actions (\(places.joined(separator: ", "))) to "
          + "high-risk actions.",
        "\(total.convenienceBypasses) "
          + (total.convenienceBypasses == 1 ? "bypass is" : "bypasses are")
          + " for convenience on routine work.")
    }
    if causes.contains(.noExceptionPath) || causes.contains(.brittle) {
      let why = [ControlDiagnosis.Cause.noExceptionPath, .brittle].filter(causes.contains).map {
        "\($0.title): \(explanation(diagnosis, $0))"
      }
      add(
        .low,
        "Offer just-in-time approval instead of a blanket block, so that a person who is "
          + "stopped has a sanctioned way to go on.", why.joined(separator: "; ") + ".")
    }
    return result
  }

  private func explanation(_ diagnosis: ControlDiagnosis, _ cause: ControlDiagnosis.Cause)
    -> String
  {
    diagnosis.causes.first { $0.cause == cause }?.explanation ?? ""
  }

  private func reasonText(_ reasons: [String: Int]) -> String {
    TelemetryPolicy.RiskReason.allCases.compactMap { reason in
      reasons[reason.rawValue].map { "\(reason.title.lowercased()) (\($0))" }
    }.joined(separator: ", ")
  }

  // MARK: Hotspots

  private func hotspots(_ controls: [ControlTelemetry], _ dimension: Hotspots.Dimension)
    -> Hotspots
  {
    var merged: [String: Hotspot] = [:]
    for telemetry in controls {
      let entries: [BreakdownEntry]
      switch dimension {
      case .app: entries = telemetry.byApp
      case .role: entries = telemetry.byRole
      case .location: entries = telemetry.byLocation
      case .device: entries = telemetry.byDevice
      case .action: entries = telemetry.byAction
      }
      for entry in entries {
        merged[entry.value, default: Hotspot(entry.value, "")].add(entry.counts, telemetry.control)
      }
    }
    let ranked = ranked(Array(merged.values))
    return Hotspots(
      dimension: dimension, entries: Array(ranked.prefix(Self.hotspotLimit)),
      valuesWithBypasses: ranked.count)
  }

  /// The ways around the controls, most used first; challenges do not apply to a path, which
  /// only bypass and exception events carry.
  private func paths(_ controls: [ControlTelemetry]) -> [Hotspot] {
    var merged: [String: Hotspot] = [:]
    for telemetry in controls {
      for entry in telemetry.byPath where entry.value != EventAggregator.noValue {
        merged[entry.value, default: Hotspot(entry.value, "")].add(entry.counts, telemetry.control)
      }
    }
    return ranked(Array(merged.values))
  }

  private func appActionHotspots(_ controls: [ControlTelemetry]) -> [Hotspot] {
    var merged: [[String]: Hotspot] = [:]
    for telemetry in controls {
      for entry in telemetry.byAppAndAction {
        merged[[entry.app, entry.action], default: Hotspot(entry.app, entry.action)]
          .add(entry.counts, telemetry.control)
      }
    }
    return ranked(Array(merged.values))
  }

  /// The hotspots with bypasses, most first, then by value and action.
  private func ranked(_ hotspots: [Hotspot]) -> [Hotspot] {
    hotspots.filter { $0.bypasses > 0 }.sorted { left, right in
      if left.bypasses != right.bypasses { return left.bypasses > right.bypasses }
      return (left.value, left.action) < (right.value, right.action)
    }
  }

  private func split(_ controls: [ControlTelemetry]) -> BypassSplit {
    var reasons: [String: Int] = [:]
    for telemetry in controls {
      for entry in telemetry.byRiskReason {
        reasons[entry.value] = (reasons[entry.value] ?? 0).saturatingAdding(entry.counts.bypasses)
      }
    }
    return BypassSplit(
      bypasses: controls.reduce(0) { $0.saturatingAdding($1.total.bypasses) },
      riskDriven: controls.reduce(0) { $0.saturatingAdding($1.total.riskDrivenBypasses) },
      reasons: TelemetryPolicy.RiskReason.allCases.compactMap { reason in
        reasons[reason.rawValue].map { (reason, $0) }
      })
  }
}

extension Hotspot {
  fileprivate init(_ value: String, _ action: String) {
    self.init(value: value, action: action, challenges: 0, bypasses: 0, riskDriven: 0, controls: [])
  }

  fileprivate mutating func add(_ counts: OutcomeCounts, _ control: String) {
    challenges = challenges.saturatingAdding(counts.challenges)
    bypasses = bypasses.saturatingAdding(counts.bypasses)
    riskDriven = riskDriven.saturatingAdding(counts.riskDrivenBypasses)
    if counts.bypasses > 0, !controls.contains(control) {
      controls.append(control)
      controls.sort()
    }
  }
}
