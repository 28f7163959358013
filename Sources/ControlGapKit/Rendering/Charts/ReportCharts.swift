/// The charts of the HTML report, drawn from an assessment as finished SVG.
///
/// Each chart is `nil` when it has nothing to show, so that a template can leave it out.
/// The SVG is already escaped throughout, which is what lets the HTML template insert it
/// unescaped.
struct ReportCharts {
  var coverage: String?
  var bypassHeatMap: String?
  var bypassTrend: String?
  var exceptionTimeline: String?

  init(_ assessment: Assessment) {
    coverage = CoverageChart(assessment.frameworks).svg()
    bypassHeatMap = assessment.telemetry.flatMap { BypassHeatMap($0).svg() }
    bypassTrend = assessment.telemetry.flatMap { BypassTrendChart($0).svg() }
    exceptionTimeline = ExceptionTimeline(assessment).svg()
  }

  var value: MustacheValue {
    func chart(_ svg: String?) -> MustacheValue { svg.map { .string($0) } ?? .null }
    return .object([
      "coverage": chart(coverage),
      "bypassHeatMap": chart(bypassHeatMap),
      "bypassTrend": chart(bypassTrend),
      "exceptionTimeline": chart(exceptionTimeline),
    ])
  }
}
