/// Bypasses per week over the telemetry window, summed over every control, as bars with the
/// count written above each.
///
/// Weeks are 7-day buckets counted from the window's first day rather than calendar weeks, so
/// that the first bar is never a stub; only the last can be shorter, and it says so.
struct BypassTrendChart {
  struct Week: Equatable {
    var start: CalendarDate
    /// 7, or fewer for the last week when the window ends inside it.
    var days: Int
    var bypasses: Int
  }

  var weeks: [Week]

  init(weeks: [Week]) {
    self.weeks = weeks
  }

  init(_ telemetry: TelemetryAssessment) {
    weeks = Self.weeks(
      firstDay: telemetry.firstDay, lastDay: telemetry.lastDay,
      daily: telemetry.controls.map(\.telemetry.daily))
  }

  /// Sums the daily bypasses of every control into 7-day weeks from `firstDay`; days outside
  /// the window are left out.
  static func weeks(firstDay: CalendarDate, lastDay: CalendarDate, daily: [[DayCounts]])
    -> [Week]
  {
    let span = firstDay.days(until: lastDay) + 1
    guard span > 0 else { return [] }
    var weeks = stride(from: 0, to: span, by: 7).map { offset in
      Week(start: firstDay.adding(days: offset), days: min(7, span - offset), bypasses: 0)
    }
    for day in daily.joined() {
      let offset = firstDay.days(until: day.date)
      guard offset >= 0, offset < span else { continue }
      weeks[offset / 7].bypasses = weeks[offset / 7].bypasses.saturatingAdding(day.counts.bypasses)
    }
    return weeks
  }

  private static let left = 56.0
  private static let top = 24.0
  private static let plotHeight = 200.0
  private static let plotWidth = 820.0
  static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// `2026-10-05` → `5 Oct`, in English whatever the machine's locale.
  static func shortDate(_ date: CalendarDate) -> String {
    "\(date.day) \(months[date.month - 1])"
  }

  /// The chart, or `nil` when there are no weeks or no bypasses in them.
  func svg(id: String = "chart-bypass-trend") -> String? {
    let maximum = weeks.map(\.bypasses).max() ?? 0
    guard maximum > 0 else { return nil }
    let scaleTop = Self.niceCeiling(maximum)
    let slot = Self.plotWidth / Double(weeks.count)
    let baseline = Self.top + Self.plotHeight

    let listed = weeks.map { week in
      "week from \(week.start)\(week.days < 7 ? " (\(Self.days(week.days)))" : "") \(week.bypasses)"
    }
    var chart = SVGChart(
      id: id, width: Self.left + Self.plotWidth + 10, height: baseline + 48,
      title: "Bypasses per week",
      description: "Bypasses per 7-day week, summed over every control: "
        + listed.joined(separator: ", ") + ".")

    for tick in [0, scaleTop / 2, scaleTop] {
      let y = baseline - Self.plotHeight * Double(tick) / Double(scaleTop)
      chart.line(
        x1: Self.left, y1: y, x2: Self.left + Self.plotWidth, y2: y,
        stroke: tick == 0 ? "#1d2433" : "#d9dde5")
      chart.text("\(tick)", x: Self.left - 6, y: y + 4, anchor: .end, size: 11, fill: "#5b6475")
    }
    chart.text("Bypasses", x: 0, y: Self.top - 10, size: 11, fill: "#5b6475", bold: true)

    for (index, week) in weeks.enumerated() {
      let height = Self.plotHeight * Double(week.bypasses) / Double(scaleTop)
      let center = Self.left + (Double(index) + 0.5) * slot
      let barWidth = slot * (week.days < 7 ? 0.7 * Double(week.days) / 7 : 0.7)
      chart.rect(
        x: center - barWidth / 2, y: baseline - height, width: barWidth, height: height,
        fill: "#4a6fa5",
        tooltip: "Week from \(week.start): \(week.bypasses) bypasses")
      chart.text("\(week.bypasses)", x: center, y: baseline - height - 4, anchor: .middle, size: 11)
      chart.text(
        Self.shortDate(week.start) + (week.days < 7 ? "*" : ""), x: center, y: baseline + 16,
        anchor: .middle, size: 11, fill: "#5b6475")
    }
    let footnote = weeks.last.map { $0.days < 7 ? ", * last week \(Self.days($0.days))" : "" } ?? ""
    chart.text(
      "Week starting (UTC)" + footnote, x: Self.left + Self.plotWidth / 2, y: baseline + 38,
      anchor: .middle, size: 11, fill: "#5b6475", bold: true)
    return chart.render()
  }

  private static func days(_ count: Int) -> String {
    count == 1 ? "1 day" : "\(count) days"
  }

  /// The smallest of 2, 4 or 10 times a power of ten that is at least `value`: even, so
  /// that the middle gridline is a whole number.
  static func niceCeiling(_ value: Int) -> Int {
    var power = 1
    while true {
      for step in [2, 4, 10] where step * power >= value {
        return step * power
      }
      power *= 10
    }
  }
}
