/// One drawn event, with every text as its position in the scenario's texts.
struct GeneratedEvent {
  var time: TimestampParts
  var user: Int
  var control: Int
  var app: Int
  var role: Int
  var location: Int
  var device: Int
  var action: Int
  var risk: Int
  var outcome: Int
  /// `noText` when the event has no path.
  var path: Int

  static let noText = -1
}

/// An instant as an export writes it: a UTC day and second, a fraction written with a given
/// number of digits, and the offset the writer's clock was set to.
struct TimestampParts {
  /// Days since 1970-01-01, UTC.
  var day: Int
  /// Seconds into the UTC day.
  var second: Int
  /// The fraction of the second, as a whole number of `fractionDigits` digits.
  var fraction = 0
  var fractionDigits = 0
  /// Minutes east of UTC; 0 is written as `Z`.
  var offsetMinutes = 0
}

/// The bytes being gathered for the next write.
struct OutputBuffer {
  let base: UnsafeMutablePointer<UInt8>
  let capacity: Int
  var count = 0

  init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
    self.base = base
    self.capacity = capacity
  }

  mutating func append(_ byte: UInt8) {
    base[count] = byte
    count += 1
  }

  mutating func append(_ bytes: UnsafePointer<UInt8>, count length: Int) {
    (base + count).update(from: bytes, count: length)
    count += length
  }

  /// Appends `value` in decimal with exactly `width` digits, zeros in front.
  mutating func append(_ value: Int, digits width: Int) {
    var rest = value
    var index = count + width - 1
    while index >= count {
      base[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
      rest /= 10
      index -= 1
    }
    count += width
  }
}

/// Writes events as CSV records or JSON lines.
///
/// Every text of the scenario is escaped once, up front, into one block of bytes, so that
/// writing an event copies bytes and formats only its timestamp.
struct RecordEncoder: ~Copyable {
  let format: AccessEventReader.Format
  /// The escaped texts, one after another: each a CSV field, or a JSON string with its quotes.
  private let escaped: UnsafeMutablePointer<UInt8>
  /// Where each text starts in `escaped`, with one more entry for the end of the last.
  private let starts: [Int]
  /// What goes before each field, one after another: the separator, and in JSON the key.
  private let prefixStore: UnsafeMutablePointer<UInt8>
  private let prefixStarts: [Int]
  /// The most bytes one record can take.
  let longestRecord: Int

  init(texts: [String], format: AccessEventReader.Format) {
    self.format = format
    var bytes: [UInt8] = []
    var starts = [0]
    var longestText = 0
    for text in texts {
      let field = format == .csv ? CSVEscaping.escape(text) : JSONEscaping.escape(text)
      bytes += field.utf8
      starts.append(bytes.count)
      longestText = max(longestText, field.utf8.count)
    }
    escaped = .allocate(capacity: max(1, bytes.count))
    escaped.initialize(from: bytes, count: bytes.count)
    self.starts = starts

    let fields = AccessEvent.Field.allCases
    let prefixes = fields.enumerated().map { index, field in
      switch format {
      case .csv: index == 0 ? [] : Array(",".utf8)
      case .jsonLines: Array(((index == 0 ? "{" : ",") + "\"\(field.rawValue)\":").utf8)
      }
    }
    var store: [UInt8] = []
    var prefixStarts = [0]
    for prefix in prefixes {
      store += prefix
      prefixStarts.append(store.count)
    }
    prefixStore = .allocate(capacity: max(1, store.count))
    prefixStore.initialize(from: store, count: store.count)
    self.prefixStarts = prefixStarts

    // The timestamp with quotes, fraction and offset takes at most 40 bytes, a missing value
    // (`null`) 4, and the line's end 2.
    longestRecord = store.count + 40 + max(longestText, 4) * (fields.count - 1) + 2
  }

  deinit {
    escaped.deallocate()
    prefixStore.deallocate()
  }

  /// The CSV header row; JSON Lines has none.
  func appendHeader(to output: inout OutputBuffer) {
    guard format == .csv else { return }
    for byte in AccessEvent.Field.allCases.map(\.rawValue).joined(separator: ",").utf8 {
      output.append(byte)
    }
    output.append(0x0A)
  }

  func append(_ event: GeneratedEvent, to output: inout OutputBuffer) {
    appendPrefix(0, to: &output)
    if format == .jsonLines { output.append(0x22) }
    appendTimestamp(event.time, to: &output)
    if format == .jsonLines { output.append(0x22) }

    // In `AccessEvent.Field.allCases` order, as the header names them.
    appendField(1, event.user, to: &output)
    appendField(2, event.control, to: &output)
    appendField(3, event.app, to: &output)
    appendField(4, event.role, to: &output)
    appendField(5, event.location, to: &output)
    appendField(6, event.device, to: &output)
    appendField(7, event.action, to: &output)
    appendField(8, event.risk, to: &output)
    appendField(9, event.outcome, to: &output)
    appendField(10, event.path, to: &output)

    if format == .jsonLines { output.append(0x7D) }
    output.append(0x0A)
  }

  private func appendPrefix(_ field: Int, to output: inout OutputBuffer) {
    let start = prefixStarts[field]
    output.append(prefixStore + start, count: prefixStarts[field + 1] - start)
  }

  /// A field's separator and value; a missing value is an empty CSV field or JSON `null`.
  private func appendField(_ field: Int, _ text: Int, to output: inout OutputBuffer) {
    appendPrefix(field, to: &output)
    guard text != GeneratedEvent.noText else {
      if format == .jsonLines {
        for byte in "null".utf8 { output.append(byte) }
      }
      return
    }
    let start = starts[text]
    output.append(escaped + start, count: starts[text + 1] - start)
  }

  /// `YYYY-MM-DDThh:mm:ss`, the fraction if any, then `Z` or `±hh:mm`, in the writer's zone.
  private func appendTimestamp(_ time: TimestampParts, to output: inout OutputBuffer) {
    var offset = time.offsetMinutes
    var day = time.day
    var second = time.second + offset * 60
    if second < 0 {
      second += 86_400
      day -= 1
    } else if second >= 86_400 {
      second -= 86_400
      day += 1
    }
    var date = CalendarDate(dayNumber: day)
    // Four digits hold the years 1 through 9999; at either end of that range the instant is
    // written in UTC, where its day lies inside the quarter.
    if !(1...9999).contains(date.year) {
      offset = 0
      second = time.second
      date = CalendarDate(dayNumber: time.day)
    }

    output.append(date.year, digits: 4)
    output.append(0x2D)
    output.append(date.month, digits: 2)
    output.append(0x2D)
    output.append(date.day, digits: 2)
    output.append(0x54)
    output.append(second / 3600, digits: 2)
    output.append(0x3A)
    output.append(second / 60 % 60, digits: 2)
    output.append(0x3A)
    output.append(second % 60, digits: 2)
    if time.fractionDigits > 0 {
      output.append(0x2E)
      output.append(time.fraction, digits: time.fractionDigits)
    }
    if offset == 0 {
      output.append(0x5A)
    } else {
      output.append(offset < 0 ? 0x2D : 0x2B)
      output.append(abs(offset) / 60, digits: 2)
      output.append(0x3A)
      output.append(abs(offset) % 60, digits: 2)
    }
  }
}
