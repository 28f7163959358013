import Testing

@testable import ControlGapKit

/// The SQL handed to organisations that aggregate their events where they live.
@Suite("Aggregate query")
struct AggregateQueryTests {
  static let firstDay = CalendarDate(year: 2026, month: 10, day: 1)!
  static let lastDay = CalendarDate(year: 2026, month: 12, day: 31)!

  @Test("the standard policy's query reads the window, classifies bypasses and names every column")
  func standard() {
    let sql = AggregateQuery.sql(policy: .standard, firstDay: Self.firstDay, lastDay: Self.lastDay)
    let fragments = [
      "FROM access_events\n",
      "WHERE CAST(event_time AS DATE) BETWEEN DATE '2026-10-01' AND DATE '2026-12-31'",
      "COALESCE(NULLIF(role, ''), '(none)') AS role",
      "COALESCE(NULLIF(LOWER(risk), ''), 'unrated') AS risk",
      "CASE WHEN LOWER(outcome) = 'bypassed' AND LOWER(risk) = 'high' THEN 1 ELSE 0 END "
        + "AS high_risk_action",
      "CASE WHEN LOWER(outcome) = 'bypassed' AND 1 = 0 THEN 1 ELSE 0 END AS unmanaged_device",
      "CASE WHEN LOWER(outcome) = 'bypassed' AND 1 = 0 THEN 1 ELSE 0 END AS unusual_location",
      "path <> '' AND (STRPOS(LOWER(path), 'service account') > 0 OR "
        + "STRPOS(LOWER(path), 'service-account') > 0",
      "SELECT control, 'day' AS dimension, CAST(day AS VARCHAR) AS value,",
      "SELECT control, 'risk_reason' AS dimension, 'machine-identity' AS value, '' AS action,",
      "COUNT(DISTINCT bypasser) AS distinct_bypassers,\n",
      "COUNT(*) AS user_days",
      "GROUP BY control, app, action, user_id, day",
    ]
    for fragment in fragments {
      #expect(sql.contains(fragment), "\(fragment)")
    }
    #expect(sql.components(separatedBy: "UNION ALL").count == 15)
    #expect(sql.hasSuffix("GROUP BY control, app, action, path\n"))
    #expect(!sql.contains("STRING"))
  }

  @Test("policy lists become lowercase literals, escaped for DuckDB and Trino")
  func literals() {
    let policy = TelemetryPolicy(
      unmanagedDevices: ["Bob's Phone", #"back\slash"#], usualLocations: ["O'Hare", "HQ"],
      machineIdentityMarkers: ["svc'", "100%_bot"])
    let sql = AggregateQuery.sql(
      policy: policy, firstDay: Self.firstDay, lastDay: Self.lastDay, dialect: .trino)
    #expect(sql.contains(#"device <> '' AND LOWER(device) IN ('bob''s phone', 'back\slash')"#))
    #expect(sql.contains("location <> '' AND LOWER(location) NOT IN ('o''hare', 'hq')"))
    #expect(
      sql.contains(
        "path <> '' AND (STRPOS(LOWER(path), 'svc''') > 0 OR STRPOS(LOWER(path), '100%_bot') > 0)"
      ))
    #expect(sql.contains("CAST(day AS VARCHAR) AS value"))
  }

