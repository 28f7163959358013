/// Turns the lines of a JSON Lines export into raw access events: each line is one object whose
/// top-level keys name the fields.
struct JSONLinesEventReading {
  let columns: EventColumnMap
  let displayPath: String
  let diagnostics: DiagnosticSink

  func read(
    _ lines: JSONLinesReader, rows: inout RowTally, _ body: (RawAccessEvent) throws -> Void
  ) throws {
    let matcher = columns.keyMatcher
    // Decoded strings never outgrow the line they come from, so one line's worth is enough.
    let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, lines.maxLineBytes))
    defer { scratch.deallocate() }
    var members: [JSONMember] = []
    var decoder = AccessEventDecoder()
    let values = FieldValues()

    while let line = try lines.nextLine() {
      let number = line.number
      let text = line.bytes
      func location(atOffset offset: Int?) -> SourceLocation {
        SourceLocation(path: displayPath, line: number, column: offset.map(column) ?? 0)
      }
      /// The character column of a byte offset, counting from 1.
      func column(_ offset: Int) -> Int {
        1 + text.prefix(offset).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
      }

      guard !line.isTooLong else {
        diagnostics.warning(
          "line is longer than \(lines.maxLineBytes) bytes", at: location(atOffset: nil))
        try rows.countBadRow(at: number)
        continue
      }

      members.removeAll(keepingCapacity: true)
      var parser = JSONLineParser(line: text, scratch: scratch)
      do {
        try parser.parseObject(into: &members)
      } catch {
        diagnostics.warning(error.message, at: location(atOffset: error.offset))
        try rows.countBadRow(at: number)
        continue
      }

      // Keys that cannot give a value are reported here; the decoder then leaves their fields
      // alone, so that each problem is reported once.
      var isValid = true
      var reported: UInt16 = 0
      values.removeAll()
      for member in members {
        let fields = matcher.fields(forKey: member.key)
        guard fields != 0 else { continue }
        for field in AccessEvent.Field.allCases where fields & (1 << field.index) != 0 {
          if values[field.index].bytes != nil || reported & (1 << field.index) != 0 {
            diagnostics.warning(
              "duplicate key \(member.key.quotedForMessage) for field '\(field.rawValue)'",
              at: location(atOffset: member.keyOffset))
            isValid = false
            continue
          }
          switch member.kind {
          case .object, .array:
            diagnostics.warning(
              "field '\(field.rawValue)' must be a string, not "
                + (member.kind == .object ? "an object" : "an array"),
              at: location(atOffset: member.valueOffset))
            reported |= 1 << field.index
          case .string, .number, .boolean, .null:
            values[field.index] = FieldValue(bytes: member.value, position: member.valueOffset + 1)
          }
        }
      }

      let event = decoder.event(from: values, line: number, skipping: reported)
      for (message, position) in event == nil ? decoder.problems : [] {
        diagnostics.warning(message, at: location(atOffset: position > 0 ? position - 1 : nil))
      }
      guard let event, isValid else {
        try rows.countBadRow(at: number)
        continue
      }
      rows.countEvent()
      try body(event)
    }
  }
}
