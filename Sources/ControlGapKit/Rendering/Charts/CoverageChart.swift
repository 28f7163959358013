/// One horizontal bar per framework, split into its requirements by status, worst first.
///
/// Every bar spans the framework's whole set of assessed requirements, so that shares compare
/// across frameworks of different sizes. Each status has its own fill pattern as well as its
/// colour, and the counts are written under each bar, so colour is never the only cue.
struct CoverageChart {
  struct Row: Equatable {
    var name: String
    /// One count per status, in `RequirementStatus.allCases` order.
    var counts: [Int]
  }

  var rows: [Row]

  init(rows: [Row]) {
    self.rows = rows
  }

  init(_ frameworks: [FrameworkAssessment]) {
    rows = frameworks.map { framework in
      Row(name: framework.name, counts: RequirementStatus.allCases.map(framework.count))
    }
  }

  /// One bar per function of `framework`, in catalog order; requirements outside any function
  /// form a bar of their own, named after the framework.
  init(functionsOf framework: FrameworkAssessment) {
    var order: [String] = []
    var counts: [String: [Int]] = [:]
    for assessed in framework.requirements {
      let name = assessed.requirement.function?.title ?? framework.name
      if counts[name] == nil {
        order.append(name)
        counts[name] = Array(repeating: 0, count: RequirementStatus.allCases.count)
      }
      counts[name]![assessed.status.rank] += 1
    }
    rows = order.map { Row(name: $0, counts: counts[$0]!) }
  }

  private static let labelWidth = 190.0
  private static let barWidth = 690.0
  private static let barHeight = 22.0
  private static let rowHeight = 56.0

  /// The chart, or `nil` when no framework has requirements to draw.
  func svg(id: String = "chart-coverage") -> String? {
    guard rows.contains(where: { $0.counts.reduce(0, +) > 0 }) else { return nil }
    let legendY = Double(rows.count) * Self.rowHeight + 8
    var chart = SVGChart(
      id: id, width: Self.labelWidth + Self.barWidth + 10, height: legendY + 26,
      title: "Requirements by status, per framework", description: description)

    for (index, row) in rows.enumerated() {
      let top = Double(index) * Self.rowHeight + 6
      let total = row.counts.reduce(0, +)
      chart.text(row.name, x: 0, y: top + 16, size: 13, bold: true)
      chart.text("\(total) requirements", x: 0, y: top + 32, size: 11, fill: "#5b6475")
      var x = Self.labelWidth
      for (status, count) in zip(RequirementStatus.allCases, row.counts) where count > 0 {
        let width = Self.barWidth * Double(count) / Double(total)
        Self.segment(
          &chart, status: status, x: x, y: top, width: width, height: Self.barHeight,
          tooltip: "\(row.name), \(status.title): \(count) of \(total)")
        x += width
      }
      let counts = zip(RequirementStatus.allCases, row.counts).map { "\($0.title) \($1)" }
      chart.text(
        counts.joined(separator: "  ·  "), x: Self.labelWidth, y: top + Self.barHeight + 16,
        size: 12)
    }

    var x = Self.labelWidth
    for status in RequirementStatus.allCases {
      Self.segment(&chart, status: status, x: x, y: legendY, width: 18, height: 14, tooltip: nil)
      chart.text(status.title, x: x + 24, y: legendY + 12, size: 12)
      x += 36 + Double(status.title.count) * 7
    }
    return chart.render()
  }

  /// The text alternative: every count of every framework.
  var description: String {
    rows.map { row in
      let counts = zip(RequirementStatus.allCases, row.counts).map {
        "\($0.title.lowercased()) \($1)"
      }
      return "\(row.name): \(row.counts.reduce(0, +)) requirements; "
        + counts.joined(separator: ", ") + "."
    }.joined(separator: " ")
  }

  /// Fill and pattern per status. Patterns are drawn as lines rather than SVG `<pattern>`
  /// fills, which would need `url(#…)` references.
  static func style(of status: RequirementStatus) -> (fill: String, ink: String) {
    switch status {
    case .ineffective: ("#e6a19b", "#8e1f14")
    case .gap: ("#f7c98b", "#7a4700")
    case .partial: ("#f3e49a", "#5e5000")
    case .covered: ("#8fd0a6", "#145a32")
    case .notApplicable: ("#ffffff", "#7f8896")
    }
  }

  private static func segment(
    _ chart: inout SVGChart, status: RequirementStatus, x: Double, y: Double, width: Double,
    height: Double, tooltip: String?
  ) {
    let (fill, ink) = style(of: status)
    chart.rect(
      x: x, y: y, width: width, height: height, fill: fill, stroke: ink,
      dashed: status == .notApplicable, tooltip: tooltip)
    // Ineffective: cross-hatched; gap: vertical lines; partial: one horizontal line;
    // covered: solid; not applicable: empty with a dashed outline.
    if status == .ineffective || status == .gap {
      var lineX = x + 4
      while lineX < x + width - 1 {
        chart.line(x1: lineX, y1: y, x2: lineX, y2: y + height, stroke: ink, width: 0.8)
        lineX += 6
      }
    }
    if status == .ineffective || status == .partial {
      chart.line(
        x1: x, y1: y + height / 2, x2: x + width, y2: y + height / 2, stroke: ink, width: 1.5)
    }
  }
}
