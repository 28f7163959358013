/// An inline SVG drawing in a fixed coordinate space that scales with the width of the page.
///
/// Every text, whether written as content or in an attribute, goes through
/// `HTMLEscaping.escape` here, so a finished chart can be placed in an HTML report as it is.
/// Coordinates are written with at most one decimal and without locale, so the same input
/// always gives the same bytes.
struct SVGChart {
  /// Unique within the report; the title and description take their ids from it.
  let id: String
  let width: Double
  let height: Double
  let title: String
  /// The text alternative: everything the chart shows, numbers included, in sentences.
  let description: String
  private var elements: [String] = []

  init(id: String, width: Double, height: Double, title: String, description: String) {
    self.id = id
    self.width = width
    self.height = height
    self.title = title
    self.description = description
  }

  /// A rectangle; `tooltip` becomes a `<title>` child that browsers show on hover.
  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, dashed: Bool = false, tooltip: String? = nil
  ) {
    var attributes = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)),
      ("height", Self.number(height)), ("fill", fill),
    ]
    if let stroke {
      attributes.append(("stroke", stroke))
    }
    if dashed {
      attributes.append(("stroke-dasharray", "4 3"))
    }
    let start = "<rect" + Self.attributes(attributes)
    if let tooltip {
      elements.append(start + "><title>" + HTMLEscaping.escape(tooltip) + "</title></rect>")
    } else {
      elements.append(start + "/>")
    }
  }

  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    dashed: Bool = false
  ) {
    var attributes = [
      ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)),
      ("y2", Self.number(y2)), ("stroke", stroke), ("stroke-width", Self.number(width)),
    ]
    if dashed {
      attributes.append(("stroke-dasharray", "4 3"))
    }
    elements.append("<line" + Self.attributes(attributes) + "/>")
  }

  enum Anchor: String {
    case start, middle, end
  }

  mutating func text(
    _ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
    fill: String = "#1d2433", bold: Bool = false
  ) {
    var attributes = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
      ("fill", fill),
    ]
    if anchor != .start {
      attributes.append(("text-anchor", anchor.rawValue))
    }
    if bold {
      attributes.append(("font-weight", "600"))
    }
    elements.append(
      "<text" + Self.attributes(attributes) + ">" + HTMLEscaping.escape(content) + "</text>")
  }

  /// The finished `<svg>` element, one element per line, with a trailing newline.
  func render() -> String {
    let titleID = "\(id)-title"
    let descriptionID = "\(id)-desc"
    let open =
      "<svg xmlns=\"http://www.w3.org/2000/svg\""
      + Self.attributes([
        ("id", id), ("class", "chart"),
        ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
        ("role", "img"), ("aria-labelledby", "\(titleID) \(descriptionID)"),
        ("font-family", "system-ui, sans-serif"),
      ]) + ">"
    let lines =
      [
        open,
        "<title id=\"\(HTMLEscaping.escape(titleID))\">\(HTMLEscaping.escape(title))</title>",
        "<desc id=\"\(HTMLEscaping.escape(descriptionID))\">"
          + "\(HTMLEscaping.escape(description))</desc>",
      ] + elements + ["</svg>"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `12` → `12`, `12.25` → `12.3`: one decimal at most, the same on every machine.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((value * 10).rounded())
    let whole = "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10)"
    return abs(tenths) % 10 == 0 ? whole : "\(whole).\(abs(tenths) % 10)"
  }

  private static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " \($0.0)=\"\(HTMLEscaping.escape($0.1))\"" }.joined()
  }
}
