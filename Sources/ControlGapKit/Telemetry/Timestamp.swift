/// An instant in UTC, kept as whole milliseconds since 1970-01-01T00:00:00Z.
///
/// Exports write instants in many zones; reading converts each one to UTC at once, so two
/// timestamps compare as instants whatever offset their sources used.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var millisecondsSinceEpoch: Int64

  public init(millisecondsSinceEpoch: Int64) {
    self.millisecondsSinceEpoch = millisecondsSinceEpoch
  }

  /// Reads an ISO 8601 date-time with a time zone, such as `2026-10-02T08:15:30Z` or
  /// `2026-10-02T10:15:30.123+02:00`.
  ///
  /// The form is `YYYY-MM-DDThh:mm:ss`, optional fractional seconds after a `.`, then `Z` or an
  /// offset `±hh:mm`. `T` and `Z` may be lowercase. Digits after the third fractional digit are
  /// dropped. Text without a zone, an impossible date or time, and a leap second (`:60`) are
  /// refused, because none of them names one instant that every reader agrees on.
  public init?(iso8601 text: String) {
    var text = text
    guard let parsed = text.withUTF8({ Timestamp(iso8601: UnsafeRawBufferPointer($0)) }) else {
      return nil
    }
    self = parsed
  }

  /// Whole seconds since the epoch, rounded down.
  public var secondsSinceEpoch: Int64 {
    millisecondsSinceEpoch.floorDivided(by: 1000)
  }

  /// The calendar day in UTC on which the instant falls.
  public var utcDay: CalendarDate {
    CalendarDate(dayNumber: utcDayNumber)
  }

  /// Days since 1970-01-01 of the UTC day on which the instant falls.
  var utcDayNumber: Int {
    Int(millisecondsSinceEpoch.floorDivided(by: Self.millisecondsPerDay))
  }

  /// `YYYY-MM-DDThh:mm:ssZ`, with `.sss` before the `Z` when the milliseconds are not zero.
  public var description: String {
    let dayStart = millisecondsSinceEpoch.floorDivided(by: Self.millisecondsPerDay)
    let withinDay = Int(millisecondsSinceEpoch - dayStart * Self.millisecondsPerDay)
    let seconds = withinDay / 1000
    let hour = String(seconds / 3600).leftPadded(to: 2)
    let minute = String(seconds / 60 % 60).leftPadded(to: 2)
    let second = String(seconds % 60).leftPadded(to: 2)
    let fraction = withinDay % 1000 == 0 ? "" : "." + String(withinDay % 1000).leftPadded(to: 3)
    return "\(CalendarDate(dayNumber: Int(dayStart)))T\(hour):\(minute):\(second)\(fraction)Z"
  }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
  }

  static let millisecondsPerDay: Int64 = 86_400_000
}

extension Timestamp {
  /// Reads the form described at `init?(iso8601:)` straight from UTF-8 bytes.
  init?(iso8601 text: UnsafeRawBufferPointer) {
    guard text.count >= 20, let dayNumber = Self.dayNumber(ofDateStarting: text) else {
      return nil
    }
    self.init(iso8601: text, dayNumber: dayNumber)
  }

  /// Days since 1970-01-01 of the `YYYY-MM-DD` that starts `text`, or `nil` when those ten bytes
  /// are not a real date in that form.
  fileprivate static func dayNumber(ofDateStarting text: UnsafeRawBufferPointer) -> Int? {
    guard text.count >= 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-") else {
      return nil
    }
    let year = text.decimal(at: 0, width: 4)
    let month = text.decimal(at: 5, width: 2)
    let day = text.decimal(at: 8, width: 2)
    return CalendarDate(year: year, month: month, day: day)?.dayNumber
  }

  /// Reads the rest of `text` after its date, at least 20 bytes in all, given the date's day
  /// number.
  fileprivate init?(iso8601 text: UnsafeRawBufferPointer, dayNumber: Int) {
    let count = text.count
    let hour = text.decimal(at: 11, width: 2)
    let minute = text.decimal(at: 14, width: 2)
    let second = text.decimal(at: 17, width: 2)
    guard (text[10] | 0x20) == UInt8(ascii: "t"), text[13] == UInt8(ascii: ":"),
      text[16] == UInt8(ascii: ":"), (0...23).contains(hour), (0...59).contains(minute),
      (0...59).contains(second)
    else { return nil }

    var index = 19
    var milliseconds = 0
    if text[index] == UInt8(ascii: ".") {
      index += 1
      let firstDigit = index
      while index < count, (0x30...0x39).contains(text[index]) {
        if index - firstDigit < 3 {
          milliseconds = milliseconds * 10 + Int(text[index] - 0x30)
        }
        index += 1
      }
      guard index > firstDigit else { return nil }
      for _ in min(index - firstDigit, 3)..<3 {
        milliseconds *= 10
      }
    }

    guard index < count else { return nil }
    var offsetSeconds = 0
    switch text[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      index += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard count - index == 6, text[index + 3] == UInt8(ascii: ":") else { return nil }
      let offsetHours = text.decimal(at: index + 1, width: 2)
      let offsetMinutes = text.decimal(at: index + 4, width: 2)
      guard (0...23).contains(offsetHours), (0...59).contains(offsetMinutes) else { return nil }
      let sign = text[index] == UInt8(ascii: "-") ? -1 : 1
      offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
      index += 6
    default:
      return nil
    }
    guard index == count else { return nil }

    let seconds = dayNumber * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    millisecondsSinceEpoch = Int64(seconds) * 1000 + Int64(milliseconds)
  }
}

/// Reads the timestamps of one export as `Timestamp(iso8601:)` does, remembering the date of
/// the last one read.
///
/// Exports list events in time order, or nearly, so most timestamps share their date with the
/// one before; the date's checks and its day count are then done once for the whole run.
struct TimestampReader {
  /// The first ten bytes of the last timestamp read whose date is real, as two loads.
  private var lastDateHead: UInt64 = 0
  private var lastDateTail: UInt16 = 0
  /// The day number of that date; `nil` before the first.
  private var lastDayNumber: Int?

  mutating func timestamp(_ text: UnsafeRawBufferPointer) -> Timestamp? {
    guard text.count >= 20 else { return nil }
    let head = text.loadUnaligned(as: UInt64.self)
    let tail = text.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    if let lastDayNumber, head == lastDateHead, tail == lastDateTail {
      return Timestamp(iso8601: text, dayNumber: lastDayNumber)
    }
    guard let dayNumber = Timestamp.dayNumber(ofDateStarting: text) else { return nil }
    lastDateHead = head
    lastDateTail = tail
    lastDayNumber = dayNumber
    return Timestamp(iso8601: text, dayNumber: dayNumber)
  }
}

extension UnsafeRawBufferPointer {
  /// The value of `width` decimal digits at `start`, or -1 when one is not a digit.
  @inline(__always)
  fileprivate func decimal(at start: Int, width: Int) -> Int {
    var value = 0
    for index in start..<start + width {
      let digit = Int(self[index]) &- 0x30
      guard digit >= 0, digit <= 9 else { return -1 }
      value = value * 10 + digit
    }
    return value
  }
}

extension Int64 {
  /// Division that rounds towards negative infinity, so instants before 1970 fall on the day
  /// and second that contain them.
  fileprivate func floorDivided(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return self % divisor < 0 ? quotient - 1 : quotient
  }
}
