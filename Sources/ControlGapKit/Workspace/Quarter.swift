/// A calendar quarter, the period an assessment covers (`2026-Q4`).
public struct Quarter: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let year: Int
  public let number: Int

  public init?(year: Int, number: Int) {
    guard (1...9999).contains(year), (1...4).contains(number) else { return nil }
    self.year = year
    self.number = number
  }

  /// Reads `YYYY-Qn`.
  public init?(parsing text: String) {
    let parts = text.split(separator: "-")
    guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]),
      parts[1].count == 2, parts[1].first == "Q", let number = Int(parts[1].dropFirst())
    else { return nil }
    self.init(year: year, number: number)
  }

  public var description: String { "\(String(year).leftPadded(to: 4))-Q\(number)" }

  public var firstDay: CalendarDate {
    CalendarDate(year: year, month: (number - 1) * 3 + 1, day: 1)!
  }

  public var lastDay: CalendarDate {
    let month = number * 3
    return CalendarDate(
      year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month))!
  }

  public static func < (lhs: Quarter, rhs: Quarter) -> Bool {
    (lhs.year, lhs.number) < (rhs.year, rhs.number)
  }
}
