import Foundation

/// The assessment as an OSCAL assessment-results document (`assessment-results.xml`), for
/// governance tools that read OSCAL rather than ControlGap's own `results.json`.
///
/// One result holds the period: evidence items become `EXAMINE` observations, each control's
/// access events a `TEST` observation, each requirement a finding whose target is the
/// requirement id, and each bypass finding an open risk. What a later comparison of quarters
/// needs is on every finding: the requirement id, the framework and ControlGap's own status.
///
/// Nothing depends on the clock: the last-modified time is the assessment date at midnight UTC
/// and every UUID is derived from stable names, so the same assessment gives the same bytes.
public struct AssessmentResultsDocument: Sendable {
  public static let namespace = "http://csrc.nist.gov/ns/oscal/1.0"
  /// The OSCAL release whose schema the document is checked against.
  public static let oscalVersion = "1.2.1"
  /// The namespace of the properties OSCAL does not define.
  public static let propertyNamespace = "urn:controlgap"

  public let text: String

  /// - Parameters:
  ///   - assessment: The result to write.
  ///   - generator: The tool's name, as the reports name it.
  ///   - version: The tool's version; `nil` writes `unknown`, as OSCAL requires a version.
  /// - Throws: `ControlGapFailure` of kind `.cannotWrite` when a value holds a character XML
  ///   does not allow.
  public init(_ assessment: Assessment, generator: String, version: String?) throws {
    let builder = Builder(assessment: assessment, generator: generator)
    let root = XMLWriter.Element(
      "assessment-results", namespace: Self.namespace,
      ["uuid": builder.uuid("assessment-results")],
      children: [
        builder.metadata(version: version ?? "unknown"),
        // No assessment plan is published, yet OSCAL requires one to be imported; the
        // reference points at a back-matter resource that says so, which the schema accepts
        // and a reader can follow.
        XMLWriter.Element("import-ap", ["href": "#\(builder.uuid("assessment-plan"))"]),
        builder.result(),
        builder.backMatter(),
      ])
    text = try XMLWriter().string(root)
  }
}

/// Builds the parts of the document from one assessment.
private struct Builder {
  typealias Element = XMLWriter.Element

  let assessment: Assessment
  let generator: String

  /// Names are scoped by organisation and period, so two quarters never share an identifier.
  func uuid(_ name: String) -> String {
    NameBasedUUID(name: "\(assessment.organisation)\n\(assessment.period)\n\(name)").description
  }

  func metadata(version: String) -> Element {
    Element(
      "metadata",
      children: [
        Element(
          "title",
          text: Self.printable(
            "\(generator) assessment results: \(assessment.organisation), \(assessment.period)")
        ),
        Element("last-modified", text: Self.timestamp(assessment.asOf)),
        Element("version", text: version),
        Element("oscal-version", text: AssessmentResultsDocument.oscalVersion),
      ])
  }

  func result() -> Element {
    var result = Element(
      "result", ["uuid": uuid("result")],
      children: [
        Element("title", text: Self.printable("\(assessment.organisation) \(assessment.period)")),
        Self.description([
          "Requirements assessed for \(assessment.period) as of \(assessment.asOf)"
            + " (\(assessment.timeZone))."
        ]),
        Element("start", text: Self.timestamp(assessment.period.firstDay)),
        Element("end", text: Self.timestamp(assessment.asOf)),
      ])
    result.append(
      contentsOf: [
        Self.prop("period", assessment.period.description),
        Self.prop("as-of", assessment.asOf.description),
      ].compactMap { $0 })
    result.append(
      Element(
        "reviewed-controls",
        children: [Element("control-selection", children: [Element("include-all")])]))
    result.append(contentsOf: assessment.controls.flatMap(evidenceObservations))
    result.append(contentsOf: (assessment.telemetry?.controls ?? []).map(telemetryObservation))
    result.append(contentsOf: assessment.findings.map(risk))
    for framework in assessment.frameworks {
      result.append(contentsOf: framework.requirements.map { finding($0, in: framework) })
    }
    return result
  }

  func backMatter() -> Element {
    Element(
      "back-matter",
      children: [
        Element(
          "resource", ["uuid": uuid("assessment-plan")],
          children: [
            Element("title", text: "Assessment plan"),
            Self.description([
              "\(generator) assesses the workspace's controls against every requirement of its"
                + " frameworks; no separate assessment plan is published."
            ]),
          ])
      ])
  }

  // MARK: Observations

  private func evidenceUUID(control: String, path: String) -> String {
    uuid("evidence\n\(control)\n\(path)")
  }

  private func telemetryUUID(control: String) -> String {
    uuid("telemetry\n\(control)")
  }

  private func evidenceObservations(_ summary: ControlSummary) -> [Element] {
    summary.evidence.map { assessed in
      let item = assessed.item
      var observation = Element(
        "observation", ["uuid": evidenceUUID(control: summary.control.id, path: item.path)],
        children: [
          Element(
            "title", text: Self.printable("Evidence for \(summary.control.id): \(item.path)")),
          Self.description([
            item.description,
            "Effective \(item.effective), \(assessed.ageDays) days old at the assessment date;"
              + " \(assessed.state.rawValue).",
          ]),
        ])
      observation.append(
        contentsOf: [
          Self.prop("control-id", summary.control.id),
          Self.prop("evidence-path", item.path),
          Self.prop("evidence-state", assessed.state.rawValue),
        ].compactMap { $0 })
      observation.append(contentsOf: [
        Element("method", text: "EXAMINE"),
        Element("collected", text: Self.timestamp(item.effective)),
      ])
      return observation
    }
  }

