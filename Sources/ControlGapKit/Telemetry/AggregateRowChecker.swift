/// Checks the rows of an aggregate file one by one and gathers the good ones into a
/// `TelemetryAggregate`.
struct AggregateRowChecker {
  /// What identifies a row: no two rows may share one.
  private struct Key: Hashable {
    var control: String
    var dimension: AggregateFile.Dimension
    var value: String
    var action: String
    var path: String
  }

  private static let countColumns = [
    "challenges", "passes", "failures", "abandons", "bypasses", "exception_uses",
    "risk_driven_bypasses", "distinct_users", "distinct_bypassers",
  ]

  let displayPath: String
  let firstDay: CalendarDate
  let lastDay: CalendarDate
  let diagnostics: DiagnosticSink
  /// The position of each column of `AggregateFile.columns` in the file's rows.
  private var columnIndices: [String: Int] = [:]
  private var headerWidth = 0
  /// Whether the file has `AggregateFile.bypassDayColumns`.
  private var hasBypassDays = false
  /// Whether the file has `AggregateFile.pathColumn`, and so paths per app and action.
  private var hasPaths = false
  /// The line of the first row of each key, for reporting duplicates.
  private var firstLines: [Key: Int] = [:]
  private var rows: [AggregateFile.Row] = []
  /// The line of each row of `rows`.
  private var rowLines: [Int] = []
  private var hasBadRows = false

  init(
    displayPath: String, firstDay: CalendarDate, lastDay: CalendarDate, diagnostics: DiagnosticSink
  ) {
    self.displayPath = displayPath
    self.firstDay = firstDay
    self.lastDay = lastDay
    self.diagnostics = diagnostics
  }

  /// Finds the columns in the header.
  ///
  /// - Returns: `false` after reporting a header that cannot be used: bad syntax, a required
  ///   column missing, one bypass-day column without the other, or a column named twice.
  mutating func readHeader(_ header: CSVRecord) -> Bool {
    if let problem = header.problem {
      diagnostics.error(problem.message, at: location(header.line, problem.field ?? 0))
      return false
    }
    headerWidth = header.count
    let names = header.strings.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    var isUsable = true
    for column in AggregateFile.columns {
      let matches = names.indices.filter { names[$0] == column }
      for duplicate in matches.dropFirst() {
        diagnostics.error(
          "duplicate column '\(header.string(at: duplicate))' (also column \(matches[0] + 1))",
          at: location(header.line, duplicate + 1))
        isUsable = false
      }
      guard let first = matches.first else {
        if AggregateFile.requiredColumns.contains(column) {
          diagnostics.error("missing column '\(column)'", at: location(header.line))
          isUsable = false
        }
        continue
      }
      columnIndices[column] = first
    }

    // A file without the bypass-day columns is an older one, read with its slices undated; a
    // file with only one of them is a mistake.
    let present = AggregateFile.bypassDayColumns.filter { columnIndices[$0] != nil }
    hasBypassDays = present.count == AggregateFile.bypassDayColumns.count
    if let found = present.first, !hasBypassDays,
      let missing = AggregateFile.bypassDayColumns.first(where: { columnIndices[$0] == nil })
    {
      diagnostics.error(
        "missing column '\(missing)', which '\(found)' needs", at: location(header.line))
      isUsable = false
    }
    hasPaths = columnIndices[AggregateFile.pathColumn] != nil
    return isUsable
  }

