import Foundation
import Testing

@testable import ControlGapKit

/// The aggregate file: counting an export straight from its bytes, writing the file, reading
/// it back, and every kind of bad row with its exact message.
@Suite("Aggregate files")
struct AggregateFileTests {
  static let policy = TelemetryPolicy(
    unmanagedDevices: ["byod"], usualLocations: ["office", "home"])
  static let exceptions = [
    ExceptionScope(
      id: "EX-1", control: "C-1", app: "crm", expires: CalendarDate(year: 2026, month: 10, day: 2))
  ]

  static func aggregator() -> EventAggregator {
    EventAggregator(
      pseudonymiser: BypassClassificationTests.pseudonymiser,
      firstDay: BypassClassificationTests.firstDay, lastDay: BypassClassificationTests.lastDay,
      policy: policy, exceptions: exceptions)
  }

  /// An export with good rows, rows that are bad in several ways, values to quote, and an
  /// event outside the window.
  static let export =
    AccessEventReaderTests.header
    + "2026-10-02T08:00:00Z,alice,C-1,crm,analyst,office,laptop,view,low,passed,\n"
    + "2026-10-02T09:00:00Z,alice,C-1,crm,analyst,cafe,byod,export,HIGH,Bypassed,service account\n"
    + "2026-10-03T09:00:00+02:00,bob,C-1,crm,,\"Lyon, \"\"Part-Dieu\"\"\",,export,,bypassed,\n"
    + "2026-10-03T10:00:00Z,bob,C-1,erp,admin,home,laptop,admin,medium,exception,\n"
    + "2026-10-03T11:00:00Z,carol,C-2,erp,,,,view,,abandoned,\n"
    + "2026-10-04T11:00:00Z,carol,C-2,erp,,,,view,,maybe,\n"
    + "2026-10-04T11:00:00Z,carol,C-2,erp\n"
    + "2026-09-30T23:00:00Z,carol,C-2,erp,,,,view,,passed,\n"
    + "2026-10-05T12:00:00Z,,C-2,erp,,,,view,,passed,\n"

  /// What counting the export gives, with the diagnostics and the read summary.
  struct Counted: Equatable {
    var aggregate: TelemetryAggregate
    var lines: [String]
    var summary: AccessEventReader.ReadSummary
  }

  static func countSlowly(_ text: String, path: String = "events/okta.csv") throws -> Counted {
    var aggregator = aggregator()
    let collector = DiagnosticCollector()
    let summary = try AccessEventReader().read(
      bytes: Array(text.utf8), displayPath: path, format: AccessEventReader.Format(path: path)!,
      diagnostics: collector
    ) { aggregator.add($0) }
    return Counted(
      aggregate: aggregator.result(), lines: collector.diagnostics.map(\.description),
      summary: summary)
  }

  static func countFast(_ text: String, path: String = "events/okta.csv") throws -> Counted {
    var aggregator = aggregator()
    let collector = DiagnosticCollector()
    let summary = try aggregator.addEvents(
      fromBytes: Array(text.utf8), displayPath: path,
      format: AccessEventReader.Format(path: path)!, diagnostics: collector)
    return Counted(
      aggregate: aggregator.result(), lines: collector.diagnostics.map(\.description),
      summary: summary)
  }

  static func read(
    _ text: String, firstDay: CalendarDate = BypassClassificationTests.firstDay
  ) -> (aggregate: TelemetryAggregate?, lines: [String]) {
    let collector = DiagnosticCollector()
    let reader = AggregateFileReader(
      firstDay: firstDay, lastDay: BypassClassificationTests.lastDay)
    let aggregate = try? reader.read(
      bytes: Array(text.utf8), displayPath: "aggregate.csv", diagnostics: collector)
    return (aggregate, collector.diagnostics.map(\.description))
  }

  // MARK: Counting an export