  private func telemetryObservation(_ diagnosis: ControlDiagnosis) -> Element {
    let total = diagnosis.telemetry.total
    var observation = Element(
      "observation", ["uuid": telemetryUUID(control: diagnosis.controlID)],
      children: [
        Element("title", text: Self.printable("Access events for \(diagnosis.controlID)")),
        Self.description(
          [
            "\(total.challenges) challenges, \(total.passes) passes, \(total.failures) failures,"
              + " \(total.abandons) abandons, \(total.bypasses) bypasses"
              + " (\(total.riskDrivenBypasses) risk-driven), \(total.exceptionUses) exception"
              + " uses, \(total.distinctUsers) people."
          ] + diagnosis.causes.map { "\($0.cause.title): \($0.explanation)" }),
      ])
    observation.append(
      contentsOf: [
        Self.prop("control-id", diagnosis.controlID),
        Self.prop("challenges", String(total.challenges)),
        Self.prop("bypasses", String(total.bypasses)),
      ].compactMap { $0 })
    observation.append(contentsOf: [
      Element("method", text: "TEST"),
      Element("collected", text: Self.timestamp(assessment.telemetry?.lastDay ?? assessment.asOf)),
    ])
    return observation
  }

  // MARK: Risks and findings

  private func riskUUID(_ findingID: String) -> String {
    uuid("risk\n\(findingID)")
  }

  private func risk(_ assessed: FindingAssessment) -> Element {
    let finding = assessed.finding
    let summary =
      finding.summary
      ?? "\(finding.count) bypasses of \(finding.challenges) challenges by"
      + " \(finding.distinctUsers) people, \(finding.firstSeen) to \(finding.lastSeen)."
    let statement =
      assessed.makesIneffective
      ? "The bypasses make \(finding.controlID) ineffective (\(finding.driver.rawValue))."
      : "The bypasses weaken \(finding.controlID) (\(finding.driver.rawValue))."
    var risk = Element(
      "risk", ["uuid": riskUUID(finding.id)],
      children: [
        Element("title", text: Self.printable("\(finding.id): bypass of \(assessed.controlTitle)")),
        Self.description([summary]),
        Element("statement", children: [Element("p", text: Self.printable(statement))]),
      ])
    risk.append(
      contentsOf: [
        Self.prop("finding-id", finding.id),
        Self.prop("control-id", finding.controlID),
        Self.prop("driver", finding.driver.rawValue),
      ].compactMap { $0 })
    risk.append(Element("status", text: "open"))
    if let expires = finding.exception?.expires {
      risk.append(Element("deadline", text: Self.timestamp(expires)))
    }
    return risk
  }

  private func finding(_ assessed: RequirementAssessment, in framework: FrameworkAssessment)
    -> Element
  {
    let requirement = assessed.requirement
    let satisfied = assessed.status == .covered || assessed.status == .notApplicable
    var finding = Element(
      "finding", ["uuid": uuid("finding\n\(framework.key)\n\(requirement.id)")],
      children: [
        Element("title", text: Self.title(requirement, in: framework)),
        Self.description(assessed.reasons.isEmpty ? [assessed.status.title] : assessed.reasons),
      ])
    finding.append(
      contentsOf: [
        Self.prop("framework", framework.key),
        Self.prop("status", assessed.status.rawValue),
      ].compactMap { $0 })

    finding.append(
      Element(
        "target", ["type": "objective-id", "target-id": requirement.id],
        children: [Element("status", ["state": satisfied ? "satisfied" : "not-satisfied"])]))

    // Each observation and risk is named once, though several controls may share it.
    var observations: [String] = []
    var risks: [String] = []
    for trace in assessed.controls {
      observations += trace.evidence.map {
        evidenceUUID(control: trace.control.id, path: $0.item.path)
      }
      if assessment.telemetry?.controls.contains(where: { $0.controlID == trace.control.id })
        == true
      {
        observations.append(telemetryUUID(control: trace.control.id))
      }
      risks += trace.findingIDs.map(riskUUID)
    }
    finding.append(
      contentsOf: Self.unique(observations).map {
        Element("related-observation", ["observation-uuid": $0])
      })
    finding.append(
      contentsOf: Self.unique(risks).map { Element("associated-risk", ["risk-uuid": $0]) })
    return finding
  }

  // MARK: Values

  /// A ControlGap property; `nil` when the value has no visible text, which OSCAL's string
  /// type does not allow.
  static func prop(_ name: String, _ value: String) -> Element? {
    // OSCAL strings have no line breaks and no white space at either end.
    let words = printable(value).split(whereSeparator: \.isWhitespace)
    guard !words.isEmpty else { return nil }
    return Element(
      "prop",
      [
        "name": name, "ns": AssessmentResultsDocument.propertyNamespace,
        "value": words.joined(separator: " "),
      ])
  }

  /// OSCAL's multi-line markup: one paragraph per entry.
  static func description(_ paragraphs: [String]) -> Element {
    Element("description", children: paragraphs.map { Element("p", text: printable($0)) })
  }

  /// Some catalogs title a requirement with its id alone; the id is then not repeated.
  static func title(_ requirement: Requirement, in framework: FrameworkAssessment) -> String {
    let name = "\(framework.name) \(requirement.displayID)"
    return printable(
      requirement.title == requirement.displayID ? name : "\(name): \(requirement.title)")
  }

  /// Text from event files can hold control characters that XML cannot carry; they become
  /// U+FFFD here so that one odd value does not stop the whole set of reports being written.
  static func printable(_ text: String) -> String {
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x9, 0xA, 0xD: scalars.append(scalar)
      case 0..<0x20, 0xFFFE, 0xFFFF: scalars.append("\u{FFFD}")
      default: scalars.append(scalar)
      }
    }
    return String(scalars)
  }

  static func timestamp(_ date: CalendarDate) -> String {
    "\(date)T00:00:00Z"
  }

  static func unique(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
  }
}
