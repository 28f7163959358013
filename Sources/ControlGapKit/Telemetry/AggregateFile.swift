/// The aggregate of access events as a CSV file: the counts a `TelemetryAggregate` holds, one
/// row per control, dimension and value.
///
/// The file is how events that ControlGap never sees reach it: an organisation runs
/// `AggregateQuery` where its events live and hands over the result, and ControlGap reads it
/// with `AggregateFileReader`. ControlGap writes the same file from events it counted itself,
/// so both routes can be compared byte for byte.
///
/// The header is `AggregateFile.columns` joined by commas. `dimension` is one of
/// `AggregateFile.Dimension`; `value` is empty for `total`, a `YYYY-MM-DD` UTC day for `day`,
/// the app for `app_action` and `app_action_path` and the dimension's value otherwise. `action`
/// is set only for those two, `path` only for `app_action_path`, and `user_days` only for
/// `total`, `risk` and `app_action`. An `app_action_path` row counts only the bypasses of its
/// app and action that took its path, so its challenges are its bypasses. `first_bypass_day`
/// and `last_bypass_day` are the first and last UTC day with a bypass in the row's slice, as
/// `YYYY-MM-DD`, and empty when it has none. Rows are sorted by control, dimension in
/// declaration order, value, action and path, comparing UTF-8 bytes; fields are quoted only
/// where RFC 4180 needs it; lines end in LF, the last one too.
///
/// The two bypass-day columns came after the others, and `path` after them; a file without
/// them is still read, its counts without `OutcomeCounts.bypassDays`, or its app-and-action
/// entries without `AppActionEntry.bypassPaths`.
public enum AggregateFile {
  /// What the counts of a row are broken down by.
  public enum Dimension: String, Sendable, CaseIterable {
    case total, day, app, role, location, device, action, risk, path
    case riskReason = "risk_reason"
    case appAction = "app_action"
    case appActionPath = "app_action_path"

    /// Whether rows of the dimension carry user-days.
    public var hasUserDays: Bool {
      self == .total || self == .risk || self == .appAction
    }
  }

  /// The columns of the file, in the order ControlGap writes them.
  public static let columns = requiredColumns + bypassDayColumns + [pathColumn]

  /// The columns that every aggregate file has.
  public static let requiredColumns = [
    "control", "dimension", "value", "action", "challenges", "passes", "failures", "abandons",
    "bypasses", "exception_uses", "risk_driven_bypasses", "distinct_users", "distinct_bypassers",
    "user_days",
  ]

  /// The first and last day of each row's bypasses, which a file has both of or neither.
  public static let bypassDayColumns = ["first_bypass_day", "last_bypass_day"]

  /// The path of the bypasses of an `app_action_path` row.
  public static let pathColumn = "path"

  /// The file's text for `aggregate`. Exception coverage is not part of the file.
  ///
  /// An aggregate read from a file without paths per app and action is written without the
  /// `path` column, as such a file is, rather than with rows that would say no bypass had one.
  public static func csv(for aggregate: TelemetryAggregate) -> String {
    let hasPaths = aggregate.controls.allSatisfy {
      $0.byAppAndAction.allSatisfy { $0.bypassPaths != nil }
    }
    var rows: [Row] = []
    for telemetry in aggregate.controls {
      func add(_ dimension: Dimension, _ entries: [BreakdownEntry]) {
        rows += entries.map {
          Row(control: telemetry.control, dimension: dimension, value: $0.value, counts: $0.counts)
        }
      }
      add(.total, [BreakdownEntry(value: "", counts: telemetry.total)])
      add(
        .day, telemetry.daily.map { BreakdownEntry(value: $0.date.description, counts: $0.counts) })
      add(.app, telemetry.byApp)
      add(.role, telemetry.byRole)
      add(.location, telemetry.byLocation)
      add(.device, telemetry.byDevice)
      add(.action, telemetry.byAction)
      add(.risk, telemetry.byRisk)
      add(.path, telemetry.byPath)
      add(.riskReason, telemetry.byRiskReason)
      for entry in telemetry.byAppAndAction {
        rows.append(
          Row(
            control: telemetry.control, dimension: .appAction, value: entry.app,
            action: entry.action, counts: entry.counts))
        rows += (entry.bypassPaths ?? []).map {
          Row(
            control: telemetry.control, dimension: .appActionPath, value: entry.app,
            action: entry.action, path: $0.value, counts: $0.counts)
        }
      }
    }
    rows.sort(by: Row.precedes)

    var text = (hasPaths ? columns : columns.dropLast()).joined(separator: ",") + "\n"
    for row in rows {
      let counts = row.counts
      let fields = [
        CSVEscaping.escape(row.control), row.dimension.rawValue, CSVEscaping.escape(row.value),
        CSVEscaping.escape(row.action), String(counts.challenges), String(counts.passes),
        String(counts.failures), String(counts.abandons), String(counts.bypasses),
        String(counts.exceptionUses), String(counts.riskDrivenBypasses),
        String(counts.distinctUsers), String(counts.distinctBypassers),
        row.dimension.hasUserDays ? String(counts.userDays) : "",
        counts.bypassDays?.lowerBound.description ?? "",
        counts.bypassDays?.upperBound.description ?? "",
      ]
      text +=
        (hasPaths ? fields + [CSVEscaping.escape(row.path)] : fields).joined(separator: ",") + "\n"
    }
    return text
  }

  /// One row of the file.
  struct Row {
    var control: String
    var dimension: Dimension
    var value: String
    var action = ""
    var path = ""
    var counts: OutcomeCounts

    /// The file's row order.
    static func precedes(_ left: Row, _ right: Row) -> Bool {
      if !left.control.utf8.elementsEqual(right.control.utf8) {
        return left.control.precedesInUTF8(right.control)
      }
      if left.dimension != right.dimension {
        return left.dimension.position < right.dimension.position
      }
      if !left.value.utf8.elementsEqual(right.value.utf8) {
        return left.value.precedesInUTF8(right.value)
      }
      if !left.action.utf8.elementsEqual(right.action.utf8) {
        return left.action.precedesInUTF8(right.action)
      }
      return left.path.precedesInUTF8(right.path)
    }
  }
}

extension AggregateFile.Dimension {
  /// The position in `allCases`, which is the file's dimension order.
  var position: Int {
    Self.allCases.firstIndex(of: self)!
  }
}
