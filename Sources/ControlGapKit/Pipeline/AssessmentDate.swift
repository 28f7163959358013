extension Quarter {
  /// The day an assessment of the quarter is made as of: `asOf` when given, else the last day.
  ///
  /// - Throws: `ControlGapFailure(.usage)` when `asOf` is before the quarter begins. The date
  ///   comes from the command line, so the problem is the user's, not one of the settings file.
  func assessmentDate(_ asOf: CalendarDate?) throws -> CalendarDate {
    let date = asOf ?? lastDay
    guard date >= firstDay else {
      throw ControlGapFailure(
        .usage, "assessment date \(date) is before the period \(self), which begins on \(firstDay)")
    }
    return date
  }
}
