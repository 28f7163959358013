import Foundation

/// The conversion of schema-valid workspace documents into records, with the checks that a
/// schema cannot express.
struct WorkspaceReading {
  let paths: WorkspacePaths
  let diagnostics: DiagnosticSink
  private var controlSeen: [String: SourceLocation] = [:]
  private var findingSeen: [String: SourceLocation] = [:]
  private var exceptionSeen: [String: SourceLocation] = [:]

  init(paths: WorkspacePaths, diagnostics: DiagnosticSink) {
    self.paths = paths
    self.diagnostics = diagnostics
  }

  // MARK: Settings

  func settings(from root: XMLElementNode) -> WorkspaceSettings? {
    guard expect(root, named: "workspace") else { return nil }
    let periodElement = root.child(named: "period")
    guard let periodElement, let period = Quarter(parsing: periodElement.normalizedText) else {
      diagnostics.error("period must be a quarter such as 2026-Q4", at: root.location)
      return nil
    }

    var timeZone = "UTC"
    if let zone = root.child(named: "time-zone") {
      timeZone = zone.normalizedText
      if TimeZone(identifier: timeZone) == nil {
        diagnostics.error("unknown time zone '\(timeZone)'", at: zone.location)
      }
    }

    var thresholds = WorkspaceSettings.Thresholds()
    if let element = root.child(named: "thresholds") {
      if let rate = element.child(named: "bypass-rate") {
        thresholds.bypassRate = Double(rate.normalizedText) ?? thresholds.bypassRate
      }
      if let age = element.child(named: "evidence-age-days") {
        thresholds.evidenceAgeDays = integer(age) ?? thresholds.evidenceAgeDays
      }
      if let warning = element.child(named: "exception-warning-days") {
        thresholds.exceptionWarningDays = integer(warning) ?? thresholds.exceptionWarningDays
      }
      if let prompts = element.child(named: "prompts-per-user-day") {
        thresholds.promptsPerUserDay =
          Double(prompts.normalizedText) ?? thresholds.promptsPerUserDay
      }
      if let rate = element.child(named: "brittle-rate") {
        thresholds.brittleRate = Double(rate.normalizedText) ?? thresholds.brittleRate
      }
      if let rate = element.child(named: "exception-rate") {
        thresholds.exceptionRate = Double(rate.normalizedText) ?? thresholds.exceptionRate
      }
      if let share = element.child(named: "risk-driven-share") {
        thresholds.riskDrivenShare = Double(share.normalizedText) ?? thresholds.riskDrivenShare
      }
      if let minimum = element.child(named: "minimum-bypasses") {
        thresholds.minimumBypasses = integer(minimum) ?? thresholds.minimumBypasses
      }
    }
    let telemetry = root.child(named: "telemetry").map(telemetrySettings) ?? .init()

    let frameworks =
      root.child(named: "frameworks")?.children(named: "framework").map {
        WorkspaceSettings.FrameworkSelection(key: token($0, "ref"), location: $0.location)
      } ?? []
    let notApplicable =
      root.child(named: "not-applicable")?.children(named: "requirement").map {
        WorkspaceSettings.NotApplicable(
          reference: reference($0), reason: ($0[attribute: "reason"] ?? "").foldingWhitespace())
      } ?? []

    return WorkspaceSettings(
      organisation: root.child(named: "organisation")?.normalizedText ?? "", period: period,
      timeZone: timeZone, frameworks: frameworks, thresholds: thresholds, telemetry: telemetry,
      notApplicable: notApplicable, location: root.location)
  }

  private func telemetrySettings(_ element: XMLElementNode) -> WorkspaceSettings.TelemetrySettings {
    var settings = WorkspaceSettings.TelemetrySettings()
    if let secret = element.child(named: "pseudonym-secret") {
      settings.pseudonymSecretPath = token(secret, "path")
      settings.pseudonymSecretLocation = secret.location
    }
    if let limit = element.child(named: "max-bad-rows") {
      settings.maxBadRows = integer(limit) ?? settings.maxBadRows
    }
    var named: [AccessEvent.Field: SourceLocation] = [:]
    for column in element.child(named: "columns")?.children(named: "column") ?? [] {
      guard let field = AccessEvent.Field(rawValue: token(column, "field")) else { continue }
      if let first = named[field] {
        diagnostics.error(
          "field '\(field.rawValue)' is mapped twice (first at line \(first.line))",
          at: column.location)
        continue
      }
      named[field] = column.location
      settings.columns[field] = (column[attribute: "name"] ?? "").foldingWhitespace()
    }
    // The user column is read only as the user: read as any other field, its identifiers
    // would be counted as values and printed in the reports.
    let userColumn = settings.columns[.user].lowercased()
    for field in AccessEvent.Field.allCases
    where field != .user && settings.columns[field].lowercased() == userColumn {
      diagnostics.error(
        "column '\(settings.columns[field])' holds user identifiers and cannot also be read as "
          + "'\(field.rawValue)'", at: named[field] ?? named[.user] ?? element.location)
    }
    func values(_ list: String, _ item: String) -> [String]? {
      element.child(named: list).map { $0.children(named: item).map(\.normalizedText) }
    }
    settings.policy = TelemetryPolicy(
      unmanagedDevices: values("unmanaged-devices", "device") ?? [],
      usualLocations: values("usual-locations", "location") ?? [],
      machineIdentityMarkers: values("machine-identity-markers", "marker")
        ?? TelemetryPolicy.standardMachineIdentityMarkers)
    return settings
  }

