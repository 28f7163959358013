import Foundation

/// Turns the records of a CSV export into raw access events: the header names the columns,
/// and every later record is one event.
struct CSVEventReading {
  let columns: EventColumnMap
  let displayPath: String
  let diagnostics: DiagnosticSink

  func read(
    _ records: CSVRecordReader, rows: inout RowTally, _ body: (RawAccessEvent) throws -> Void
  ) throws {
    guard let header = try records.nextRecord() else {
      diagnostics.error("file is empty", at: SourceLocation(path: displayPath))
      throw unusable()
    }
    let headerWidth = header.count
    let fieldColumns = try columnIndices(header)

    var decoder = AccessEventDecoder()
    let values = FieldValues()
    while let record = try records.nextRecord() {
      let line = record.line
      if let problem = record.problem {
        diagnostics.warning(problem.message, at: location(line, problem.field ?? 0))
        try rows.countBadRow(at: line)
        continue
      }
      guard record.count == headerWidth else {
        diagnostics.warning(
          "row has \(record.count) \(record.count == 1 ? "field" : "fields"), the header has "
            + "\(headerWidth)", at: location(line))
        try rows.countBadRow(at: line)
        continue
      }

      for (field, column) in fieldColumns.enumerated() {
        values[field] =
          column < 0 ? .absent : FieldValue(bytes: record[column], position: column + 1)
      }
      guard let event = decoder.event(from: values, line: line) else {
        for (message, column) in decoder.problems {
          diagnostics.warning(message, at: location(line, column))
        }
        try rows.countBadRow(at: line)
        continue
      }
      rows.countEvent()
      try body(event)
    }
  }

  /// The column of each field, counting from 0, in `AccessEvent.Field.allCases` order; -1 for
  /// an optional field the export does not have.
  ///
  /// - Throws: `ControlGapFailure(.badInput)` after reporting a header that cannot be used:
  ///   bad syntax, a required field without a column, or a column named twice.
  private func columnIndices(_ header: CSVRecord) throws -> [Int] {
    if let problem = header.problem {
      diagnostics.error(problem.message, at: location(header.line, problem.field ?? 0))
      throw unusable()
    }

    // Exports often pad header names ("timestamp, user"); the names are compared trimmed.
    let names = header.strings.map {
      $0.trimmingCharacters(in: .whitespaces).lowercased()
    }
    var isUsable = true
    var reportedDuplicates: Set<Int> = []
    let mappedNames = Set(AccessEvent.Field.allCases.map { columns[$0].lowercased() })
    let indices = AccessEvent.Field.allCases.map { field -> Int in
      var name = columns[field]
      var matches = names.indices.filter { names[$0] == name.lowercased() }
      // A field mapped to another name is still found under its own name, so that one column
      // map serves an identity provider's export and a SIEM's side by side.
      if matches.isEmpty, name.lowercased() != field.rawValue,
        !mappedNames.contains(field.rawValue)
      {
        let own = names.indices.filter { names[$0] == field.rawValue }
        if !own.isEmpty {
          matches = own
          name = field.rawValue
        }
      }
      for duplicate in matches.dropFirst() where reportedDuplicates.insert(duplicate).inserted {
        diagnostics.error(
          "duplicate column '\(header.string(at: duplicate))' (also column \(matches[0] + 1))",
          at: location(header.line, duplicate + 1))
        isUsable = false
      }
      if matches.isEmpty, field.isRequired {
        diagnostics.error(
          "no column '\(name)' for required field '\(field.rawValue)'",
          at: location(header.line))
        isUsable = false
      }
      // An optional field the column map names but the file lacks would silently read as
      // empty on every row, and change the classification; it is said once.
      if matches.isEmpty, !field.isRequired, name.lowercased() != field.rawValue {
        diagnostics.warning(
          "no column '\(name)' for field '\(field.rawValue)', which the column map names; "
            + "every row is read without it", at: location(header.line))
      }
      return matches.first ?? -1
    }
    guard isUsable else { throw unusable() }
    return indices
  }

  private func location(_ line: Int, _ column: Int = 0) -> SourceLocation {
    SourceLocation(path: displayPath, line: line, column: column)
  }

  private func unusable() -> ControlGapFailure {
    ControlGapFailure(.badInput, "cannot read access events \(displayPath)")
  }
}
