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
/// the app for `app_action` and the dimension's value otherwise. `action` is set only for
/// `app_action`, and `user_days` only for `total`, `risk` and `app_action`. `first_bypass_day`
/// and `last_bypass_day` are the first and last UTC day with a bypass in the row's slice, as
/// `YYYY-MM-DD`, and empty when it has none. Rows are sorted by control, dimension in
/// declaration order, value and action, comparing UTF-8 bytes; fields are quoted only where
/// RFC 4180 needs it; lines end in LF, the last one too.
///
/// The two bypass-day columns came after the others; a file without them is still read, its
/// counts without `OutcomeCounts.bypassDays`.
public enum AggregateFile {
  /// What the counts of a row are broken down by.
  public enum Dimension: String, Sendable, CaseIterable {
    case total, day, app, role, location, device, action, risk, path
    case riskReason = "risk_reason"
    case appAction = "app_action"

    /// Whether rows of the dimension carry user-days.
    public var hasUserDays: Bool {
      self == .total || self == .risk || self == .appAction
    }
  }

  /// The columns of the file, in the order ControlGap writes them.
  public static let columns = requiredColumns + bypassDayColumns

  /// The columns that every aggregate file has.
  public static let requiredColumns = [
    "control", "dimension", "value", "action", "challenges", "passes", "failures", "abandons",
    "bypasses", "exception_uses", "risk_driven_bypasses", "distinct_users", "distinct_bypassers",
    "user_days",
  ]

  /// The first and last day of each row's bypasses, which a file has both of or neither.
  public static let bypassDayColumns = ["first_bypass_day", "last_bypass_day"]

  /// The file's text for `aggregate`. Exception coverage is not part of the file.
  public static func csv(for aggregate: TelemetryAggregate) -> String {
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
      rows += telemetry.byAppAndAction.map {
        Row(
          control: telemetry.control, dimension: .appAction, value: $0.app, action: $0.action,
          counts: $0.counts)
      }
    }
    rows.sort(by: Row.precedes)

    var text = columns.joined(separator: ",") + "\n"
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
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }

  /// One row of the file.
  struct Row {
    var control: String
    var dimension: Dimension
    var value: String
    var action = ""
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
      return left.action.precedesInUTF8(right.action)
    }
  }
}

extension AggregateFile.Dimension {
  /// The position in `allCases`, which is the file's dimension order.
  var position: Int {
    Self.allCases.firstIndex(of: self)!
  }
}