  @Test("BigQuery and Spark escape quotes and backslashes with a backslash")
  func backslashDialects() {
    let policy = TelemetryPolicy(
      unmanagedDevices: [#"x\' OR 1=1 -- "#], machineIdentityMarkers: ["it's"])
    let spark = AggregateQuery.sql(
      policy: policy, firstDay: Self.firstDay, lastDay: Self.lastDay, dialect: .spark)
    #expect(spark.contains(#"LOWER(device) IN ('x\\\' or 1=1 -- ')"#))
    #expect(spark.contains(#"INSTR(LOWER(path), 'it\'s') > 0"#))
    #expect(spark.contains("CAST(day AS STRING) AS value"))
    let bigquery = AggregateQuery.sql(
      policy: policy, firstDay: Self.firstDay, lastDay: Self.lastDay, dialect: .bigquery)
    #expect(bigquery.contains(#"STRPOS(LOWER(path), 'it\'s') > 0"#))
  }

  @Test("every select dates its bypasses and names a path: Spark's last two selects in full")
  func bypassDays() throws {
    let sql = AggregateQuery.sql(
      policy: .standard, firstDay: Self.firstDay, lastDay: Self.lastDay, dialect: .spark)
    #expect(sql.contains("    CASE WHEN outcome = 'bypassed' THEN day END AS bypass_day\n"))
    let columns =
      "  CAST(MIN(bypass_day) AS STRING) AS first_bypass_day,\n"
      + "  CAST(MAX(bypass_day) AS STRING) AS last_bypass_day,\n"
    // One pair in each of the 15 selects, and an empty path in all but the last.
    #expect(sql.components(separatedBy: columns).count == 16)
    #expect(sql.components(separatedBy: columns + "  '' AS path\n").count == 15)
    let selects = sql.components(separatedBy: "UNION ALL\n")
    #expect(
      selects.last == """
        SELECT control, 'app_action_path' AS dimension, app AS value, action AS action,
          COUNT(*) AS challenges,
          SUM(CASE WHEN outcome = 'passed' THEN 1 ELSE 0 END) AS passes,
          SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failures,
          SUM(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandons,
          SUM(CASE WHEN outcome = 'bypassed' THEN 1 ELSE 0 END) AS bypasses,
          SUM(CASE WHEN outcome = 'exception' THEN 1 ELSE 0 END) AS exception_uses,
          SUM(risk_driven) AS risk_driven_bypasses,
          COUNT(DISTINCT user_id) AS distinct_users,
          COUNT(DISTINCT bypasser) AS distinct_bypassers,
          CAST(NULL AS BIGINT) AS user_days,
          CAST(MIN(bypass_day) AS STRING) AS first_bypass_day,
          CAST(MAX(bypass_day) AS STRING) AS last_bypass_day,
          path AS path
        FROM classified
        WHERE outcome = 'bypassed'
        GROUP BY control, app, action, path

        """)
    let appAction = selects[selects.count - 2]
    #expect(
      appAction == """
        SELECT control, 'app_action' AS dimension, app AS value, action AS action,
          SUM(challenges) AS challenges, SUM(passes) AS passes, SUM(failures) AS failures,
          SUM(abandons) AS abandons, SUM(bypasses) AS bypasses,
          SUM(exception_uses) AS exception_uses, SUM(risk_driven_bypasses) AS risk_driven_bypasses,
          COUNT(DISTINCT user_id) AS distinct_users,
          COUNT(DISTINCT bypasser) AS distinct_bypassers,
          COUNT(*) AS user_days,
          CAST(MIN(bypass_day) AS STRING) AS first_bypass_day,
          CAST(MAX(bypass_day) AS STRING) AS last_bypass_day,
          '' AS path
        FROM (
          SELECT control, app, action, user_id, day,
          COUNT(*) AS challenges,
          SUM(CASE WHEN outcome = 'passed' THEN 1 ELSE 0 END) AS passes,
          SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failures,
          SUM(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END) AS abandons,
          SUM(CASE WHEN outcome = 'bypassed' THEN 1 ELSE 0 END) AS bypasses,
          SUM(CASE WHEN outcome = 'exception' THEN 1 ELSE 0 END) AS exception_uses,
          SUM(risk_driven) AS risk_driven_bypasses,
          MAX(bypasser) AS bypasser,
          MAX(bypass_day) AS bypass_day
          FROM classified
          GROUP BY control, app, action, user_id, day
        ) user_days_app_action
        GROUP BY control, app, action

        """)
  }
}
