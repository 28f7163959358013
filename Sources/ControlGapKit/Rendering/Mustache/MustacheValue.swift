import Foundation

/// The data a Mustache template is rendered against.
///
/// Sections test truthiness: `false`, `null` and the empty list are falsy; everything else,
/// including the empty string, zero and the empty object, is truthy. The spec files leave
/// strings and numbers open, and testing presence rather than content keeps templates
/// predictable.
public enum MustacheValue: Equatable, Sendable {
  case string(String)
  case bool(Bool)
  case int(Int)
  case double(Double)
  case list([MustacheValue])
  /// Names are looked up by key; Mustache never iterates an object, so key order has no effect.
  case object([String: MustacheValue])
  case null

  /// Whether a section over this value renders (once, or once per list element).
  public var isTruthy: Bool {
    switch self {
    case .bool(let flag): flag
    case .null: false
    case .list(let elements): !elements.isEmpty
    case .string, .int, .double, .object: true
    }
  }

  /// The text an interpolation tag writes before escaping.
  ///
  /// Whole doubles print without a fractional part (`2.0` prints `2`), so that JSON numbers
  /// read the same whichever way they were parsed. `null`, lists and objects print nothing.
  public var interpolationText: String {
    switch self {
    case .string(let text): text
    case .bool(let flag): flag ? "true" : "false"
    case .int(let number): String(number)
    case .double(let number): Self.text(for: number)
    case .null, .list, .object: ""
    }
  }

  private static func text(for number: Double) -> String {
    // Beyond 2^53 whole doubles are no longer exact integers, so keep Swift's own spelling.
    if number.rounded() == number, abs(number) < 9_007_199_254_740_992 {
      return String(Int(number))
    }
    return String(number)
  }

  /// The value a key names in an object, or `nil` for a missing key or a value that is not an
  /// object.
  public subscript(key: String) -> MustacheValue? {
    guard case .object(let members) = self else { return nil }
    return members[key]
  }
}

// MARK: - Foundation JSON

extension MustacheValue {
  /// Converts the output of `JSONSerialization.jsonObject(with:options:)`.
  ///
  /// `NSNull` becomes `null`; JSON booleans become `bool`; numbers written with a fraction or
  /// an exponent become `double`, the others `int`. Values that JSON cannot produce become
  /// `null`.
  ///
  /// - Parameter jsonObject: A dictionary, array, string, number or `NSNull`.
  public init(jsonObject: Any) {
    switch jsonObject {
    case let text as String:
      self = .string(text)
    case let number as NSNumber:
      self = Self.value(for: number)
    case let elements as [Any]:
      self = .list(elements.map(MustacheValue.init(jsonObject:)))
    case let members as [String: Any]:
      self = .object(members.mapValues(MustacheValue.init(jsonObject:)))
    default:
      self = .null
    }
  }

  /// Parses JSON text, which may have any value at its top level.
  ///
  /// - Parameter jsonData: UTF-8 JSON.
  /// - Throws: The error `JSONSerialization` reports for text that is not JSON.
  public init(jsonData: Data) throws {
    self.init(
      jsonObject: try JSONSerialization.jsonObject(with: jsonData, options: .fragmentsAllowed))
  }

  private static func value(for number: NSNumber) -> MustacheValue {
    // JSONSerialization backs booleans with a `char` and fractional numbers with a `double`.
    switch String(cString: number.objCType) {
    case "c", "B":
      return .bool(number.boolValue)
    case "d", "f":
      return .double(number.doubleValue)
    case "Q", "L", "I", "S", "C":
      let magnitude = number.uint64Value
      return magnitude <= UInt64(Int.max) ? .int(Int(magnitude)) : .double(number.doubleValue)
    default:
      return .int(number.intValue)
    }
  }
}

// MARK: - Literals

extension MustacheValue: ExpressibleByStringLiteral {
  public init(stringLiteral value: String) { self = .string(value) }
}

extension MustacheValue: ExpressibleByBooleanLiteral {
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension MustacheValue: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self = .int(value) }
}

extension MustacheValue: ExpressibleByFloatLiteral {
  public init(floatLiteral value: Double) { self = .double(value) }
}

extension MustacheValue: ExpressibleByArrayLiteral {
  public init(arrayLiteral elements: MustacheValue...) { self = .list(elements) }
}

extension MustacheValue: ExpressibleByDictionaryLiteral {
  /// Builds an object; a key given twice keeps its last value.
  public init(dictionaryLiteral elements: (String, MustacheValue)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension MustacheValue: ExpressibleByNilLiteral {
  public init(nilLiteral: ()) { self = .null }
}