  // MARK: Controls

  mutating func controls(from root: XMLElementNode, expectedRoot: String) -> [ObservedControl] {
    guard expect(root, named: expectedRoot) else { return [] }
    var fileSeen: [String: SourceLocation] = [:]
    // Worked on as a local and stored back once: passing the stored dictionary inout to a
    // method of self would copy it for every control.
    var allSeen = controlSeen
    defer { controlSeen = allSeen }
    var controls: [ObservedControl] = []
    for element in root.children(named: "control") {
      let id = token(element, "id")
      guard
        noteUnique(id, kind: "control", at: element.location, file: &fileSeen, all: &allSeen)
      else { continue }
      controls.append(
        ObservedControl(
          id: id, title: text(element, "title"), owner: text(element, "owner"),
          status: ObservedControl.Status(rawValue: text(element, "status")) ?? .planned,
          enforcementPoint: element.child(named: "enforcement-point")?.normalizedText,
          satisfies: element.child(named: "satisfies")?.children(named: "requirement")
            .map(reference) ?? [],
          evidence: element.children(named: "evidence").compactMap(evidence),
          exceptionPath: element.child(named: "exception-path")?.normalizedText,
          location: element.location))
    }
    return controls
  }

  private func evidence(_ element: XMLElementNode) -> EvidenceItem? {
    let path = token(element, "path")
    guard let effective = date(element[attribute: "effective"], field: "effective", at: element)
    else { return nil }
    let exists: Bool
    switch paths.check(path) {
    case .outside:
      diagnostics.error("evidence path '\(path)' leaves the workspace", at: element.location)
      return nil
    case .inside(.file):
      exists = true
    case .inside(.missing):
      exists = false
      diagnostics.warning(
        "evidence file '\(path)' does not exist; it does not count as evidence",
        at: element.location)
    case .inside(.brokenLink):
      exists = false
      diagnostics.warning(
        "evidence '\(path)' is a link to nothing; it does not count as evidence",
        at: element.location)
    case .inside(.notAFile):
      exists = false
      diagnostics.warning(
        "evidence '\(path)' is not a regular file; it does not count as evidence",
        at: element.location)
    }
    return EvidenceItem(
      path: path, effective: effective, description: element.normalizedText, isPresent: exists,
      location: element.location)
  }

  // MARK: Findings

  mutating func findings(from root: XMLElementNode, expectedRoot: String) -> [BypassFinding] {
    guard expect(root, named: expectedRoot) else { return [] }
    var fileSeen: [String: SourceLocation] = [:]
    var allSeen = findingSeen
    defer { findingSeen = allSeen }
    var findings: [BypassFinding] = []
    for element in root.children(named: "finding") {
      let id = token(element, "id")
      guard
        noteUnique(id, kind: "finding", at: element.location, file: &fileSeen, all: &allSeen)
      else { continue }
      if let finding = finding(element, id: id) { findings.append(finding) }
    }
    return findings
  }

  private func finding(_ element: XMLElementNode, id: String) -> BypassFinding? {
    guard let first = date(in: element, "first-seen"), let last = date(in: element, "last-seen")
    else { return nil }

    let count = integer(element.child(named: "count")) ?? 0
    let challenges = integer(element.child(named: "challenges")) ?? 0
    let users = integer(element.child(named: "distinct-users")) ?? 0
    var consistent = true
    if last < first {
      diagnostics.error("last-seen \(last) is before first-seen \(first)", at: element.location)
      consistent = false
    }
    if count > challenges {
      diagnostics.error(
        "count \(count) is larger than challenges \(challenges)", at: element.location)
      consistent = false
    }
    if users > count {
      diagnostics.error(
        "distinct-users \(users) is larger than count \(count)", at: element.location)
      consistent = false
    }
    let exception = element.child(named: "exception").flatMap(exception)
    guard consistent else { return nil }

    return BypassFinding(
      id: id, controlID: token(element, "control"),
      summary: element.child(named: "summary")?.normalizedText, firstSeen: first,
      lastSeen: last, app: text(element, "app"), role: text(element, "role"),
      location: text(element, "location"), device: text(element, "device"),
      actionType: text(element, "action-type"), count: count, challenges: challenges,
      distinctUsers: users,
      driver: BypassFinding.Driver(rawValue: text(element, "driver")) ?? .risk,
      bypassPath: element.child(named: "bypass-path")?.normalizedText, exception: exception,
      sourceLocation: element.location)
  }

  private func exception(_ element: XMLElementNode) -> ControlException? {
    let granted = element[attribute: "granted"].flatMap { date($0, field: "granted", at: element) }
    let expires = element[attribute: "expires"].flatMap { date($0, field: "expires", at: element) }
    if let granted, let expires, expires < granted {
      diagnostics.error(
        "exception expires \(expires) before it is granted \(granted)", at: element.location)
      return nil
    }
    return ControlException(
      approver: (element[attribute: "approver"] ?? "").foldingWhitespace(), granted: granted,
      expires: expires, location: element.location)
  }

