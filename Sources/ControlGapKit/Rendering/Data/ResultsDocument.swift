/// The assessment as data: what `results.json` holds, for tools that read the result rather
/// than a person.
///
/// Keys are written in a fixed order and numbers in a fixed form (counts as integers, rates
/// and thresholds with four decimals), so the same assessment always gives the same bytes.
/// Every field is listed in `Reports/README.md` and `Frameworks/schemas/results.schema.json`.
/// Only what the assessment holds is written; user identifiers never reach it.
public struct ResultsDocument: Sendable {
  /// The layout version of the document, raised when a field changes meaning or goes away.
  public static let schemaVersion = 1

  public let text: String

  /// - Parameters:
  ///   - assessment: The result to write.
  ///   - generator: The tool's name, as the reports name it.
  ///   - version: The tool's version; `nil` writes `null`.
  public init(_ assessment: Assessment, generator: String, version: String?) {
    let value = JSONValue.object([
      ("schemaVersion", .int(Self.schemaVersion)),
      ("generator", .string(generator)),
      ("version", .string(version)),
      ("organisation", .string(assessment.organisation)),
      ("period", .string(assessment.period.description)),
      ("asOf", .string(assessment.asOf.description)),
      ("timeZone", .string(assessment.timeZone)),
      ("thresholds", Self.thresholds(assessment.thresholds)),
      ("frameworks", .array(assessment.frameworks.map(Self.framework))),
      ("controls", .array(assessment.controls.map(Self.control))),
      ("findings", .array(assessment.findings.map(Self.finding))),
      ("exceptions", .array(assessment.exceptions.map(Self.exception))),
      ("telemetry", assessment.telemetry.map(Self.telemetry) ?? .null),
    ])
    text = value.text() + "\n"
  }

  private static func thresholds(_ thresholds: WorkspaceSettings.Thresholds) -> JSONValue {
    .object([
      ("bypassRate", .decimal(thresholds.bypassRate)),
      ("evidenceAgeDays", .int(thresholds.evidenceAgeDays)),
      ("exceptionWarningDays", .int(thresholds.exceptionWarningDays)),
      ("promptsPerUserDay", .decimal(thresholds.promptsPerUserDay)),
      ("brittleRate", .decimal(thresholds.brittleRate)),
      ("exceptionRate", .decimal(thresholds.exceptionRate)),
      ("riskDrivenShare", .decimal(thresholds.riskDrivenShare)),
      ("minimumBypasses", .int(thresholds.minimumBypasses)),
    ])
  }

  private static func framework(_ framework: FrameworkAssessment) -> JSONValue {
    .object([
      ("key", .string(framework.key)),
      ("name", .string(framework.name)),
      ("title", .string(framework.title)),
      ("version", .string(framework.version)),
      ("total", .int(framework.requirements.count)),
      (
        "counts",
        .object(RequirementStatus.allCases.map { ($0.rawValue, .int(framework.count($0))) })
      ),
      (
        "requirements",
        .array(
          framework.requirements.map { assessed in
            .object([
              ("id", .string(assessed.requirement.id)),
              ("displayID", .string(assessed.requirement.displayID)),
              ("title", .string(assessed.requirement.title)),
              ("status", .string(assessed.status.rawValue)),
              ("reasons", .array(assessed.reasons.map { .string($0) })),
              ("controls", .array(assessed.controls.map { .string($0.control.id) })),
            ])
          })
      ),
    ])
  }

  private static func control(_ summary: ControlSummary) -> JSONValue {
    .object([
      ("id", .string(summary.control.id)),
      ("title", .string(summary.control.title)),
      ("owner", .string(summary.control.owner)),
      ("status", .string(summary.control.status.rawValue)),
      (
        "evidence",
        .array(
          summary.evidence.map { evidence in
            .object([
              ("path", .string(evidence.item.path)),
              ("effective", .string(evidence.item.effective.description)),
              ("state", .string(evidence.state.rawValue)),
              ("ageDays", .int(evidence.ageDays)),
            ])
          })
      ),
      ("findings", .array(summary.findingIDs.map { .string($0) })),
      ("requirements", .array(summary.requirements.map { .string($0) })),
    ])
  }