  /// Checks one row; a good row is kept, a bad one reported.
  mutating func check(_ record: CSVRecord) {
    let line = record.line
    if let problem = record.problem {
      report(problem.message, line, problem.field ?? 0)
      return
    }
    guard record.count == headerWidth else {
      report(
        "row has \(record.count) \(record.count == 1 ? "field" : "fields"), the header has "
          + "\(headerWidth)", line)
      return
    }

    var isGood = true
    func field(_ column: String) -> (text: String, column: Int) {
      let index = columnIndices[column]!
      return (record.string(at: index), index + 1)
    }
    func fail(_ message: String, _ column: Int) {
      report(message, line, column)
      isGood = false
    }

    let control = field("control")
    if control.text.isEmpty {
      fail("missing value for 'control'", control.column)
    }
    let dimensionField = field("dimension")
    let dimension = AggregateFile.Dimension(rawValue: dimensionField.text.lowercased())
    if dimension == nil {
      fail(
        "unknown dimension \(quoted(dimensionField.text)); expected one of "
          + AggregateFile.Dimension.allCases.map(\.rawValue).joined(separator: ", "),
        dimensionField.column)
    }

    var numbers: [String: Int] = [:]
    for column in Self.countColumns + ["user_days"] {
      let (text, position) = field(column)
      if column == "user_days", let dimension {
        guard dimension.hasUserDays else {
          if !text.isEmpty {
            fail("user_days must be empty for dimension '\(dimension.rawValue)'", position)
          }
          continue
        }
      } else if column == "user_days" {
        continue
      }
      if text.isEmpty, column == "user_days", let dimension {
        fail("missing user_days for dimension '\(dimension.rawValue)'", position)
        continue
      }
      guard let number = Self.count(text) else {
        fail("\(column) \(quoted(text)) is not a non-negative integer", position)
        continue
      }
      guard number <= Self.largestCount else {
        fail("\(column) \(number) is more than ControlGap counts (10^15)", position)
        continue
      }
      numbers[column] = number
    }

    let value = field("value")
    let action = field("action")
    let path = hasPaths ? field(AggregateFile.pathColumn) : (text: "", column: 0)
    if let dimension {
      checkValue(value, action: action, of: dimension, fail: fail)
      checkPath(path, of: dimension, dimensionColumn: dimensionField.column, fail: fail)
    }
    if numbers.count == Self.countColumns.count + (dimension?.hasUserDays == true ? 1 : 0) {
      checkConsistency(numbers, fail: fail)
      if dimension == .appActionPath, numbers["challenges"] != numbers["bypasses"] {
        fail(
          "challenges (\(numbers["challenges"]!)) must equal bypasses (\(numbers["bypasses"]!)) "
            + "for dimension 'app_action_path'", columnIndices["challenges"]! + 1)
      }
    }
    let bypassDays =
      hasBypassDays
      ? checkBypassDays(
        first: field("first_bypass_day"), last: field("last_bypass_day"),
        bypasses: numbers["bypasses"], fail: fail)
      : nil

    guard isGood, let dimension else {
      hasBadRows = true
      return
    }
    let key = Key(
      control: control.text, dimension: dimension, value: value.text, action: action.text,
      path: path.text)
    if let first = firstLines[key] {
      report(
        "duplicate row for control \(quoted(control.text)), dimension '\(dimension.rawValue)'"
          + (dimension == .total ? "" : ", value \(quoted(value.text))")
          + (dimension == .appAction || dimension == .appActionPath
            ? ", action \(quoted(action.text))" : "")
          + (dimension == .appActionPath ? ", path \(quoted(path.text))" : "")
          + " (first on line \(first))", line)
      return
    }
    firstLines[key] = line
    rowLines.append(line)
    rows.append(
      AggregateFile.Row(
        control: control.text, dimension: dimension, value: value.text, action: action.text,
        path: path.text,
        counts: OutcomeCounts(
          challenges: numbers["challenges"]!, passes: numbers["passes"]!,
          failures: numbers["failures"]!, abandons: numbers["abandons"]!,
          bypasses: numbers["bypasses"]!, exceptionUses: numbers["exception_uses"]!,
          distinctUsers: numbers["distinct_users"]!, userDays: numbers["user_days"] ?? 0,
          riskDrivenBypasses: numbers["risk_driven_bypasses"]!,
          distinctBypassers: numbers["distinct_bypassers"]!, bypassDays: bypassDays)))
  }