  // MARK: Exceptions register

  mutating func exceptions(from root: XMLElementNode, expectedRoot: String)
    -> [RegisteredException]
  {
    guard expect(root, named: expectedRoot) else { return [] }
    var fileSeen: [String: SourceLocation] = [:]
    var allSeen = exceptionSeen
    defer { exceptionSeen = allSeen }
    var exceptions: [RegisteredException] = []
    for element in root.children(named: "exception") {
      let id = token(element, "id")
      guard
        noteUnique(id, kind: "exception", at: element.location, file: &fileSeen, all: &allSeen)
      else { continue }
      guard let granted = date(in: element, "granted") else { continue }
      var expires: CalendarDate?
      if let child = element.child(named: "expires") {
        guard let date = date(child.normalizedText, field: "expires", at: child) else { continue }
        expires = date
      }
      if let expires, expires < granted {
        diagnostics.error(
          "exception expires \(expires) before it is granted \(granted)", at: element.location)
        continue
      }
      let scope = element.child(named: "scope")
      func scoped(_ name: String) -> String? {
        scope?[attribute: name].map { $0.foldingWhitespace() }
      }
      exceptions.append(
        RegisteredException(
          id: id, controlID: token(element, "control"), app: scoped("app"),
          role: scoped("role"), location: scoped("location"), device: scoped("device"),
          action: scoped("action"), approver: text(element, "approver"), granted: granted,
          expires: expires, reason: text(element, "reason"), sourceLocation: element.location))
    }
    return exceptions
  }

  /// Records an exception read from a CSV register, so that ids stay unique across both forms.
  mutating func noteException(
    _ id: String, at location: SourceLocation,
    file:
      inout [String:
      SourceLocation]
  ) -> Bool {
    var allSeen = exceptionSeen
    defer { exceptionSeen = allSeen }
    return noteUnique(id, kind: "exception", at: location, file: &file, all: &allSeen)
  }

  func checkExceptionControls(_ exceptions: [RegisteredException], controls: [ObservedControl]) {
    let known = Set(controls.map(\.id))
    for exception in exceptions where !known.contains(exception.controlID) {
      diagnostics.error(
        "exception '\(exception.id)' names unknown control '\(exception.controlID)'",
        at: exception.sourceLocation)
    }
  }

  func checkFindingControls(_ findings: [BypassFinding], controls: [ObservedControl]) {
    let known = Set(controls.map(\.id))
    for finding in findings where !known.contains(finding.controlID) {
      diagnostics.error(
        "finding '\(finding.id)' names unknown control '\(finding.controlID)'",
        at: finding.sourceLocation)
    }
  }

  // MARK: Shared checks

  private func expect(_ root: XMLElementNode, named name: String) -> Bool {
    guard root.name == name else {
      diagnostics.error(
        "root element is '\(root.name)', expected '\(name)' in this file", at: root.location)
      return false
    }
    return true
  }

  /// Records an id; a second use in the same file or in another file is an error.
  private func noteUnique(
    _ id: String, kind: String, at location: SourceLocation,
    file: inout [String: SourceLocation], all: inout [String: SourceLocation]
  ) -> Bool {
    if let first = file[id] {
      diagnostics.error(
        "duplicate \(kind) id '\(id)' (first defined at line \(first.line))", at: location)
      return false
    }
    if let first = all[id] {
      diagnostics.error(
        "duplicate \(kind) id '\(id)' (first defined at \(first.description))", at: location)
      return false
    }
    file[id] = location
    all[id] = location
    return true
  }

  private func reference(_ element: XMLElementNode) -> RequirementReference {
    RequirementReference(
      framework: token(element, "framework"), ref: token(element, "ref"),
      location: element.location)
  }

  /// An attribute of a token type, with white space collapsed as the schema reads it, so that
  /// `" IAM-01"` and `"IAM-01"` are one id.
  private func token(_ element: XMLElementNode, _ name: String) -> String {
    (element[attribute: name] ?? "").foldingWhitespace()
  }

  /// A date held in a child element, with problems reported at that element.
  private func date(in element: XMLElementNode, _ name: String) -> CalendarDate? {
    guard let child = element.child(named: name) else {
      diagnostics.error("\(name) is missing", at: element.location)
      return nil
    }
    return date(child.normalizedText, field: name, at: child)
  }

  private func text(_ element: XMLElementNode, _ name: String) -> String {
    element.child(named: name)?.normalizedText ?? ""
  }

  private func integer(_ element: XMLElementNode?) -> Int? {
    element.flatMap { Int($0.normalizedText) }
  }

  private func date(_ text: String?, field: String, at element: XMLElementNode) -> CalendarDate? {
    guard let text, let date = CalendarDate(parsing: text) else {
      diagnostics.error("\(field) '\(text ?? "")' is not a calendar date", at: element.location)
      return nil
    }
    return date
  }
}
