/// The SQL that computes an aggregate file where the events live, for organisations whose
/// events are too many to export.
///
/// The query reads a table `access_events` with the columns `event_time` (a `TIMESTAMP` in
/// UTC), `user_id`, `control`, `app`, `role`, `location`, `device`, `action`, `risk`, `outcome`
/// and `path`, all text but the first, and returns the rows of `AggregateFile` with its column
/// names, in no particular order: `AggregateFileReader` does not need one. Its
/// `app_action_path` rows count only bypasses, so their challenges are their bypasses. It is a `UNION ALL`
/// of plain `GROUP BY` queries using only `CASE`, `LOWER`, `COALESCE`, `NULLIF`, `LIKE`,
/// `COUNT(DISTINCT …)` and `CAST`, so that Spark SQL, Trino, BigQuery and DuckDB all run it.
///
/// It counts exactly what `EventAggregator` counts, given these assumptions:
/// - The day of an event is `CAST(event_time AS DATE)`. That is its UTC day only when the
///   session time zone is UTC (Spark, DuckDB with `TIMESTAMPTZ`) or `event_time` has no zone.
/// - Rows that ControlGap would report as bad are left out: an empty or `NULL` user, control,
///   app or action, an outcome other than the five it knows, a risk other than low, medium or
///   high. Empty text counts as missing, as in the reader.
/// - The policy's lists are compared with `LOWER`, which in SQL also folds letters outside
///   ASCII, where ControlGap folds only ASCII ones; lists and values in ASCII agree.
/// - A machine-identity marker is found with the dialect's substring function, never with
///   `LIKE`, so that no character in a marker acts as a wildcard.
/// - Distinct people are counted by `user_id` as stored; ControlGap counts them by a keyed
///   hash, which tells the same people apart.
public enum AggregateQuery {
  /// The engines the query is written for. They differ in three small ways only: the name of
  /// the text type, how a quote or backslash is written inside a string literal, and the
  /// function that finds text inside text.
  public enum Dialect: String, Sendable, CaseIterable {
    case bigquery, duckdb, spark, trino

    var textType: String {
      switch self {
      case .bigquery, .spark: "STRING"
      case .duckdb, .trino: "VARCHAR"
      }
    }

    /// A string literal holding exactly `text`. BigQuery and Spark read a backslash inside a
    /// literal as an escape, so there both the backslash and the quote are escaped with one;
    /// DuckDB and Trino take backslashes as they are and double the quote.
    func literal(_ text: String) -> String {
      switch self {
      case .bigquery, .spark:
        "'"
          + text.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "'", with: "\\'") + "'"
      case .duckdb, .trino:
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
      }
    }

