/// A JSON value whose object keys keep the order they are given in, so that a document built
/// the same way is always written as the same bytes.
///
/// Foundation's encoder is not used: its number formatting and key order are not promised to
/// stay the same across platforms and releases, and the files written here are compared byte
/// for byte.
enum JSONValue: Equatable {
  case string(String)
  case int(Int)
  /// A fraction written with exactly `JSONValue.decimals` digits after the point.
  case decimal(Double)
  case bool(Bool)
  case null
  case array([JSONValue])
  /// Keys in writing order; the builder names each key once.
  case object([(String, JSONValue)])

  /// Digits after the point of every `decimal`: enough to tell 0.05% apart, few enough that
  /// rounding noise never shows.
  static let decimals = 4

  static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    lhs.text(indent: "") == rhs.text(indent: "")
  }

  /// A string, or `null` when the value is absent.
  static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

  /// A count, or `null` when it was not measured.
  static func int(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }

  /// The value as pretty-printed JSON: two spaces per level, `"key": value`, one element per
  /// line, and no trailing newline.
  func text(indent: String = "") -> String {
    switch self {
    case .string(let text): return JSONEscaping.escape(text)
    case .int(let number): return String(number)
    case .decimal(let number): return Self.fixed(number)
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .array(let elements):
      guard !elements.isEmpty else { return "[]" }
      let inner = indent + "  "
      let lines = elements.map { inner + $0.text(indent: inner) }
      return "[\n" + lines.joined(separator: ",\n") + "\n" + indent + "]"
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      let inner = indent + "  "
      let lines = members.map { key, value in
        inner + JSONEscaping.escape(key) + ": " + value.text(indent: inner)
      }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    }
  }

  /// `0.17438` → `0.1744`, independent of locale; a value that is not finite is written as 0.
  static func fixed(_ number: Double) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    guard number.isFinite, abs(number) < Double(Int.max / scale) else {
      return "0." + String(repeating: "0", count: decimals)
    }
    let scaled = Int((number * Double(scale)).rounded())
    let whole = String(abs(scaled) / scale)
    let fraction = String(abs(scaled) % scale)
    let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
    return (scaled < 0 ? "-" : "") + whole + "." + padded
  }
}
