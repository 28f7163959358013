/// Where the value of one event field sits in the record or line being read.
struct FieldValue {
  /// The value's bytes, valid while the record is; `nil` when the export has no such field.
  var bytes: UnsafeRawBufferPointer?
  /// Where a diagnostic about the value points, in the reader's own terms; 0 for nowhere.
  var position: Int

  static var absent: FieldValue { FieldValue(bytes: nil, position: 0) }
}

/// One `FieldValue` per event field, in memory allocated once per read rather than per row.
struct FieldValues: ~Copyable {
  private let values: UnsafeMutablePointer<FieldValue>

  init() {
    values = .allocate(capacity: AccessEvent.Field.allCases.count)
    values.initialize(repeating: .absent, count: AccessEvent.Field.allCases.count)
  }

  deinit {
    values.deallocate()
  }

  subscript(index: Int) -> FieldValue {
    get { values[index] }
    nonmutating set { values[index] = newValue }
  }

  func removeAll() {
    values.update(repeating: .absent, count: AccessEvent.Field.allCases.count)
  }
}

/// An access event checked like an `AccessEvent` whose text fields still point into the
/// reader's buffer, so that a consumer can count it without making a `String` per field.
///
/// The bytes are valid only during the call that lends the event. Optional fields are `nil`
/// when the export leaves them out or empty.
struct RawAccessEvent {
  var timestamp: Timestamp
  var user: UnsafeRawBufferPointer
  var control: UnsafeRawBufferPointer
  var app: UnsafeRawBufferPointer
  var role: UnsafeRawBufferPointer?
  var location: UnsafeRawBufferPointer?
  var device: UnsafeRawBufferPointer?
  var action: UnsafeRawBufferPointer
  var risk: AccessEvent.Risk?
  var outcome: AccessEvent.Outcome
  var path: UnsafeRawBufferPointer?
  /// The line of the export where the event starts.
  var line: Int
}

/// Checks the field values of one record and lends them as a `RawAccessEvent`.
struct AccessEventDecoder: ~Copyable {
  /// What is wrong with the last values that gave no event, with the position of each value
  /// concerned, in field order.
  private(set) var problems: [(message: String, position: Int)] = []
  private var timestamps = TimestampReader()

  /// The event the values describe, or `nil` after listing every problem in them in
  /// `problems`. The event's bytes are those of `values`, valid as long as they are.
  ///
  /// - Parameters:
  ///   - values: One value per field, in `AccessEvent.Field.allCases` order.
  ///   - line: The line where the record starts.
  ///   - skipping: Fields, as a bit set by `AccessEvent.Field.index`, whose problem the caller
  ///     has already reported; they make the event invalid without being listed again.
  mutating func event(
    from values: borrowing FieldValues, line: Int, skipping reported: UInt16 = 0
  ) -> RawAccessEvent? {
    if !problems.isEmpty {
      problems.removeAll(keepingCapacity: true)
    }
    var isValid = reported == 0
    func report(_ message: String, _ position: Int) {
      problems.append((message, position))
    }

    /// The non-empty value of a required field, or `nil` after reporting it missing.
    func required(_ field: AccessEvent.Field) -> UnsafeRawBufferPointer? {
      let value = values[field.index]
      guard reported & (1 << field.index) == 0 else { return nil }
      guard let bytes = value.bytes, !bytes.isEmpty else {
        report("missing value for required field '\(field.rawValue)'", value.position)
        isValid = false
        return nil
      }
      return bytes
    }

    func optional(_ field: AccessEvent.Field) -> UnsafeRawBufferPointer? {
      guard let bytes = values[field.index].bytes, !bytes.isEmpty else { return nil }
      return bytes
    }

    var timestamp: Timestamp?
    if let bytes = required(.timestamp) {
      timestamp = timestamps.timestamp(bytes)
      if timestamp == nil {
        report(
          "timestamp \(bytes.quotedForMessage) is not an ISO 8601 date-time with a time zone",
          values[AccessEvent.Field.timestamp.index].position)
        isValid = false
      }
    }
    let user = required(.user)
    let control = required(.control)
    let app = required(.app)
    let action = required(.action)

    var risk: AccessEvent.Risk?
    if let bytes = optional(.risk) {
      risk = Self.risk(bytes)
      if risk == nil {
        report(
          "risk \(bytes.quotedForMessage) is not one of low, medium, high",
          values[AccessEvent.Field.risk.index].position)
        isValid = false
      }
    }

    var outcome: AccessEvent.Outcome?
    if let bytes = required(.outcome) {
      outcome = Self.outcome(bytes)
      if outcome == nil {
        report(
          "outcome \(bytes.quotedForMessage) is not one of passed, failed, abandoned, bypassed, "
            + "exception", values[AccessEvent.Field.outcome.index].position)
        isValid = false
      }
    }

    guard isValid, let timestamp, let user, let control, let app, let action, let outcome else {
      return nil
    }
    return RawAccessEvent(
      timestamp: timestamp, user: user, control: control, app: app, role: optional(.role),
      location: optional(.location), device: optional(.device), action: action, risk: risk,
      outcome: outcome, path: optional(.path), line: line)
  }
}