    /// A test that `column` holds `literal` anywhere, with no wildcards.
    func contains(_ column: String, _ literal: String) -> String {
      switch self {
      case .spark: "INSTR(\(column), \(literal)) > 0"
      case .bigquery, .duckdb, .trino: "STRPOS(\(column), \(literal)) > 0"
      }
    }
  }

  /// The query for the events of the UTC days from `firstDay` through `lastDay`.
  ///
  /// - Parameters:
  ///   - policy: How bypasses are classified; its lists are written into the query as string
  ///     literals.
  ///   - dialect: The engine that runs the query.
  /// - Returns: The query text, ending in a newline.
  public static func sql(
    policy: TelemetryPolicy, firstDay: CalendarDate, lastDay: CalendarDate,
    dialect: Dialect = .duckdb
  ) -> String {
    let textType = dialect.textType
    func listTest(_ column: String, _ list: [String], negated: Bool) -> String {
      Self.listTest(column, list, negated: negated, dialect: dialect)
    }
    func markerTest(_ markers: [String]) -> String {
      Self.markerTest(markers, dialect: dialect)
    }
    let reasons = [
      ("high_risk_action", "LOWER(risk) = 'high'"),
      ("unmanaged_device", listTest("device", policy.unmanagedDevices, negated: false)),
      ("unusual_location", listTest("location", policy.usualLocations, negated: true)),
      ("machine_identity", markerTest(policy.machineIdentityMarkers)),
    ]
    let reasonColumns = reasons.map { name, test in
      "    CASE WHEN LOWER(outcome) = 'bypassed' AND \(test) THEN 1 ELSE 0 END AS \(name)"
    }

    let events = """
      WITH events AS (
        SELECT
          user_id,
          control,
          CAST(event_time AS DATE) AS day,
          app,
          COALESCE(NULLIF(role, ''), '(none)') AS role,
          COALESCE(NULLIF(location, ''), '(none)') AS location,
          COALESCE(NULLIF(device, ''), '(none)') AS device,
          action,
          COALESCE(NULLIF(LOWER(risk), ''), 'unrated') AS risk,
          LOWER(outcome) AS outcome,
          COALESCE(NULLIF(path, ''), '(none)') AS path,
      \(reasonColumns.joined(separator: ",\n"))
        FROM access_events
        WHERE CAST(event_time AS DATE) BETWEEN DATE '\(firstDay)' AND DATE '\(lastDay)'
          AND user_id <> '' AND control <> '' AND app <> '' AND action <> ''
          AND LOWER(outcome) IN ('passed', 'failed', 'abandoned', 'bypassed', 'exception')
          AND (risk IS NULL OR risk = '' OR LOWER(risk) IN ('low', 'medium', 'high'))
      ),
      classified AS (
        SELECT
          events.*,
          CASE WHEN \(reasons.map { "\($0.0) = 1" }.joined(separator: " OR "))
            THEN 1 ELSE 0 END AS risk_driven,
          CASE WHEN outcome = 'bypassed' THEN user_id END AS bypasser,
          CASE WHEN outcome = 'bypassed' THEN day END AS bypass_day
        FROM events
      )

      """

    let slices: [(dimension: String, value: String, action: String, groups: [String])] = [
      ("day", "CAST(day AS \(textType))", "''", ["day"]),
      ("app", "app", "''", ["app"]),
      ("role", "role", "''", ["role"]),
      ("location", "location", "''", ["location"]),
      ("device", "device", "''", ["device"]),
      ("action", "action", "''", ["action"]),
      ("path", "path", "''", ["path"]),
    ]
    // Every select but the one by path ends in an empty path.
    let bypassDays = bypassDayColumns(textType: textType) + ",\n  '' AS path"
    func userDaySelect(dimension: String, value: String, action: String, groups: [String])
      -> String
    {
      Self.userDaySelect(
        dimension: dimension, value: value, action: action, groups: groups,
        bypassDays: bypassDays)
    }
    var selects = [userDaySelect(dimension: "total", value: "''", action: "''", groups: [])]
    selects += slices.map { slice in
      """
      SELECT control, '\(slice.dimension)' AS dimension, \(slice.value) AS value,
        \(slice.action) AS action,
      \(countColumns),
        CAST(NULL AS BIGINT) AS user_days,
      \(bypassDays)
      FROM classified
      GROUP BY control, \(slice.groups.joined(separator: ", "))
      """
    }
    selects.append(userDaySelect(dimension: "risk", value: "risk", action: "''", groups: ["risk"]))
    selects += reasons.enumerated().map { index, reason in
      """
      SELECT control, 'risk_reason' AS dimension, \
      '\(TelemetryPolicy.RiskReason.allCases[index].rawValue)' AS value, '' AS action,
        COUNT(*) AS challenges, 0 AS passes, 0 AS failures, 0 AS abandons, COUNT(*) AS bypasses,
        0 AS exception_uses, COUNT(*) AS risk_driven_bypasses,
        COUNT(DISTINCT user_id) AS distinct_users, COUNT(DISTINCT user_id) AS distinct_bypassers,
        CAST(NULL AS BIGINT) AS user_days,
      \(bypassDays)
      FROM classified
      WHERE \(reason.0) = 1
      GROUP BY control
      """
    }
    selects.append(
      userDaySelect(
        dimension: "app_action", value: "app", action: "action", groups: ["app", "action"]))
    selects.append(
      """
      SELECT control, 'app_action_path' AS dimension, app AS value, action AS action,
      \(countColumns),
        CAST(NULL AS BIGINT) AS user_days,
      \(bypassDayColumns(textType: textType)),
        path AS path
      FROM classified
      WHERE outcome = 'bypassed'
      GROUP BY control, app, action, path
      """)
    return events + selects.joined(separator: "\nUNION ALL\n") + "\n"
  }

  /// The counts of every select that counts events directly.
  private static let countColumns = """
      COUNT(*) AS challenges,
      SUM(CASE WHEN outcome = 'passed' THEN 1 ELSE 0 END) AS passes,
      SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failures,
      SUM(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandons,
      SUM(CASE WHEN outcome = 'bypassed' THEN 1 ELSE 0 END) AS bypasses,
      SUM(CASE WHEN outcome = 'exception' THEN 1 ELSE 0 END) AS exception_uses,
      SUM(risk_driven) AS risk_driven_bypasses,
      COUNT(DISTINCT user_id) AS distinct_users,
      COUNT(DISTINCT bypasser) AS distinct_bypassers
    """

  /// The first and last day of the bypasses in each group, as text in the form `YYYY-MM-DD`;
  /// `NULL` for a group without bypasses, as `MIN` and `MAX` skip `NULL`.
  private static func bypassDayColumns(textType: String) -> String {
    """
      CAST(MIN(bypass_day) AS \(textType)) AS first_bypass_day,
      CAST(MAX(bypass_day) AS \(textType)) AS last_bypass_day
    """
  }

  /// A select for a dimension with user-days: events are first grouped per person and day
  /// within each slice, so that the slice's user-days are the number of those groups.
  ///
  /// - Parameter bypassDays: The columns of `bypassDayColumns(textType:)`, which read the
  ///   `bypass_day` of each person-and-day group.
  private static func userDaySelect(
    dimension: String, value: String, action: String, groups: [String], bypassDays: String
  ) -> String {
    let keys = (["control"] + groups).joined(separator: ", ")
    return """
      SELECT control, '\(dimension)' AS dimension, \(value) AS value, \(action) AS action,
        SUM(challenges) AS challenges, SUM(passes) AS passes, SUM(failures) AS failures,
        SUM(abandons) AS abandons, SUM(bypasses) AS bypasses,
        SUM(exception_uses) AS exception_uses, SUM(risk_driven_bypasses) AS risk_driven_bypasses,
        COUNT(DISTINCT user_id) AS distinct_users,
        COUNT(DISTINCT bypasser) AS distinct_bypassers,
        COUNT(*) AS user_days,
      \(bypassDays)
      FROM (
        SELECT \(keys), user_id, day,
      \(countColumns.replacingOccurrences(of: "  COUNT(DISTINCT user_id) AS distinct_users,\n", with: "")
        .replacingOccurrences(
          of: "COUNT(DISTINCT bypasser) AS distinct_bypassers", with: "MAX(bypasser) AS bypasser")),
        MAX(bypass_day) AS bypass_day
        FROM classified
        GROUP BY \(keys), user_id, day
      ) user_days_\(dimension)
      GROUP BY \(keys)
      """
  }

  /// A test that a column's value, lowercased, is in the list, or with `negated` that it is
  /// set and not in it. An empty list never matches.
  private static func listTest(
    _ column: String, _ list: [String], negated: Bool, dialect: Dialect
  ) -> String {
    guard !list.isEmpty else { return "1 = 0" }
    let literals = list.map { dialect.literal($0.lowercased()) }.joined(separator: ", ")
    return "\(column) <> '' AND LOWER(\(column)) \(negated ? "NOT IN" : "IN") (\(literals))"
  }

  /// A test that the path is set and holds one of the markers, ignoring letter case.
  private static func markerTest(_ markers: [String], dialect: Dialect) -> String {
    guard !markers.isEmpty else { return "1 = 0" }
    let tests = markers.map { dialect.contains("LOWER(path)", dialect.literal($0.lowercased())) }
    return "path <> '' AND (\(tests.joined(separator: " OR ")))"
  }
}
