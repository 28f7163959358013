/// One bar per exception from the day it was granted to the day it expires, against a line at
/// the assessment date.
///
/// An exception without an expiry runs to the right edge and ends open, with no closing edge;
/// one without a grant date starts at the left edge, dashed.
struct ExceptionTimeline {
  struct Entry: Equatable {
    var id: String
    var controlID: String
    var granted: CalendarDate?
    var expires: CalendarDate?
  }

  var entries: [Entry]
  var asOf: CalendarDate

  init(entries: [Entry], asOf: CalendarDate) {
    self.entries = entries
    self.asOf = asOf
  }

  init(_ assessment: Assessment) {
    entries = assessment.exceptions.map {
      Entry(
        id: $0.id, controlID: $0.controlID, granted: $0.exception.granted,
        expires: $0.exception.expires)
    }
    asOf = assessment.asOf
  }

  private static let labelWidth = 200.0
  private static let plotWidth = 660.0
  private static let rowHeight = 24.0
  private static let top = 34.0

  /// The chart, or `nil` when there are no exceptions.
  func svg(id: String = "chart-exception-timeline") -> String? {
    guard !entries.isEmpty else { return nil }
    let dates = entries.flatMap { [$0.granted, $0.expires].compactMap { $0 } } + [asOf]
    let first = dates.min()!.adding(days: -7)
    let last = dates.max()!.adding(days: 21)
    let span = Double(first.days(until: last))
    func x(_ date: CalendarDate) -> Double {
      Self.labelWidth + Self.plotWidth * Double(first.days(until: date)) / span
    }
    let plotRight = Self.labelWidth + Self.plotWidth
    let bottom = Self.top + Double(entries.count) * Self.rowHeight

    let listed = entries.map { entry in
      "\(entry.id) (\(entry.controlID)) granted \(entry.granted?.description ?? "on no recorded date"), "
        + (entry.expires.map { "expires \($0)" } ?? "no expiry")
    }
    var chart = SVGChart(
      id: id, width: plotRight + 100, height: bottom + 30,
      title: "Exception periods against the assessment date",
      description: "Assessment date \(asOf). " + listed.joined(separator: "; ") + ".")

    // Gridlines on the first of each month, or of each January (every few years) when the
    // chart spans years, so that an expiry far ahead such as 9999-12-31 gives a readable chart.
    let months = (last.year - first.year) * 12 + last.month - first.month
    let step = months <= 24 ? 1 : 12 * max(1, months / (12 * 20) + (months % (12 * 20) > 0 ? 1 : 0))
    var next = CalendarDate(year: first.year, month: step == 1 ? first.month : 1, day: 1)
    while let month = next, month <= last {
      if month >= first {
        chart.line(x1: x(month), y1: Self.top - 4, x2: x(month), y2: bottom, stroke: "#eceff3")
        chart.text(
          BypassTrendChart.months[month.month - 1] + " " + String(month.year),
          x: x(month) + 3, y: bottom + 16, size: 10, fill: "#5b6475")
      }
      // Past year 9999 there is no date, and the gridlines end.
      let index = month.year * 12 + month.month - 1 + step
      next = CalendarDate(year: index / 12, month: index % 12 + 1, day: 1)
    }

    for (index, entry) in entries.enumerated() {
      let y = Self.top + Double(index) * Self.rowHeight
      chart.text("\(entry.id) · \(entry.controlID)", x: 0, y: y + 16, size: 11, bold: true)
      let start = entry.granted.map(x) ?? Self.labelWidth
      let expired = entry.expires.map { $0 < asOf } ?? false
      let fill = expired ? "#e6a19b" : (entry.expires == nil ? "#f7c98b" : "#8fd0a6")
      let ink = expired ? "#8e1f14" : (entry.expires == nil ? "#7a4700" : "#145a32")
      let tooltip = listed[index]
      if let expires = entry.expires {
        let end = x(expires)
        chart.rect(
          x: start, y: y + 5, width: max(end - start, 2), height: 14, fill: fill, stroke: ink,
          dashed: entry.granted == nil, tooltip: tooltip)
        chart.text(
          (expired ? "expired " : "expires ") + expires.description, x: end + 4, y: y + 16,
          size: 10, fill: ink)
      } else {
        // Open-ended: top and bottom edges only, running off the plot with an arrow.
        chart.rect(
          x: start, y: y + 5, width: plotRight - start, height: 14, fill: fill,
          tooltip: tooltip)
        chart.line(x1: start, y1: y + 5, x2: plotRight, y2: y + 5, stroke: ink)
        chart.line(x1: start, y1: y + 19, x2: plotRight, y2: y + 19, stroke: ink)
        chart.text("no expiry \u{2192}", x: plotRight + 4, y: y + 16, size: 10, fill: ink)
      }
    }

    chart.line(
      x1: x(asOf), y1: Self.top - 10, x2: x(asOf), y2: bottom, stroke: "#1d2433", width: 1.5,
      dashed: true)
    chart.text(
      "Assessed \(asOf)", x: x(asOf), y: Self.top - 14, anchor: .middle, size: 11, bold: true)
    return chart.render()
  }
}
