import Foundation
import Testing

/// Bad telemetry inputs through the built binary: the exceptions register, the pseudonym
/// secret, event files and their settings. Exact lines, exit codes, nothing written.
@Suite("Bad telemetry input through the command line")
struct TelemetryInputTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: String]
    var status: Int32 = 65
    /// A FIFO made at this path inside the workspace before the run.
    var fifo: String? = nil
    /// Expected stderr lines, with `WS` standing for the workspace path.
    var lines: [String]
    var testDescription: String { name }
  }

  static let telemetrySettings = TemporaryWorkspace.settings(
    extra: """
      <telemetry><pseudonym-secret path="secret.key"/><max-bad-rows>1</max-bad-rows></telemetry>
      """)
  static let secret = "0123456789abcdef0123456789abcdef\n"
  static let header = "timestamp,user,control,app,role,location,device,action,risk,outcome,path\n"
  static let goodRow =
    "2026-10-05T09:00:00Z,ana@example.test,C-1,Portal,Analyst,Office,Laptop,view,low,passed,\n"

  static let cases: [Case] = [
    Case(
      name: "register row without an approver",
      files: ["exceptions/r.csv": "id,control,approver,granted,reason\nEX-1,C-1,,2026-10-01,r\n"],
      lines: ["WS/exceptions/r.csv:2:3: error: missing value for required column 'approver'"]),
    Case(
      name: "register date in another format",
      files: [
        "exceptions/r.csv": "id,control,approver,granted,reason\nEX-1,C-1,Lead,01/10/2026,r\n"
      ],
      lines: [
        "WS/exceptions/r.csv:2:4: error: granted '01/10/2026' is not a calendar date (YYYY-MM-DD)"
      ]),
    Case(
      name: "register expiry before grant",
      files: [
        "exceptions/r.csv":
          "id,control,approver,granted,expires,reason\nEX-1,C-1,Lead,2026-10-01,2026-09-01,r\n"
      ],
      lines: [
        "WS/exceptions/r.csv:2:5: error: exception expires 2026-09-01 before it is granted 2026-10-01"
      ]),
    Case(
      name: "register without a required column",
      files: ["exceptions/r.csv": "id,control,granted,reason\nEX-1,C-1,2026-10-01,r\n"],
      lines: ["WS/exceptions/r.csv:1: error: no column 'approver' for the exceptions register"]),
    Case(
      name: "register row of the wrong width",
      files: ["exceptions/r.csv": "id,control,approver,granted,reason\nEX-1,C-1,Lead\n"],
      lines: ["WS/exceptions/r.csv:2: error: row has 3 fields, the header has 5"]),
    Case(
      name: "register id with a space",
      files: [
        "exceptions/r.csv": "id,control,approver,granted,reason\nEX 1,C-1,Lead,2026-10-01,r\n"
      ],
      lines: [
        "WS/exceptions/r.csv:2:1: error: id 'EX 1' may hold only letters, digits and . _ : - (at most 128)"
      ]),
    Case(
      name: "register naming an unknown control",
      files: [
        "exceptions/r.csv": "id,control,approver,granted,reason\nEX-1,C-9,Lead,2026-10-01,r\n"
      ],
      lines: ["WS/exceptions/r.csv:2:2: error: exception 'EX-1' names unknown control 'C-9'"]),
    Case(
      name: "exception id in both registers",
      files: [
        "exceptions/a.csv": "id,control,approver,granted,reason\nEX-1,C-1,Lead,2026-10-01,r\n",
        "exceptions/b.xml": """
        <exceptions xmlns="urn:controlgap:workspace:1">
        <exception id="EX-1" control="C-1"><approver>Lead</approver><granted>2026-10-01</granted><reason>r</reason></exception>
        </exceptions>
        """,
      ],
      lines: [
        "WS/exceptions/b.xml:2:1: error: duplicate exception id 'EX-1' (first defined at WS/exceptions/a.csv:2:1)"
      ]),
    Case(
      name: "events without a pseudonym secret",
      files: ["events/e.csv": header + goodRow],
      lines: [
        "WS/workspace.xml: error: access events need a pseudonym secret: add <pseudonym-secret path=\"...\"/> to <telemetry>, naming a file of at least 16 random bytes inside the workspace"
      ]),
    Case(
      name: "a pseudonym secret that is too short",
      files: [
        "workspace.xml": telemetrySettings, "secret.key": "short\n",
        "events/e.csv": header + goodRow,
      ],
      lines: [
        "WS/workspace.xml:6:12: error: pseudonym secret 'secret.key' holds 5 bytes; it needs at least 16"
      ]),
    Case(
      name: "a pseudonym secret outside the workspace",
      files: [
        "workspace.xml": TemporaryWorkspace.settings(
          extra: "<telemetry><pseudonym-secret path=\"../secret.key\"/></telemetry>"),
        "events/e.csv": header + goodRow,
      ],
      lines: ["WS/workspace.xml:6:12: error: pseudonym secret '../secret.key' leaves the workspace"]
    ),
    Case(
      name: "more bad rows than the settings allow",
      files: [
        "workspace.xml": telemetrySettings, "secret.key": secret,
        "events/e.csv": header + goodRow
          + "2026-10-05,bo@example.test,C-1,Portal,,,,view,low,passed,\n"
          + "2026-10-05T10:00:00Z,bo@example.test,C-1,Portal,,,,view,severe,passed,\n",
      ],
      lines: [
        "WS/events/e.csv:3:1: warning: timestamp '2026-10-05' is not an ISO 8601 date-time with a time zone",
        "WS/events/e.csv:4:9: warning: risk 'severe' is not one of low, medium, high",
        "WS/events/e.csv:4: error: more than 1 bad row; stopping",
      ]),
    Case(
      name: "a field mapped to two columns",
      files: [
        "workspace.xml": TemporaryWorkspace.settings(
          extra: """
            <telemetry><columns><column field="user" name="actor"/>
            <column field="user" name="who"/></columns></telemetry>
            """)
      ],
      lines: ["WS/workspace.xml:7:1: error: field 'user' is mapped twice (first at line 6)"]),
    Case(
      name: "the user column read as another field",
      files: [
        "workspace.xml": TemporaryWorkspace.settings(
          extra: "<telemetry><columns><column field=\"path\" name=\"User\"/></columns></telemetry>")
      ],
      lines: [
        "WS/workspace.xml:6:21: error: column 'User' holds user identifiers and cannot also be read as 'path'"
      ]),
    Case(
      name: "a FIFO among the event files",
      files: ["workspace.xml": telemetrySettings, "secret.key": secret],
      fifo: "events/pipe.csv",
      lines: ["WS/events/pipe.csv: error: not a regular file"]),
    Case(
      name: "a folder named like an aggregate file",
      files: ["aggregates/folder.csv/keep.txt": "x\n"],
      lines: ["WS/aggregates/folder.csv: error: not a regular file"]),
    Case(
      name: "a count no quarter can hold in an aggregate file",
      files: [
        "aggregates/a.csv": """
        control,dimension,value,action,challenges,passes,failures,abandons,bypasses,exception_uses,risk_driven_bypasses,distinct_users,distinct_bypassers,user_days
        C-1,total,,,9223372036854775807,9223372036854775807,0,0,0,0,0,1,0,1

        """
      ],
      lines: [
        "WS/aggregates/a.csv:2:5: error: challenges 9223372036854775807 is more than ControlGap counts (10^15)",
        "WS/aggregates/a.csv:2:6: error: passes 9223372036854775807 is more than ControlGap counts (10^15)",
      ]),
  ]

  @Test("is reported with file, line and column", arguments: cases)
  func reported(_ item: Case) throws {
    let workspace = try TemporaryWorkspace(item.files)
    if let fifo = item.fifo {
      let url = workspace.root.appendingPathComponent(fifo)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      #expect(mkfifo(url.path, 0o600) == 0)
    }
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--quiet", "--output", output.path,
    ])
    let lines = result.stderrLines.map {
      $0.replacingOccurrences(of: workspace.root.path, with: "WS")
    }
    #expect(lines == item.lines)
    #expect(result.status == item.status)
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}
