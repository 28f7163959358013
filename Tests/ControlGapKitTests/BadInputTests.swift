import Foundation
import Testing

/// Each kind of bad input, run through the built binary: the exact lines printed, the exit
/// code, and no report written.
@Suite("Bad input through the command line")
struct BadInputTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: String]
    var status: Int32
    /// Expected stderr lines, with `WS` standing for the workspace path.
    var lines: [String]
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "malformed XML",
      files: [
        "controls/controls.xml":
          "<controls xmlns=\"urn:controlgap:workspace:1\">\n<control>\n</controls>\n"
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:12: error: opening and ending tag mismatch: control line 2 and controls"
      ]),
    Case(
      name: "document type declaration",
      files: [
        "controls/controls.xml":
          "<?xml version=\"1.0\"?>\n<!DOCTYPE controls [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<controls xmlns=\"urn:controlgap:workspace:1\">&x;</controls>\n"
      ],
      status: 65,
      lines: ["WS/controls/controls.xml:2:1: error: document type declarations are not allowed"]),
    Case(
      name: "schema violation",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(status: "done"))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:63: error: element 'status': [facet 'enumeration'] The value 'done' is not an element of the set {'implemented', 'partial', 'planned'}"
      ]),
    Case(
      name: "unknown requirement",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(requirements: ["PR.ZZ-99"]))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:102: error: unknown requirement 'PR.ZZ-99' in NIST CSF 2.0"
      ]),
    Case(
      name: "category instead of requirement",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(requirements: ["PR.AA"]))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:102: error: 'PR.AA' is a category of NIST CSF 2.0; name its requirements (PR.AA-01 … PR.AA-06)"
      ]),
    Case(
      name: "withdrawn category",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(requirements: ["PR.AC"]))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:102: error: 'PR.AC' is a withdrawn category of NIST CSF 2.0 (now PR.AA); name its requirements (PR.AA-01 … PR.AA-06)"
      ]),
    Case(
      name: "function instead of requirement",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(requirements: ["RC"]))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:102: error: 'RC' is a function of NIST CSF 2.0; name its requirements (RC.CO-03 … RC.RP-06)"
      ]),
    Case(
      name: "unknown framework",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(framework: "iso-27001"))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:102: error: unknown framework 'iso-27001' (in scope: nist-csf-2.0)"
      ]),
    Case(
      name: "duplicate control id in one file",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control() + "\n" + TemporaryWorkspace.control())
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:4:1: error: duplicate control id 'C-1' (first defined at line 3)"
      ]),
    Case(
      name: "finding names an unknown control",
      files: [
        "findings/f.xml": TemporaryWorkspace.findings(TemporaryWorkspace.finding(control: "C-9"))
      ],
      status: 65,
      lines: ["WS/findings/f.xml:3:1: error: finding 'F-1' names unknown control 'C-9'"]),
    Case(
      name: "impossible date",
      files: [
        "findings/f.xml": TemporaryWorkspace.findings(
          TemporaryWorkspace.finding(first: "2026-02-30"))
      ],
      status: 65,
      lines: ["WS/findings/f.xml:3:33: error: first-seen '2026-02-30' is not a calendar date"]),
    Case(
      name: "last seen before first seen",
      files: [
        "findings/f.xml": TemporaryWorkspace.findings(
          TemporaryWorkspace.finding(first: "2026-12-01", last: "2026-10-01"))
      ],
      status: 65,
      lines: ["WS/findings/f.xml:3:1: error: last-seen 2026-10-01 is before first-seen 2026-12-01"]),
    Case(
      name: "more bypasses than challenges",
      files: [
        "findings/f.xml": TemporaryWorkspace.findings(
          TemporaryWorkspace.finding(count: 20, challenges: 10))
      ],
      status: 65,
      lines: ["WS/findings/f.xml:3:1: error: count 20 is larger than challenges 10"]),
    Case(
      name: "evidence path with ..",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(
            evidence: "<evidence path=\"../secret.txt\" effective=\"2026-11-01\">x</evidence>"))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:168: error: evidence path '../secret.txt' leaves the workspace"
      ]),
    Case(
      name: "absolute evidence path",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(
            evidence: "<evidence path=\"/etc/passwd\" effective=\"2026-11-01\">x</evidence>"))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:168: error: evidence path '/etc/passwd' leaves the workspace"
      ]),
    Case(
      name: "duplicate control id differing only in white space",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control() + "\n"
            + TemporaryWorkspace.control().replacingOccurrences(
              of: "id=\"C-1\"", with: "id=\" C-1&#9;\""))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:4:1: error: duplicate control id 'C-1' (first defined at line 3)"
      ]),
    Case(
      name: "a NUL byte after the root element",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(TemporaryWorkspace.control())
          + "\u{0}<control id=\"HIDDEN\"/>"
      ],
      status: 65,
      lines: ["WS/controls/controls.xml:5:1: error: file contains a NUL byte"]),
    Case(
      name: "a file where the findings folder belongs",
      files: ["findings": "not a folder\n"],
      status: 65,
      lines: ["WS/findings: error: 'findings' is not a folder"]),
    Case(
      name: "a malformed controls file is one problem, not one per finding",
      files: [
        "controls/controls.xml": "<controls xmlns=\"urn:controlgap:workspace:1\"><control>\n",
        "findings/f.xml": TemporaryWorkspace.findings(
          TemporaryWorkspace.finding() + TemporaryWorkspace.finding(id: "F-2")),
      ],
      status: 65,
      lines: ["WS/controls/controls.xml:2:1: error: premature end of data in tag control line 1"]),
    Case(
      name: "a line break in a value cannot forge a second diagnostic",
      files: [
        "controls/controls.xml": TemporaryWorkspace.controls(
          TemporaryWorkspace.control(
            evidence:
              "<evidence path=\"../x&#10;a.xml:1:1: error: forged\" effective=\"2026-11-01\">x</evidence>"
          ))
      ],
      status: 65,
      lines: [
        "WS/controls/controls.xml:3:168: error: evidence path '../x a.xml:1:1: error: forged' leaves the workspace"
      ]),
    Case(
      name: "a line break in a file name is shown, not obeyed",
      files: ["controls/x\nforged.xml": "<oops"],
      status: 65,
      lines: [
        "WS/controls/x\\nforged.xml:1:6: error: couldn't find end of Start Tag oops line 1"
      ]),
    Case(
      name: "unknown time zone",
      files: [
        "workspace.xml": TemporaryWorkspace.settings(extra: "").replacingOccurrences(
          of: "<period>2026-Q4</period>",
          with: "<period>2026-Q4</period><time-zone>Mars/Olympus</time-zone>")
      ],
      status: 65,
      lines: ["WS/workspace.xml:4:27: error: unknown time zone 'Mars/Olympus'"]),
    Case(
      name: "empty settings file",
      files: ["workspace.xml": ""],
      status: 65,
      lines: ["WS/workspace.xml: error: file is empty"]),
  ]

  @Test("is reported with file, line and column", arguments: cases)
  func reported(_ item: Case) throws {
    let workspace = try TemporaryWorkspace(item.files)
    let output = workspace.root.appendingPathComponent("out")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--output", output.path, "--quiet",
    ])
    let lines = result.stderrLines.map {
      $0.replacingOccurrences(of: workspace.root.path, with: "WS")
    }
    #expect(lines == item.lines)
    #expect(result.status == item.status)
    #expect(result.stdout == "")
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }

  @Test("an evidence link that leaves the workspace is refused")
  func symbolicLinkEscape() throws {
    let workspace = try TemporaryWorkspace([
      "controls/controls.xml": TemporaryWorkspace.controls(
        TemporaryWorkspace.control(
          evidence: "<evidence path=\"evidence/link.txt\" effective=\"2026-11-01\">x</evidence>"))
    ])
    try FileManager.default.createSymbolicLink(
      atPath: workspace.root.appendingPathComponent("evidence/link.txt").path,
      withDestinationPath: "/etc/hostname")
    let result = try CommandLineRunner.run(["validate", workspace.root.path])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "WS/controls/controls.xml:3:168: error: evidence path 'evidence/link.txt' leaves the workspace"
      ])
    #expect(result.status == 65)
  }

  @Test("an --as-of date before the period begins exits 64")
  func asOfBeforePeriod() throws {
    let workspace = try TemporaryWorkspace()
    let result = try CommandLineRunner.run([
      "validate", workspace.root.path, "--as-of", "2020-01-01",
    ])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "controlgap: error: assessment date 2020-01-01 is before the period 2026-Q4, which begins on 2026-10-01"
      ])
    #expect(result.status == 64)
  }

  @Test(
    "warnings that do not stop the run: a folder as evidence, an excluded requirement that a control claims"
  )
  func warnings() throws {
    let workspace = try TemporaryWorkspace([
      "workspace.xml": TemporaryWorkspace.settings(
        extra:
          "<not-applicable><requirement framework=\"nist-csf-2.0\" ref=\"PR.AA-03\" reason=\"r\"/></not-applicable>\n"
      ),
      "controls/controls.xml": TemporaryWorkspace.controls(
        TemporaryWorkspace.control(
          evidence: "<evidence path=\"evidence\" effective=\"2026-11-01\">x</evidence>")),
    ])
    let result = try CommandLineRunner.run(["validate", workspace.root.path])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "WS/controls/controls.xml:3:168: warning: evidence 'evidence' is not a regular file; it does not count as evidence",
        "WS/workspace.xml:6:17: warning: PR.AA-03 is marked not applicable, but C-1 claims to satisfy it",
      ])
    #expect(result.status == 0)
  }

  @Test("a report is not replaced when its companion cannot be written")
  func allOrNothing() throws {
    let workspace = try TemporaryWorkspace()
    let output = workspace.root.appendingPathComponent("out")
    try workspace.write("out/2026-Q4/gap-report.md", "previous report\n")
    try FileManager.default.createDirectory(
      at: output.appendingPathComponent("2026-Q4/gap-report.html"),
      withIntermediateDirectories: true)
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--output", output.path, "--quiet",
    ])
    #expect(result.status == 73)
    #expect(
      try String(
        contentsOf: output.appendingPathComponent("2026-Q4/gap-report.md"), encoding: .utf8)
        == "previous report\n")
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: output.appendingPathComponent("2026-Q4").path)
    #expect(leftovers.sorted() == ["gap-report.html", "gap-report.md"])
  }

  @Test("a CONTROLGAP_HOME without ControlGap's files exits 66")
  func wrongHome() throws {
    let result = try CommandLineRunner.run(
      ["catalogs"], environment: ["CONTROLGAP_HOME": "/nonexistent/home"])
    #expect(
      result.stderr
        == "controlgap: error: CONTROLGAP_HOME (/nonexistent/home) does not hold Frameworks/catalogs and Templates\n"
    )
    #expect(result.status == 66)
  }

  @Test("a missing workspace exits 66")
  func missingWorkspace() throws {
    let result = try CommandLineRunner.run(["validate", "/nonexistent/workspace"])
    #expect(
      result.stderrLines == ["/nonexistent/workspace: error: workspace folder does not exist"])
    #expect(result.status == 66)
  }

  @Test("a workspace without settings exits 66")
  func missingSettings() throws {
    let workspace = try TemporaryWorkspace(["controls/controls.xml": ""], defaults: false)
    let result = try CommandLineRunner.run(["validate", workspace.root.path])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "WS/workspace.xml: error: workspace settings file is missing"
      ])
    #expect(result.status == 66)
  }

  @Test("a missing catalog exits 66")
  func missingCatalog() throws {
    let result = try CommandLineRunner.run(["validate", "--catalog", "no-such-catalog.xml"])
    #expect(result.stderrLines == ["no-such-catalog.xml: error: catalog file does not exist"])
    #expect(result.status == 66)
  }

  @Test("an output folder that cannot be written exits 73")
  func cannotWrite() throws {
    let workspace = try TemporaryWorkspace()
    try workspace.write("blocker", "a file where a folder is needed\n")
    let result = try CommandLineRunner.run([
      "report", workspace.root.path, "--quiet", "--output",
      workspace.root.appendingPathComponent("blocker").path,
    ])
    #expect(
      result.stderrLines.map { $0.replacingOccurrences(of: workspace.root.path, with: "WS") } == [
        "controlgap: error: cannot create folder WS/blocker/2026-Q4"
      ])
    #expect(result.status == 73)
  }

  struct UsageCase: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(
    "usage errors exit 64",
    arguments: [
      UsageCase(
        arguments: ["frobnicate"], message: "controlgap: error: unknown command 'frobnicate'"),
      UsageCase(
        arguments: ["report", "--colour"], message: "controlgap: error: unknown option '--colour'"),
      UsageCase(
        arguments: ["report", "--as-of", "31/12/2026"],
        message: "controlgap: error: --as-of '31/12/2026' is not a date (YYYY-MM-DD)"),
      UsageCase(
        arguments: ["report", "--output"],
        message: "controlgap: error: option '--output' needs a value"),
      UsageCase(
        arguments: ["validate", "a", "b"],
        message: "controlgap: error: expected at most one workspace folder, got 2"),
      UsageCase(arguments: ["validate", ""], message: "controlgap: error: an argument is empty"),
      UsageCase(
        arguments: ["report", "--output", ""],
        message: "controlgap: error: option '--output' needs a value"),
      UsageCase(
        arguments: ["catalogs", "nist-csf-2.0", "PR.ZZ-1"],
        message: "controlgap: error: unknown requirement 'PR.ZZ-1' in NIST CSF 2.0"),
    ])
  func usage(_ item: UsageCase) throws {
    let result = try CommandLineRunner.run(item.arguments)
    #expect(result.stderrLines == [item.message + " (see 'controlgap --help')"])
    #expect(result.status == 64)
  }
}