  /// An empty scope value means the finding covers every value of that dimension: `null`.
  private static func scope(_ value: String) -> JSONValue {
    value.isEmpty ? .null : .string(value)
  }

  private static func finding(_ assessed: FindingAssessment) -> JSONValue {
    let finding = assessed.finding
    return .object([
      ("id", .string(finding.id)),
      ("control", .string(finding.controlID)),
      ("origin", .string(finding.origin.rawValue)),
      ("firstSeen", .string(finding.firstSeen.description)),
      ("lastSeen", .string(finding.lastSeen.description)),
      ("app", .string(finding.app)),
      ("action", .string(finding.actionType)),
      ("role", scope(finding.role)),
      ("location", scope(finding.location)),
      ("device", scope(finding.device)),
      ("count", .int(finding.count)),
      ("challenges", .int(finding.challenges)),
      ("distinctUsers", .int(finding.distinctUsers)),
      ("rate", .decimal(finding.rate)),
      ("driver", .string(finding.driver.rawValue)),
      ("bypassPath", .string(finding.bypassPath)),
      ("exceedsThreshold", .bool(assessed.exceedsThreshold)),
      ("makesIneffective", .bool(assessed.makesIneffective)),
    ])
  }

  private static func exception(_ assessed: ExceptionAssessment) -> JSONValue {
    .object([
      ("id", .string(assessed.id)),
      ("source", .string(assessed.source.rawValue)),
      ("control", .string(assessed.controlID)),
      ("scope", .string(assessed.scope)),
      ("approver", .string(assessed.exception.approver)),
      ("granted", .string(assessed.exception.granted?.description)),
      ("expires", .string(assessed.exception.expires?.description)),
      ("state", .string(assessed.state.rawValue)),
      ("daysToExpiry", .int(assessed.daysToExpiry)),
      ("uses", .int(assessed.uses)),
      ("usesAfterExpiry", .int(assessed.usesAfterExpiry)),
      ("usedAfterExpiry", .bool(assessed.usedAfterExpiry)),
    ])
  }

  private static func telemetry(_ telemetry: TelemetryAssessment) -> JSONValue {
    .object([
      (
        "window",
        .object([
          ("firstDay", .string(telemetry.firstDay.description)),
          ("lastDay", .string(telemetry.lastDay.description)),
          ("outsideWindow", .int(telemetry.outsideWindow)),
        ])
      ),
      ("events", .int(telemetry.events)),
      ("badRows", .int(telemetry.badRows)),
      ("controls", .array(telemetry.controls.map(diagnosis))),
      (
        "recommendations",
        .array(
          telemetry.recommendations.map { recommendation in
            .object([
              ("control", .string(recommendation.controlID)),
              ("priority", .string(recommendation.priority.title.lowercased())),
              ("action", .string(recommendation.action)),
              ("because", .string(recommendation.because)),
              (
                "reference",
                .string(recommendation.reference.isEmpty ? nil : recommendation.reference)
              ),
            ])
          })
      ),
    ])
  }

  private static func diagnosis(_ diagnosis: ControlDiagnosis) -> JSONValue {
    let total = diagnosis.telemetry.total
    return .object([
      ("control", .string(diagnosis.controlID)),
      ("challenges", .int(total.challenges)),
      ("passes", .int(total.passes)),
      ("failures", .int(total.failures)),
      ("abandons", .int(total.abandons)),
      ("bypasses", .int(total.bypasses)),
      ("riskDriven", .int(total.riskDrivenBypasses)),
      ("convenience", .int(total.convenienceBypasses)),
      ("exceptionUses", .int(total.exceptionUses)),
      ("distinctUsers", .int(total.distinctUsers)),
      ("bypassRate", .decimal(total.bypassRate)),
      (
        "causes",
        .array(
          diagnosis.causes.map { found in
            .object([
              ("cause", .string(found.cause.rawValue)),
              ("explanation", .string(found.explanation)),
            ])
          })
      ),
      ("findings", .array(diagnosis.findingIDs.map { .string($0) })),
    ])
  }
}