  /// The aggregate of the rows read, or `nil` after reporting why there is none: a bad row, a
  /// control without its total, or bypasses by path that disagree with their app and action.
  func aggregate() -> TelemetryAggregate? {
    var byControl: [String: [AggregateFile.Row]] = [:]
    for row in rows {
      byControl[row.control, default: []].append(row)
    }
    var isComplete = !hasBadRows
    let controls = byControl.keys.sorted { $0.precedesInUTF8($1) }
    // A total row refused as a bad row has been reported already.
    for control in controls
    where !hasBadRows && !byControl[control]!.contains(where: { $0.dimension == .total }) {
      diagnostics.error(
        "control \(quoted(control)) has no total row", at: SourceLocation(path: displayPath))
      isComplete = false
    }
    if isComplete, hasPaths {
      isComplete = checkBypassPaths()
    }
    if isComplete {
      isComplete = checkPartitions(byControl, controls: controls)
    }
    guard isComplete else { return nil }

    let telemetry = controls.map { control in
      let rows = byControl[control]!
      func entries(_ dimension: AggregateFile.Dimension) -> [BreakdownEntry] {
        ControlTelemetry.ordered(
          rows.filter { $0.dimension == dimension }.map {
            BreakdownEntry(value: $0.value, counts: $0.counts)
          })
      }
      var paths: [[String]: [BreakdownEntry]] = [:]
      for row in rows where row.dimension == .appActionPath {
        paths[[row.value, row.action], default: []].append(
          BreakdownEntry(value: row.path, counts: row.counts))
      }
      return ControlTelemetry(
        control: control, total: rows.first { $0.dimension == .total }!.counts,
        daily: rows.filter { $0.dimension == .day }.map {
          DayCounts(date: CalendarDate(parsing: $0.value)!, counts: $0.counts)
        }
        .sorted { $0.date < $1.date },
        byApp: entries(.app), byRole: entries(.role), byLocation: entries(.location),
        byDevice: entries(.device), byAction: entries(.action),
        byAppAndAction: ControlTelemetry.ordered(
          rows.filter { $0.dimension == .appAction }.map { row in
            AppActionEntry(
              app: row.value, action: row.action, counts: row.counts,
              bypassPaths: hasPaths
                ? ControlTelemetry.ordered(paths[[row.value, row.action]] ?? []) : nil)
          }),
        byRisk: entries(.risk), byPath: entries(.path), byRiskReason: entries(.riskReason))
    }
    return TelemetryAggregate(
      firstDay: firstDay, lastDay: lastDay, controls: telemetry, outsideWindow: 0)
  }

  /// Checks that the `app_action_path` rows of each app and action share out exactly the
  /// bypasses of its `app_action` row, as every bypass took one path, reporting each row that
  /// does not at its line.
  ///
  /// - Returns: Whether every app and action agrees.
  private func checkBypassPaths() -> Bool {
    struct Pair: Hashable {
      var control: String
      var app: String
      var action: String
    }
    let bypassColumn = columnIndices["bypasses"]! + 1
    var appActions: [Pair: (bypasses: Int, line: Int)] = [:]
    for (row, line) in zip(rows, rowLines) where row.dimension == .appAction {
      appActions[Pair(control: row.control, app: row.value, action: row.action)] = (
        row.counts.bypasses, line
      )
    }

    var agree = true
    var byPath: [Pair: Int] = [:]
    for (row, line) in zip(rows, rowLines) where row.dimension == .appActionPath {
      let pair = Pair(control: row.control, app: row.value, action: row.action)
      guard let appAction = appActions[pair] else {
        diagnostics.error(
          "no app_action row for control \(quoted(row.control)), app \(quoted(row.value)), "
            + "action \(quoted(row.action))", at: location(line))
        agree = false
        continue
      }
      if row.counts.bypasses > appAction.bypasses {
        diagnostics.error(
          "bypasses (\(row.counts.bypasses)) exceed the \(appAction.bypasses) of the app_action "
            + "row on line \(appAction.line)", at: location(line, bypassColumn))
        agree = false
      }
      byPath[pair, default: 0] = byPath[pair, default: 0].saturatingAdding(row.counts.bypasses)
    }
    guard agree else { return false }

    // Every bypass took one path, none included, so the paths add up to the pair's bypasses.
    for (pair, appAction) in appActions.sorted(by: { $0.value.line < $1.value.line }) {
      let sum = byPath[pair, default: 0]
      if sum != appAction.bypasses {
        diagnostics.error(
          "bypasses (\(appAction.bypasses)) are not the sum of their app_action_path rows "
            + "(\(sum))", at: location(appAction.line, bypassColumn))
        agree = false
      }
    }
    return agree
  }

  /// The dimensions whose rows share out every event of a control exactly once.
  private static let partitions: [AggregateFile.Dimension] = [
    .day, .app, .role, .location, .device, .action, .risk, .path, .appAction,
  ]

