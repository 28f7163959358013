import Foundation

/// Reads an exceptions register kept as a spreadsheet export: one exception per row, columns
/// named in a header row.
///
/// Columns are found by name without regard to letter case or surrounding spaces, in any
/// order: `id`, `control`, `approver`, `granted` and `reason` are required; `app`, `role`,
/// `location`, `device`, `action` (the scope; an empty cell matches any value) and `expires`
/// may be left out. Each problem is reported with its line and the column of the field at
/// fault; a row with a problem is left out.
struct ExceptionRegisterCSV {
  enum Column: String, CaseIterable {
    case id, control, app, role, location, device, action, approver, granted, expires, reason

    var isRequired: Bool {
      switch self {
      case .id, .control, .approver, .granted, .reason: true
      case .app, .role, .location, .device, .action, .expires: false
      }
    }
  }

  let displayPath: String
  let diagnostics: DiagnosticSink

  /// The exceptions of the register in `bytes`; `note` checks that each id is new.
  func read(
    _ bytes: [UInt8], note: (String, SourceLocation) -> Bool
  ) -> [RegisteredException] {
    let records = CSVRecordReader(bytes: bytes)
    guard let header = try? records.nextRecord() else {
      diagnostics.error("file is empty", at: SourceLocation(path: displayPath))
      return []
    }
    if let problem = header.problem {
      diagnostics.error(problem.message, at: location(header.line, problem.field ?? 0))
      return []
    }
    guard let columns = columnIndices(header) else { return [] }
    let width = header.count

    var exceptions: [RegisteredException] = []
    while let record = try? records.nextRecord() {
      let line = record.line
      if let problem = record.problem {
        diagnostics.error(problem.message, at: location(line, problem.field ?? 0))
        continue
      }
      guard record.count == width else {
        // A blank line between rows is a spreadsheet habit, not an error.
        if record.count == 1, record[0].isEmpty { continue }
        diagnostics.error(
          "row has \(record.count) \(record.count == 1 ? "field" : "fields"), the header has "
            + "\(width)", at: location(line))
        continue
      }
      if let exception = exception(record, columns: columns, note: note) {
        exceptions.append(exception)
      }
    }
    return exceptions
  }

  private func exception(
    _ record: CSVRecord, columns: [Column: Int], note: (String, SourceLocation) -> Bool
  ) -> RegisteredException? {
    let line = record.line
    func value(_ column: Column) -> String? {
      guard let index = columns[column] else { return nil }
      let text = record.string(at: index).foldingWhitespace()
      return text.isEmpty ? nil : text
    }
    func at(_ column: Column) -> SourceLocation {
      location(line, (columns[column] ?? -1) + 1)
    }

    var isValid = true
    for column in Column.allCases where column.isRequired && value(column) == nil {
      diagnostics.error("missing value for required column '\(column.rawValue)'", at: at(column))
      isValid = false
    }
    if let id = value(.id), !Self.isIdentifier(id) {
      diagnostics.error(
        "id '\(id)' may hold only letters, digits and . _ : - (at most 128)", at: at(.id))
      isValid = false
    }
    func date(_ column: Column) -> CalendarDate? {
      guard let text = value(column) else { return nil }
      guard let date = CalendarDate(parsing: text) else {
        diagnostics.error(
          "\(column.rawValue) '\(text)' is not a calendar date (YYYY-MM-DD)", at: at(column))
        isValid = false
        return nil
      }
      return date
    }
    let granted = date(.granted)
    let expires = date(.expires)
    if let granted, let expires, expires < granted {
      diagnostics.error(
        "exception expires \(expires) before it is granted \(granted)", at: at(.expires))
      isValid = false
    }
    guard isValid, let id = value(.id), let control = value(.control),
      let approver = value(.approver), let granted, let reason = value(.reason),
      note(id, at(.id))
    else { return nil }
    return RegisteredException(
      id: id, controlID: control, app: value(.app), role: value(.role),
      location: value(.location), device: value(.device), action: value(.action),
      approver: approver, granted: granted, expires: expires, reason: reason,
      sourceLocation: at(.control))
  }

  private func columnIndices(_ header: CSVRecord) -> [Column: Int]? {
    var indices: [Column: Int] = [:]
    var isUsable = true
    for index in 0..<header.count {
      let name = header.string(at: index).trimmingCharacters(in: .whitespaces).lowercased()
      guard let column = Column(rawValue: name) else { continue }
      if let first = indices[column] {
        diagnostics.error(
          "duplicate column '\(header.string(at: index))' (also column \(first + 1))",
          at: location(header.line, index + 1))
        isUsable = false
        continue
      }
      indices[column] = index
    }
    for column in Column.allCases where column.isRequired && indices[column] == nil {
      diagnostics.error(
        "no column '\(column.rawValue)' for the exceptions register", at: location(header.line))
      isUsable = false
    }
    return isUsable ? indices : nil
  }

  private func location(_ line: Int, _ column: Int = 0) -> SourceLocation {
    SourceLocation(path: displayPath, line: line, column: column)
  }

  /// The workspace schema's id rule: a letter or digit, then up to 127 of letters, digits and
  /// `. _ : -`.
  static func isIdentifier(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) else { return false }
    return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || ".:_-".utf8.contains($0) }
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
  }
}
