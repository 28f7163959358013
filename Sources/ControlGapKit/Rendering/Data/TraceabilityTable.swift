/// `traceability.csv`: each requirement traced to its controls, their evidence and their
/// findings, one row per combination, for auditors who filter and pivot in a spreadsheet.
///
/// A level with nothing in it gives one row with empty cells, so every requirement appears at
/// least once. Rows follow the frameworks' order and each catalog's order, then control id,
/// evidence path and finding id. Fields are quoted as RFC 4180 requires (`CSVEscaping`), lines
/// end in LF, and the file ends with one newline.
public struct TraceabilityTable: Sendable {
  public static let header = [
    "framework", "requirement", "status", "control", "control_status", "evidence",
    "evidence_effective", "evidence_state", "finding", "finding_driver", "finding_count",
    "finding_challenges",
  ]

  public let text: String

  public init(_ assessment: Assessment) {
    var findings: [String: BypassFinding] = [:]
    for assessed in assessment.findings where findings[assessed.finding.id] == nil {
      findings[assessed.finding.id] = assessed.finding
    }

    var lines = [Self.line(Self.header)]
    for framework in assessment.frameworks {
      let requirements = framework.requirements.sorted {
        $0.requirement.order < $1.requirement.order
      }
      for assessed in requirements {
        let requirement = [
          framework.key, assessed.requirement.displayID, assessed.status.rawValue,
        ]
        let controls = assessed.controls.sorted { $0.control.id < $1.control.id }
        guard !controls.isEmpty else {
          lines.append(Self.line(requirement + Array(repeating: "", count: 9)))
          continue
        }
        for trace in controls {
          let control = [trace.control.id, trace.control.status.rawValue]
          let evidence: [[String]] =
            trace.evidence.isEmpty
            ? [["", "", ""]]
            : trace.evidence.sorted { $0.item.path < $1.item.path }.map {
              [$0.item.path, $0.item.effective.description, $0.state.rawValue]
            }
          let traced: [[String]] =
            trace.findingIDs.isEmpty
            ? [["", "", "", ""]]
            : trace.findingIDs.sorted().map { id in
              guard let finding = findings[id] else { return [id, "", "", ""] }
              return [id, finding.driver.rawValue, "\(finding.count)", "\(finding.challenges)"]
            }
          for item in evidence {
            for finding in traced {
              lines.append(Self.line(requirement + control + item + finding))
            }
          }
        }
      }
    }
    text = lines.joined(separator: "\n") + "\n"
  }

  /// One record: each cell made spreadsheet-safe, then escaped, then joined by commas.
  static func line(_ cells: [String]) -> String {
    cells.map { CSVEscaping.escape(spreadsheetSafe($0)) }.joined(separator: ",")
  }

  /// Prefixes `'` to a cell that a spreadsheet would read as a formula: one that starts with
  /// `=`, `+`, `-`, `@`, a tab or a carriage return. The file is data, and a cell such as
  /// `=cmd|' /C calc'!A0` must not run when the file is opened; the apostrophe is what
  /// spreadsheets themselves use to mark a cell as text.
  static func spreadsheetSafe(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first)
    else { return cell }
    return "'" + cell
  }
}
