/// Bypasses by app (rows) and action (columns), summed over every control, with the count
/// written in each cell and the cell's shade rising with it.
///
/// Apps and actions are ordered by their bypasses, most first, then by name, so the busiest
/// corner is always the top left. Only the busiest apps and actions are drawn when there are
/// more than fit; the description says so.
struct BypassHeatMap {
  struct Cell: Equatable {
    var app: String
    var action: String
    var bypasses: Int
  }

  var cells: [Cell]

  static let maximumApps = 12
  static let maximumActions = 8

  init(cells: [Cell]) {
    self.cells = cells
  }

  init(_ telemetry: TelemetryAssessment) {
    var sums: [String: [String: Int]] = [:]
    for diagnosis in telemetry.controls {
      for entry in diagnosis.telemetry.byAppAndAction {
        // Saturating: counts summed over many controls could pass what an Int holds.
        sums[entry.app, default: [:]][entry.action, default: 0] =
          (sums[entry.app]?[entry.action] ?? 0).saturatingAdding(entry.counts.bypasses)
      }
    }
    cells = sums.flatMap { app, actions in
      actions.map { Cell(app: app, action: $0.key, bypasses: $0.value) }
    }
  }

  /// Values ordered by their total bypasses, most first, then by UTF-8 order of the value.
  private static func ranked(_ totals: [String: Int]) -> [(value: String, bypasses: Int)] {
    totals.map { (value: $0.key, bypasses: $0.value) }
      .sorted {
        $0.bypasses != $1.bypasses
          ? $0.bypasses > $1.bypasses : $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)
      }
  }

  private static let labelWidth = 170.0
  private static let headerHeight = 56.0
  private static let cellWidth = 88.0
  private static let cellHeight = 26.0
  /// Light to dark; the last two carry white numbers.
  private static let shades = ["#ffffff", "#fde2e1", "#f6b4ad", "#e57d72", "#c0392b", "#8e1f14"]

  /// The chart, or `nil` when no app and action had a bypass.
  func svg(id: String = "chart-bypass-heat-map") -> String? {
    var appTotals: [String: Int] = [:]
    var actionTotals: [String: Int] = [:]
    var counts: [String: [String: Int]] = [:]
    for cell in cells {
      appTotals[cell.app] = appTotals[cell.app, default: 0].saturatingAdding(cell.bypasses)
      actionTotals[cell.action] = actionTotals[cell.action, default: 0].saturatingAdding(
        cell.bypasses)
      counts[cell.app, default: [:]][cell.action] = (counts[cell.app]?[cell.action] ?? 0)
        .saturatingAdding(cell.bypasses)
    }
    let allApps = Self.ranked(appTotals).filter { $0.bypasses > 0 }
    let allActions = Self.ranked(actionTotals).filter { $0.bypasses > 0 }
    guard !allApps.isEmpty else { return nil }
    let apps = Array(allApps.prefix(Self.maximumApps)).map(\.value)
    let actions = Array(allActions.prefix(Self.maximumActions)).map(\.value)
    let maximum = apps.flatMap { app in actions.map { counts[app]?[$0] ?? 0 } }.max() ?? 0

    var sentences = [
      "Bypasses by app and action"
        + (apps.count < allApps.count || actions.count < allActions.count
          ? ", the \(apps.count) of \(allApps.count) apps and \(actions.count) of "
            + "\(allActions.count) actions with the most bypasses:" : ":")
    ]
    for app in apps {
      let row = actions.map { "\($0) \(counts[app]?[$0] ?? 0)" }
      sentences.append("\(app): " + row.joined(separator: ", ") + ".")
    }
    var chart = SVGChart(
      id: id, width: Self.labelWidth + Double(actions.count) * Self.cellWidth + 4,
      height: Self.headerHeight + Double(apps.count) * Self.cellHeight + 4,
      title: "Bypasses by app and action", description: sentences.joined(separator: " "))

    chart.text(
      "App \u{2193} / action \u{2192}", x: 0, y: Self.headerHeight - 8, size: 11,
      fill: "#5b6475")
    for (column, action) in actions.enumerated() {
      let center = Self.labelWidth + (Double(column) + 0.5) * Self.cellWidth
      let words = Self.twoLines(action)
      if !words.0.isEmpty {
        chart.text(
          words.0, x: center, y: Self.headerHeight - 24, anchor: .middle, size: 11, bold: true)
      }
      chart.text(
        words.1, x: center, y: Self.headerHeight - 10, anchor: .middle, size: 11,
        bold: true)
    }
    for (rowIndex, app) in apps.enumerated() {
      let top = Self.headerHeight + Double(rowIndex) * Self.cellHeight
      chart.text(app, x: 0, y: top + 17, size: 12, bold: true)
      for (column, action) in actions.enumerated() {
        let count = counts[app]?[action] ?? 0
        // The shade, 1 to 5, in proportion to the largest cell; in floating point, as five
        // times a very large count would pass what an Int holds.
        let level =
          maximum == 0 || count == 0
          ? 0 : min(5, 1 + Int((Double(count) * 5 - 1) / Double(maximum)))
        let left = Self.labelWidth + Double(column) * Self.cellWidth
        chart.rect(
          x: left, y: top, width: Self.cellWidth, height: Self.cellHeight,
          fill: Self.shades[level], stroke: "#d9dde5",
          tooltip: "\(app), \(action): \(count) bypasses")
        chart.text(
          "\(count)", x: left + Self.cellWidth / 2, y: top + 17, anchor: .middle, size: 12,
          fill: level >= 4 ? "#ffffff" : "#1d2433")
      }
    }
    return chart.render()
  }

  /// An action name split at its middle hyphen or space, so that long names fit a column.
  private static func twoLines(_ text: String) -> (String, String) {
    guard text.count > 12 else { return ("", text) }
    let characters = Array(text)
    let breaks = characters.indices.filter { characters[$0] == "-" || characters[$0] == " " }
    guard
      let split = breaks.min(by: { abs($0 - characters.count / 2) < abs($1 - characters.count / 2) }
      )
    else { return ("", text) }
    return (String(characters[...split]), String(characters[(split + 1)...]))
  }
}
