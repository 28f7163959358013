@testable import ControlGapKit

extension ClosedRange where Bound == CalendarDate {
  /// The UTC days from `first` through `last`, or `first` alone, written `YYYY-MM-DD`: how the
  /// tests spell the first and last day of a slice's bypasses.
  static func days(_ first: String, _ last: String? = nil) -> ClosedRange<CalendarDate> {
    CalendarDate(parsing: first)!...CalendarDate(parsing: last ?? first)!
  }
}