  /// Checks that the rows of each dimension that splits a control's events add up to its
  /// total row (challenges and bypasses) and span the same bypass days, and that a day row's
  /// bypasses fall on that day: counts that disagree would make findings no total supports.
  ///
  /// - Returns: Whether every control agrees.
  private func checkPartitions(_ byControl: [String: [AggregateFile.Row]], controls: [String])
    -> Bool
  {
    var lineOfTotal: [String: Int] = [:]
    for (row, line) in zip(rows, rowLines) where row.dimension == .total {
      lineOfTotal[row.control] = line
    }
    var agree = true
    for (row, line) in zip(rows, rowLines) where row.dimension == .day {
      if let days = row.counts.bypassDays,
        days.lowerBound.description != row.value
          || days.upperBound.description != row.value
      {
        diagnostics.error(
          "bypass days \(days.lowerBound) to \(days.upperBound) are not the row's day "
            + row.value,
          at: location(line, columnIndices["first_bypass_day"].map { $0 + 1 } ?? 0))
        agree = false
      }
    }
    for control in controls {
      let rows = byControl[control]!
      guard let total = rows.first(where: { $0.dimension == .total })?.counts,
        let line = lineOfTotal[control]
      else { continue }
      for dimension in Self.partitions {
        let slices = rows.filter { $0.dimension == dimension }.map(\.counts)
        guard !slices.isEmpty else { continue }
        let challenges = slices.reduce(0) { $0.saturatingAdding($1.challenges) }
        let bypasses = slices.reduce(0) { $0.saturatingAdding($1.bypasses) }
        let first = slices.compactMap { $0.bypassDays?.lowerBound }.min()
        let last = slices.compactMap { $0.bypassDays?.upperBound }.max()
        var problem: String?
        if challenges != total.challenges || bypasses != total.bypasses {
          problem =
            "\(dimension.rawValue) rows add up to challenges \(challenges) and bypasses "
            + "\(bypasses), not the total row's \(total.challenges) and \(total.bypasses)"
        } else if hasBypassDays,
          first != total.bypassDays?.lowerBound
            || last != total.bypassDays?.upperBound
        {
          problem =
            "\(dimension.rawValue) rows span bypass days \(first?.description ?? "none") to "
            + "\(last?.description ?? "none"), not the total row's "
            + (total.bypassDays.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "none")
        }
        if let problem {
          diagnostics.error("control \(quoted(control)): \(problem)", at: location(line))
          agree = false
        }
      }
    }
    return agree
  }

  /// Checks the value and action of a row against what its dimension allows.
  private func checkValue(
    _ value: (text: String, column: Int), action: (text: String, column: Int),
    of dimension: AggregateFile.Dimension, fail: (String, Int) -> Void
  ) {
    let name = dimension.rawValue
    switch dimension {
    case .total:
      if !value.text.isEmpty {
        fail("value must be empty for dimension 'total'", value.column)
      }
    case .day:
      if let date = CalendarDate(parsing: value.text) {
        if date < firstDay || date > lastDay {
          fail("day \(date) is outside the period \(firstDay) to \(lastDay)", value.column)
        }
      } else {
        fail("day \(quoted(value.text)) is not a date in the form YYYY-MM-DD", value.column)
      }
    case .risk:
      if !ControlTally.riskValues.contains(value.text) {
        fail(
          "risk \(quoted(value.text)) is not one of "
            + ControlTally.riskValues.joined(separator: ", "), value.column)
      }
    case .riskReason:
      if TelemetryPolicy.RiskReason(rawValue: value.text) == nil {
        fail(
          "risk reason \(quoted(value.text)) is not one of "
            + TelemetryPolicy.RiskReason.allCases.map(\.rawValue).joined(separator: ", "),
          value.column)
      }
    case .app, .role, .location, .device, .action, .path, .appAction, .appActionPath:
      if value.text.isEmpty {
        fail("missing value for dimension '\(name)'", value.column)
      }
    }
    if dimension == .appAction || dimension == .appActionPath {
      if action.text.isEmpty {
        fail("missing action for dimension '\(name)'", action.column)
      }
    } else if !action.text.isEmpty {
      fail("action must be empty for dimension '\(name)'", action.column)
    }
  }

  /// Checks the path of a row: set for `app_action_path`, whose rows need the column, and
  /// empty for every other dimension.
  private func checkPath(
    _ path: (text: String, column: Int), of dimension: AggregateFile.Dimension,
    dimensionColumn: Int, fail: (String, Int) -> Void
  ) {
    guard hasPaths else {
      if dimension == .appActionPath {
        fail(
          "dimension 'app_action_path' needs column '\(AggregateFile.pathColumn)'",
          dimensionColumn)
      }
      return
    }
    if dimension == .appActionPath {
      if path.text.isEmpty {
        fail("missing path for dimension 'app_action_path'", path.column)
      }
    } else if !path.text.isEmpty {
      fail("path must be empty for dimension '\(dimension.rawValue)'", path.column)
    }
  }