  @Test("counting an export from its bytes equals counting its events one by one")
  func fastEqualsSlow() throws {
    let fast = try Self.countFast(Self.export)
    #expect(fast == (try Self.countSlowly(Self.export)))
    #expect(fast.summary == AccessEventReader.ReadSummary(events: 6, badRows: 3))
    #expect(
      fast.lines == [
        "events/okta.csv:7:10: warning: outcome 'maybe' is not one of passed, failed, abandoned, "
          + "bypassed, exception",
        "events/okta.csv:8: warning: row has 4 fields, the header has 11",
        "events/okta.csv:10:2: warning: missing value for required field 'user'",
      ])
    #expect(fast.aggregate.outsideWindow == 1)
    #expect(
      fast.aggregate.exceptionUsage == [
        ExceptionUsage(
          id: "EX-1", uses: 1, usesAfterExpiry: 1,
          lastUse: CalendarDate(year: 2026, month: 10, day: 3)!)
      ])
    #expect(fast.aggregate.telemetry(for: "C-1")?.uncoveredBypasses == 1)
    #expect(fast.aggregate.telemetry(for: "C-1")?.unregisteredExceptionUses == 1)
  }

  @Test("counting JSON Lines from their bytes equals counting their events one by one")
  func fastEqualsSlowForJSONLines() throws {
    let text = """
      {"timestamp":"2026-10-02T08:00:00Z","user":"alice","control":"C-1","app":"crm","action":"view","outcome":"passed"}
      {"timestamp":"2026-10-02T09:00:00Z","user":"alice","control":"C-1","app":"crm","action":"export","risk":"high","outcome":"bypassed","device":"BYOD"}
      {"timestamp":"2026-10-02T09:00:00Z","user":"bob","control":"C-1","app":"crm","action":"export","outcome":"nope"}
      {"timestamp":"2026-10-03T09:00:00Z","user":"bob","control":"C-1","app":"crm","action":"export","outcome":"bypassed","path":"api key"}

      """
    let fast = try Self.countFast(text, path: "events/siem.jsonl")
    #expect(fast == (try Self.countSlowly(text, path: "events/siem.jsonl")))
    #expect(fast.summary == AccessEventReader.ReadSummary(events: 3, badRows: 1))
    #expect(fast.aggregate.telemetry(for: "C-1")?.total.riskDrivenBypasses == 2)
  }

  // MARK: Writing

  @Test("writes one row per control, dimension and value, sorted, quoting only where needed")
  func writes() throws {
    let file = AggregateFile.csv(for: try Self.countFast(Self.export).aggregate)
    #expect(
      file == #"""
        control,dimension,value,action,challenges,passes,failures,abandons,bypasses,\#
        exception_uses,risk_driven_bypasses,distinct_users,distinct_bypassers,user_days,\#
        first_bypass_day,last_bypass_day,path
        C-1,total,,,4,1,0,0,2,1,2,2,2,2,2026-10-02,2026-10-03,
        C-1,day,2026-10-02,,2,1,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,day,2026-10-03,,2,0,0,0,1,1,1,1,1,,2026-10-03,2026-10-03,
        C-1,app,crm,,3,1,0,0,2,0,2,2,2,,2026-10-02,2026-10-03,
        C-1,app,erp,,1,0,0,0,0,1,0,1,0,,,,
        C-1,role,(none),,1,0,0,0,1,0,1,1,1,,2026-10-03,2026-10-03,
        C-1,role,admin,,1,0,0,0,0,1,0,1,0,,,,
        C-1,role,analyst,,2,1,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,location,"Lyon, ""Part-Dieu""",,1,0,0,0,1,0,1,1,1,,2026-10-03,2026-10-03,
        C-1,location,cafe,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,location,home,,1,0,0,0,0,1,0,1,0,,,,
        C-1,location,office,,1,1,0,0,0,0,0,1,0,,,,
        C-1,device,(none),,1,0,0,0,1,0,1,1,1,,2026-10-03,2026-10-03,
        C-1,device,byod,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,device,laptop,,2,1,0,0,0,1,0,2,0,,,,
        C-1,action,admin,,1,0,0,0,0,1,0,1,0,,,,
        C-1,action,export,,2,0,0,0,2,0,2,2,2,,2026-10-02,2026-10-03,
        C-1,action,view,,1,1,0,0,0,0,0,1,0,,,,
        C-1,risk,high,,1,0,0,0,1,0,1,1,1,1,2026-10-02,2026-10-02,
        C-1,risk,low,,1,1,0,0,0,0,0,1,0,1,,,
        C-1,risk,medium,,1,0,0,0,0,1,0,1,0,1,,,
        C-1,risk,unrated,,1,0,0,0,1,0,1,1,1,1,2026-10-03,2026-10-03,
        C-1,path,(none),,3,1,0,0,1,1,1,2,1,,2026-10-03,2026-10-03,
        C-1,path,service account,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,risk_reason,high-risk-action,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,risk_reason,machine-identity,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,risk_reason,unmanaged-device,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,
        C-1,risk_reason,unusual-location,,2,0,0,0,2,0,2,2,2,,2026-10-02,2026-10-03,
        C-1,app_action,crm,export,2,0,0,0,2,0,2,2,2,2,2026-10-02,2026-10-03,
        C-1,app_action,crm,view,1,1,0,0,0,0,0,1,0,1,,,
        C-1,app_action,erp,admin,1,0,0,0,0,1,0,1,0,1,,,
        C-1,app_action_path,crm,export,1,0,0,0,1,0,1,1,1,,2026-10-03,2026-10-03,(none)
        C-1,app_action_path,crm,export,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,service account
        C-2,total,,,1,0,0,1,0,0,0,1,0,1,,,
        C-2,day,2026-10-03,,1,0,0,1,0,0,0,1,0,,,,
        C-2,app,erp,,1,0,0,1,0,0,0,1,0,,,,
        C-2,role,(none),,1,0,0,1,0,0,0,1,0,,,,
        C-2,location,(none),,1,0,0,1,0,0,0,1,0,,,,
        C-2,device,(none),,1,0,0,1,0,0,0,1,0,,,,
        C-2,action,view,,1,0,0,1,0,0,0,1,0,,,,
        C-2,risk,unrated,,1,0,0,1,0,0,0,1,0,1,,,
        C-2,path,(none),,1,0,0,1,0,0,0,1,0,,,,
        C-2,app_action,erp,view,1,0,0,1,0,0,0,1,0,1,,,

        """#)
  }

  @Test("the same events in another order give the same bytes")
  func deterministic() throws {
    let lines = Self.export.split(separator: "\n", omittingEmptySubsequences: false)
    let reordered =
      ([lines[0]] + lines[1..<lines.count - 1].reversed()).joined(separator: "\n") + "\n"
    #expect(
      AggregateFile.csv(for: try Self.countFast(reordered).aggregate)
        == AggregateFile.csv(for: try Self.countFast(Self.export).aggregate))
  }

  // MARK: Reading

  @Test("reading a written file gives the aggregate back, without exception coverage")
  func roundTrip() throws {
    var expected = try Self.countFast(Self.export).aggregate
    let (read, lines) = Self.read(AggregateFile.csv(for: expected))
    expected.outsideWindow = 0
    expected.exceptionUsage = nil
    for index in expected.controls.indices {
      expected.controls[index].uncoveredBypasses = nil
      expected.controls[index].unregisteredExceptionUses = nil
    }
    #expect(lines == [])
    #expect(read == expected)
    #expect(
      read?.telemetry(for: "C-1")?.byAppAndAction.map(\.counts.bypassDays) == [
        .days("2026-10-02", "2026-10-03"), nil, nil,
      ])
    #expect(
      read?.telemetry(for: "C-1")?.byAppAndAction.map { $0.bypassPaths?.map(\.value) } == [
        ["(none)", "service account"], [], [],
      ])
  }

  @Test("reads a file without the bypass-day columns, its slices undated")
  func withoutBypassDays() throws {
    let written = AggregateFile.csv(for: try Self.countFast(Self.export).aggregate)
    // Each line loses its last three fields, the days and the path, which never hold a comma
    // here, and the rows of paths go: the file as it was written before it had them.
    let older = written.split(separator: "\n").filter { !$0.contains(",app_action_path,") }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropLast(3)
        .joined(separator: ",")
    }
    let (read, lines) = Self.read(older.joined(separator: "\n") + "\n")
    #expect(older.first == AggregateFile.requiredColumns.joined(separator: ","))
    #expect(lines == [])
    let telemetry = try #require(read?.telemetry(for: "C-1"))
    #expect(telemetry.total.bypasses == 2)
    #expect(telemetry.total.bypassDays == nil)
    #expect(telemetry.byAppAndAction.map(\.counts.bypasses) == [2, 0, 0])
    #expect(telemetry.byAppAndAction.map(\.counts.bypassDays) == [nil, nil, nil])
  }

  @Test("reads a file without the path column, its app-and-action entries without paths")
  func withoutPaths() throws {
    let written = AggregateFile.csv(for: try Self.countFast(Self.export).aggregate)
    // Each line loses its last field, the path, which never holds a comma here, and the rows
    // of paths go: the file as it was written before it had them.
    let older = written.split(separator: "\n").filter { !$0.contains(",app_action_path,") }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).dropLast()
        .joined(separator: ",")
    }
    #expect(
      older.first
        == (AggregateFile.requiredColumns + AggregateFile.bypassDayColumns).joined(separator: ","))
    let (read, lines) = Self.read(older.joined(separator: "\n") + "\n")
    #expect(lines == [])
    let telemetry = try #require(read?.telemetry(for: "C-1"))
    #expect(telemetry.byAppAndAction.map(\.counts.bypasses) == [2, 0, 0])
    #expect(telemetry.byAppAndAction.map(\.bypassPaths) == [nil, nil, nil])
    #expect(AggregateFile.csv(for: try #require(read)) == older.joined(separator: "\n") + "\n")
  }

  @Test("reports an app_action_path row in a file without the path column")
  func pathRowWithoutPathColumn() {
    let (read, lines) = Self.read(
      (AggregateFile.requiredColumns + AggregateFile.bypassDayColumns).joined(separator: ",")
        + "\nC-1,total,,,3,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02\n"
        + "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02\n")
    #expect(lines == ["aggregate.csv:3:2: error: dimension 'app_action_path' needs column 'path'"])
    #expect(read == nil)
  }

  @Test("finds columns by name in any case and order, in rows of any order, with CRLF and a BOM")
  func otherWriters() {
    let text =
      "\u{FEFF}USER_DAYS,Extra,Control,Dimension,Value,Action,Challenges,Passes,Failures,"
      + "Abandons,Bypasses,Exception_Uses,Risk_Driven_Bypasses,Distinct_Users,"
      + "Distinct_Bypassers\r\n"
      + ",x,C-1,app,crm,,3,2,0,0,1,0,0,2,1\r\n"
      + "3,y,C-1,total,,,3,2,0,0,1,0,0,2,1\r\n"
    let (read, lines) = Self.read(text)
    #expect(lines == [])
    #expect(
      read?.controls == [
        ControlTelemetry(
          control: "C-1",
          total: OutcomeCounts(
            challenges: 3, passes: 2, bypasses: 1, distinctUsers: 2, userDays: 3,
            distinctBypassers: 1),
          byApp: [
            BreakdownEntry(
              value: "crm",
              counts: OutcomeCounts(
                challenges: 3, passes: 2, bypasses: 1, distinctUsers: 2, distinctBypassers: 1))
          ])
      ])
    #expect(read?.exceptionUsage == nil)
    #expect(read?.firstDay == BypassClassificationTests.firstDay)
  }

  static let header = AggregateFile.columns.joined(separator: ",") + "\n"
  static let total = "C-1,total,,,3,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02,\n"

  static let badRows: [(String, String, [String])] = [
    (
      "an unknown dimension", "C-1,country,fr,,1,1,0,0,0,0,0,1,0,,,,\n",
      [
        "aggregate.csv:3:2: error: unknown dimension 'country'; expected one of total, day, app, "
          + "role, location, device, action, risk, path, risk_reason, app_action, "
          + "app_action_path"
      ]
    ),
    (
      "a negative count", "C-1,app,crm,,1,-1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:6: error: passes '-1' is not a non-negative integer"]
    ),
    (
      "a count that is not an integer", "C-1,app,crm,,1.0,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:5: error: challenges '1.0' is not a non-negative integer"]
    ),
    (
      "more bypasses than challenges", "C-1,app,crm,,1,0,0,0,2,0,0,1,1,,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:9: error: bypasses (2) exceed challenges (1)"]
    ),
    (
      "outcomes that do not add up", "C-1,app,crm,,3,1,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:5: error: outcome counts add up to 2, not the 3 challenges"]
    ),
    (
      "more risk-driven bypasses than bypasses",
      "C-1,app,crm,,2,1,0,0,1,0,2,1,1,,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:11: error: risk-driven bypasses (2) exceed bypasses (1)"]
    ),
    (
      "more bypassers than bypasses", "C-1,app,crm,,2,1,0,0,1,0,0,2,2,,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:13: error: distinct bypassers (2) exceed bypasses (1)"]
    ),
    (
      "a day that is not a date", "C-1,day,2026-10-32,,1,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:3: error: day '2026-10-32' is not a date in the form YYYY-MM-DD"]
    ),
    (
      "a day outside the period", "C-1,day,2027-01-01,,1,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:3: error: day 2027-01-01 is outside the period 2026-10-01 to 2026-12-31"]
    ),
    (
      "an unknown risk", "C-1,risk,severe,,1,1,0,0,0,0,0,1,0,1,,,\n",
      ["aggregate.csv:3:3: error: risk 'severe' is not one of low, medium, high, unrated"]
    ),
    (
      "an unknown risk reason",
      "C-1,risk_reason,boredom,,1,0,0,0,1,0,1,1,1,,2026-10-02,2026-10-02,\n",
      [
        "aggregate.csv:3:3: error: risk reason 'boredom' is not one of high-risk-action, "
          + "unmanaged-device, unusual-location, machine-identity"
      ]
    ),
    (
      "user-days where none belong", "C-1,app,crm,,1,1,0,0,0,0,0,1,0,1,,,\n",
      ["aggregate.csv:3:14: error: user_days must be empty for dimension 'app'"]
    ),
    (
      "user-days missing", "C-1,risk,low,,1,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:14: error: missing user_days for dimension 'risk'"]
    ),
    (
      "an action outside app_action", "C-1,app,crm,view,1,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv:3:4: error: action must be empty for dimension 'app'"]
    ),
    (
      "an app_action without its action", "C-1,app_action,crm,,1,1,0,0,0,0,0,1,0,1,,,\n",
      ["aggregate.csv:3:4: error: missing action for dimension 'app_action'"]
    ),
    (
      "a value for the total", "C-1,total,all,,3,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:3: error: value must be empty for dimension 'total'"]
    ),
    (
      "a duplicate row", "C-1,total,,,3,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02,\n",
      [
        "aggregate.csv:3: error: duplicate row for control 'C-1', dimension 'total' (first on line 2)"
      ]
    ),
    (
      "user-days above the challenges", "C-1,risk,low,,1,1,0,0,0,0,0,1,0,2,,,\n",
      ["aggregate.csv:3:14: error: user_days (2) exceed challenges (1)"]
    ),
    (
      "challenges without people", "C-1,app,crm,,1,1,0,0,0,0,0,0,0,,,,\n",
      ["aggregate.csv:3:12: error: 1 challenges but no distinct users"]
    ),
    (
      "a row of the wrong width", "C-1,app,crm\n",
      ["aggregate.csv:3: error: row has 3 fields, the header has 17"]
    ),
    (
      "a control without a total", "C-2,app,crm,,1,1,0,0,0,0,0,1,0,,,,\n",
      ["aggregate.csv: error: control 'C-2' has no total row"]
    ),
    (
      "a bypass day that is not a date", "C-1,app,crm,,1,0,0,0,1,0,0,1,1,,2026-10-32,2026-10-02,\n",
      [
        "aggregate.csv:3:15: error: first_bypass_day '2026-10-32' is not a date in the form "
          + "YYYY-MM-DD"
      ]
    ),
    (
      "a bypass day in another form", "C-1,app,crm,,1,0,0,0,1,0,0,1,1,,2026-10-02,02/10/2026,\n",
      [
        "aggregate.csv:3:16: error: last_bypass_day '02/10/2026' is not a date in the form "
          + "YYYY-MM-DD"
      ]
    ),
    (
      "a bypass day outside the period",
      "C-1,app,crm,,2,0,0,0,2,0,0,1,1,,2026-09-30,2026-10-02,\n",
      [
        "aggregate.csv:3:15: error: first_bypass_day 2026-09-30 is outside the period "
          + "2026-10-01 to 2026-12-31"
      ]
    ),
    (
      "a last bypass day before the first",
      "C-1,app,crm,,2,0,0,0,2,0,0,1,1,,2026-10-05,2026-10-02,\n",
      [
        "aggregate.csv:3:16: error: last_bypass_day 2026-10-02 is before first_bypass_day "
          + "2026-10-05"
      ]
    ),
    (
      "bypass days without bypasses", "C-1,app,crm,,1,1,0,0,0,0,0,1,0,,2026-10-02,2026-10-02,\n",
      [
        "aggregate.csv:3:15: error: first_bypass_day must be empty for a row without bypasses",
        "aggregate.csv:3:16: error: last_bypass_day must be empty for a row without bypasses",
      ]
    ),
    (
      "bypasses without their days", "C-1,app,crm,,1,0,0,0,1,0,0,1,1,,,,\n",
      [
        "aggregate.csv:3:15: error: missing first_bypass_day for a row with 1 bypass",
        "aggregate.csv:3:16: error: missing last_bypass_day for a row with 1 bypass",
      ]
    ),
    (
      "bypasses without their last day", "C-1,app,crm,,2,0,0,0,2,0,0,1,1,,2026-10-02,,\n",
      ["aggregate.csv:3:16: error: missing last_bypass_day for a row with 2 bypasses"]
    ),
    (
      "a path outside app_action_path", "C-1,app,crm,,1,1,0,0,0,0,0,1,0,,,,vpn\n",
      ["aggregate.csv:3:17: error: path must be empty for dimension 'app'"]
    ),
    (
      "an app_action_path without its path",
      "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,\n",
      ["aggregate.csv:3:17: error: missing path for dimension 'app_action_path'"]
    ),
    (
      "an app_action_path with events that are not bypasses",
      "C-1,app_action_path,crm,view,2,1,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,vpn\n",
      [
        "aggregate.csv:3:5: error: challenges (2) must equal bypasses (1) for dimension "
          + "'app_action_path'"
      ]
    ),
    (
      "an app_action_path without its app_action",
      "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,vpn\n",
      ["aggregate.csv:3: error: no app_action row for control 'C-1', app 'crm', action 'view'"]
    ),
    (
      "a path with more bypasses than its app_action",
      "C-1,app_action,crm,view,3,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02,\n"
        + "C-1,app_action_path,crm,view,2,0,0,0,2,0,0,1,1,,2026-10-02,2026-10-02,vpn\n",
      ["aggregate.csv:4:9: error: bypasses (2) exceed the 1 of the app_action row on line 3"]
    ),
    (
      "paths that do not add up to their app_action's bypasses",
      "C-1,app_action,crm,view,3,1,0,0,2,0,0,2,1,3,2026-10-02,2026-10-02,\n"
        + "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,vpn\n",
      ["aggregate.csv:3:9: error: bypasses (2) are not the sum of their app_action_path rows (1)"]
    ),
    (
      "a duplicate app_action_path",
      "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,vpn\n"
        + "C-1,app_action_path,crm,view,1,0,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,vpn\n",
      [
        "aggregate.csv:4: error: duplicate row for control 'C-1', dimension 'app_action_path', "
          + "value 'crm', action 'view', path 'vpn' (first on line 3)"
      ]
    ),
  ]

  @Test("reports a bad row and gives no aggregate", arguments: badRows)
  func badRow(_ name: String, _ row: String, _ expected: [String]) {
    let (read, lines) = Self.read(Self.header + Self.total + row)
    #expect(lines == expected)
    #expect(read == nil)
  }

  @Test("reports slices that do not add up to their total, each once")
  func partitions() {
    let (apps, appLines) = Self.read(
      Self.header + Self.total + "C-1,app,crm,,2,1,0,0,1,0,0,1,1,,2026-10-02,2026-10-02,\n")
    let (days, dayLines) = Self.read(
      Self.header + Self.total + "C-1,day,2026-10-02,,3,2,0,0,1,0,0,2,1,,2026-10-03,2026-10-03,\n")
    let (_, totalLines) = Self.read(
      Self.header + "C-1,total,,,x,2,0,0,1,0,0,2,1,3,2026-10-02,2026-10-02,\n")

    #expect(apps == nil)
    #expect(
      appLines == [
        "aggregate.csv:2: error: control 'C-1': app rows add up to challenges 2 and bypasses 1, "
          + "not the total row's 3 and 1"
      ])
    #expect(days == nil)
    #expect(
      dayLines == [
        "aggregate.csv:3:15: error: bypass days 2026-10-03 to 2026-10-03 are not the row's day "
          + "2026-10-02",
        "aggregate.csv:2: error: control 'C-1': day rows span bypass days 2026-10-03 to "
          + "2026-10-03, not the total row's 2026-10-02 to 2026-10-02",
      ])
    #expect(
      totalLines == ["aggregate.csv:2:5: error: challenges 'x' is not a non-negative integer"])
  }

  @Test("reports every missing column of the header")
  func missingColumns() {
    let (read, lines) = Self.read(
      "control,dimension,value,challenges,passes,failures,abandons,bypasses,exception_uses,"
        + "risk_driven_bypasses,distinct_users,distinct_bypassers\n" + Self.total)
    #expect(
      lines == [
        "aggregate.csv:1: error: missing column 'action'",
        "aggregate.csv:1: error: missing column 'user_days'",
      ])
    #expect(read == nil)
  }

  @Test("reports a bypass-day column without the other")
  func oneBypassDayColumn() {
    let (read, lines) = Self.read(
      AggregateFile.requiredColumns.joined(separator: ",") + ",first_bypass_day\n"
        + "C-1,total,,,3,2,0,0,1,0,0,2,1,3,2026-10-02\n")
    #expect(
      lines == [
        "aggregate.csv:1: error: missing column 'last_bypass_day', which 'first_bypass_day' needs"
      ])
    #expect(read == nil)
  }

  @Test("reports an empty file")
  func emptyFile() {
    let (read, lines) = Self.read("")
    #expect(lines == ["aggregate.csv: error: file is empty"])
    #expect(read == nil)
  }
}