extension AccessEventDecoder {
  /// As `AccessEvent.Outcome(matching:)`, with one comparison per word instead of per byte.
  @inline(__always)
  fileprivate static func outcome(_ text: UnsafeRawBufferPointer) -> AccessEvent.Outcome? {
    guard (6...9).contains(text.count) else { return nil }
    let key = CaseFoldedKey(text)
    if key == passed { return .passed }
    if key == failed { return .failed }
    if key == bypassed { return .bypassed }
    if key == abandoned { return .abandoned }
    if key == exception { return .exception }
    return nil
  }

  /// As `AccessEvent.Risk(matching:)`, with one comparison per word instead of per byte.
  @inline(__always)
  fileprivate static func risk(_ text: UnsafeRawBufferPointer) -> AccessEvent.Risk? {
    guard (3...6).contains(text.count) else { return nil }
    let key = CaseFoldedKey(text)
    if key == low { return .low }
    if key == medium { return .medium }
    if key == high { return .high }
    return nil
  }

  // Computed rather than stored: a stored static would be checked for its one-time
  // initialisation on every row.
  private static var passed: CaseFoldedKey { CaseFoldedKey("passed") }
  private static var failed: CaseFoldedKey { CaseFoldedKey("failed") }
  private static var bypassed: CaseFoldedKey { CaseFoldedKey("bypassed") }
  private static var abandoned: CaseFoldedKey { CaseFoldedKey("abandoned") }
  private static var exception: CaseFoldedKey { CaseFoldedKey("exception") }
  private static var low: CaseFoldedKey { CaseFoldedKey("low") }
  private static var medium: CaseFoldedKey { CaseFoldedKey("medium") }
  private static var high: CaseFoldedKey { CaseFoldedKey("high") }
}

/// A value of 3 to 16 bytes read as two words with bit 5 of every byte set, plus its length.
///
/// Setting bit 5 lowercases an ASCII letter and turns no other byte into a lowercase letter,
/// so the keys of two values are equal exactly when the values are equal ignoring ASCII case,
/// whenever one of them is made of lowercase letters only.
private struct CaseFoldedKey: Equatable {
  var first: UInt64
  var second: UInt64
  var count: Int

  @inline(__always)
  init(_ text: UnsafeRawBufferPointer) {
    let count = text.count
    let folding: UInt64 = 0x2020_2020_2020_2020
    // Overlapping loads from both ends cover every byte once the length is known.
    if count >= 8 {
      first = text.loadUnaligned(as: UInt64.self) | folding
      second = text.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) | folding
    } else if count >= 4 {
      let head = UInt64(text.loadUnaligned(as: UInt32.self))
      let tail = UInt64(text.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      first = (head | tail << 32) | folding
      second = 0
    } else {
      precondition(count == 3, "a case-folded key needs 3 to 16 bytes")
      first = (UInt64(text[0]) | UInt64(text[1]) << 8 | UInt64(text[2]) << 16) | folding
      second = 0
    }
    self.count = count
  }

  @inline(__always)
  init(_ lowercase: StaticString) {
    self.init(
      UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount))
  }
}

/// Turns raw events into `AccessEvent`s, with one `StringInterner` per text field, so that a
/// long value repeated on many rows, such as a user's address, is decoded once per file and
/// shared by its events.
final class AccessEventStrings {
  private var users = StringInterner()
  private var controls = StringInterner()
  private var apps = StringInterner()
  private var roles = StringInterner()
  private var locations = StringInterner()
  private var devices = StringInterner()
  private var actions = StringInterner()
  private var paths = StringInterner()

  func event(from raw: RawAccessEvent) -> AccessEvent {
    AccessEvent(
      timestamp: raw.timestamp, user: users.string(for: raw.user),
      control: controls.string(for: raw.control), app: apps.string(for: raw.app),
      role: raw.role.map { roles.string(for: $0) },
      location: raw.location.map { locations.string(for: $0) },
      device: raw.device.map { devices.string(for: $0) },
      action: actions.string(for: raw.action), risk: raw.risk, outcome: raw.outcome,
      path: raw.path.map { paths.string(for: $0) }, line: raw.line)
  }
}