  /// Reads the first and last bypass day of a row and checks them against the period and
  /// against the row's bypasses: both set when it has any, both empty when it has none.
  ///
  /// - Parameter bypasses: The row's bypasses, or `nil` when that field is bad, which leaves
  ///   whether the days belong unchecked.
  /// - Returns: The days, or `nil` when the row has none or they are bad.
  private func checkBypassDays(
    first: (text: String, column: Int), last: (text: String, column: Int), bypasses: Int?,
    fail: (String, Int) -> Void
  ) -> ClosedRange<CalendarDate>? {
    var dates: [CalendarDate] = []
    for (name, field) in zip(AggregateFile.bypassDayColumns, [first, last]) {
      if field.text.isEmpty {
        if let bypasses, bypasses > 0 {
          fail(
            "missing \(name) for a row with \(bypasses) "
              + (bypasses == 1 ? "bypass" : "bypasses"), field.column)
        }
        continue
      }
      guard let date = CalendarDate(parsing: field.text) else {
        fail(
          "\(name) \(quoted(field.text)) is not a date in the form YYYY-MM-DD", field.column)
        continue
      }
      if bypasses == 0 {
        fail("\(name) must be empty for a row without bypasses", field.column)
      } else if date < firstDay || date > lastDay {
        fail("\(name) \(date) is outside the period \(firstDay) to \(lastDay)", field.column)
      } else {
        dates.append(date)
      }
    }
    guard dates.count == 2 else { return nil }
    guard dates[0] <= dates[1] else {
      fail("last_bypass_day \(dates[1]) is before first_bypass_day \(dates[0])", last.column)
      return nil
    }
    return dates[0]...dates[1]
  }

  /// Checks that the counts of a row can describe real events.
  private func checkConsistency(
    _ numbers: [String: Int], fail: (String, Int) -> Void
  ) {
    func column(_ name: String) -> Int { columnIndices[name]! + 1 }
    let challenges = numbers["challenges"]!
    let bypasses = numbers["bypasses"]!
    guard bypasses <= challenges else {
      fail("bypasses (\(bypasses)) exceed challenges (\(challenges))", column("bypasses"))
      return
    }
    let outcomes = ["passes", "failures", "abandons", "bypasses", "exception_uses"]
      .reduce(0) { $0 + numbers[$1]! }
    if outcomes != challenges {
      fail(
        "outcome counts add up to \(outcomes), not the \(challenges) challenges",
        column("challenges"))
    }
    let riskDriven = numbers["risk_driven_bypasses"]!
    if riskDriven > bypasses {
      fail(
        "risk-driven bypasses (\(riskDriven)) exceed bypasses (\(bypasses))",
        column("risk_driven_bypasses"))
    }
    let users = numbers["distinct_users"]!
    if users > challenges {
      fail("distinct users (\(users)) exceed challenges (\(challenges))", column("distinct_users"))
    } else if users == 0, challenges > 0 {
      fail("\(challenges) challenges but no distinct users", column("distinct_users"))
    }
    let bypassers = numbers["distinct_bypassers"]!
    if bypassers > bypasses {
      fail(
        "distinct bypassers (\(bypassers)) exceed bypasses (\(bypasses))",
        column("distinct_bypassers"))
    } else if bypassers > users {
      fail(
        "distinct bypassers (\(bypassers)) exceed distinct users (\(users))",
        column("distinct_bypassers"))
    } else if bypassers == 0, bypasses > 0 {
      fail("\(bypasses) bypasses but no distinct bypassers", column("distinct_bypassers"))
    }
    if let userDays = numbers["user_days"] {
      if userDays < users {
        fail("user_days (\(userDays)) below distinct users (\(users))", column("user_days"))
      } else if userDays > challenges {
        fail("user_days (\(userDays)) exceed challenges (\(challenges))", column("user_days"))
      }
    }
  }

  /// The largest count a row may hold: far above any real quarter's events, and low enough
  /// that sums over every row and control stay within 64-bit integers.
  static let largestCount = 1_000_000_000_000_000

  /// A count: decimal digits only, no sign, no fraction.
  private static func count(_ text: String) -> Int? {
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return Int(text)
  }

  private func quoted(_ text: String) -> String {
    var text = text
    return text.withUTF8 { UnsafeRawBufferPointer($0).quotedForMessage }
  }

  private mutating func report(_ message: String, _ line: Int, _ column: Int = 0) {
    diagnostics.error(message, at: location(line, column))
    hasBadRows = true
  }

  private func location(_ line: Int, _ column: Int = 0) -> SourceLocation {
    SourceLocation(path: displayPath, line: line, column: column)
  }
}
