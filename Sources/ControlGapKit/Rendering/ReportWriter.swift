import Foundation

/// Renders the gap reports from the templates, and the assessment as data (`results.json`,
/// `traceability.csv`, the OSCAL `assessment-results.xml`), and writes them together: everything is rendered first, then
/// published as one set (see `FileSetPublisher`), so the data never disagrees with the report
/// beside it.
public struct ReportWriter: Sendable {
  /// A report file and the template and escaping it is made with.
  struct Output {
    var fileName: String
    var template: String
    var escape: @Sendable (String) -> String
  }

  static let outputs: [Output] = [
    Output(
      fileName: "gap-report.md", template: "gap-report.md.mustache",
      escape: MarkdownEscaping.escape),
    Output(
      fileName: "gap-report.html", template: "gap-report.html.mustache",
      escape: HTMLEscaping.escape),
  ]

  public let templatesFolder: URL
  /// How the templates folder is named in messages.
  public let templatesDisplay: String
  /// A folder of the user's templates, each of which replaces the built-in one of the same
  /// file name; templates it does not hold, partials included, come from `templatesFolder`.
  public let overridesFolder: URL?
  /// How the overrides folder is named in messages.
  public let overridesDisplay: String
  public let generator: String
  /// The tool's version as `results.json` and `assessment-results.xml` record it; `nil` when the caller does not know it.
  public let version: String?

  public init(
    templatesFolder: URL, templatesDisplay: String = "Templates", overridesFolder: URL? = nil,
    overridesDisplay: String = "", generator: String = "ControlGap", version: String? = nil
  ) {
    self.templatesFolder = templatesFolder
    self.templatesDisplay = templatesDisplay
    self.overridesFolder = overridesFolder
    self.overridesDisplay = overridesDisplay
    self.generator = generator
    self.version = version
  }

  /// Renders every report and data file to memory.
  ///
  /// - Returns: File name and contents, in a fixed order.
  /// - Throws: `ControlGapFailure` with `.missingInput` for a missing template and `.badInput`
  ///   for a template with a syntax error (the message names its file, line and column).
  public func render(_ assessment: Assessment, diagnostics: DiagnosticSink) throws -> [(
    name: String, contents: String
  )] {
    let model = ReportModel(assessment, generator: generator)
    let reports = try Self.outputs.map { output in
      let template = try load(output.template, diagnostics: diagnostics)
      do throws(MustacheError) {
        let text = try template.render(model.value, partials: partial, escape: output.escape)
        return (output.fileName, text.hasSuffix("\n") ? text : text + "\n")
      } catch {
        diagnostics.report(error.diagnostic)
        throw ControlGapFailure(.badInput, error.description)
      }
    }
    return reports + [
      ("results.json", ResultsDocument(assessment, generator: generator, version: version).text),
      ("traceability.csv", TraceabilityTable(assessment).text),
      (
        "assessment-results.xml",
        try AssessmentResultsDocument(assessment, generator: generator, version: version).text
      ),
    ]
  }

  /// Renders and writes the reports into `folder`, creating it when needed.
  ///
  /// - Returns: The names of the files written.
  /// - Throws: `ControlGapFailure` with `.cannotWrite` when the folder or a file cannot be
  ///   written; no report is left half-written.
  @discardableResult
  public func write(_ assessment: Assessment, to folder: URL, diagnostics: DiagnosticSink)
    throws -> [String]
  {
    let rendered = try render(assessment, diagnostics: diagnostics)
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw ControlGapFailure(.cannotWrite, "cannot create folder \(folder.path)")
    }

    try FileSetPublisher(
      folder: folder, files: rendered.map { ($0.name, Data($0.contents.utf8)) }
    ).publish()
    return rendered.map(\.name)
  }

  private func load(_ name: String, diagnostics: DiagnosticSink? = nil) throws -> MustacheTemplate {
    var url = templatesFolder.appendingPathComponent(name)
    var display = "\(templatesDisplay)/\(name)"
    if let overridesFolder {
      let own = overridesFolder.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: own.path) {
        url = own
        display = "\(overridesDisplay)/\(name)"
      }
    }
    // Only a regular file of a sane size is read, so that a FIFO or a device put in the
    // templates folder can neither hang the run nor fill memory.
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    guard let attributes else {
      throw ControlGapFailure(.missingInput, "cannot read template \(display)")
    }
    guard attributes[.type] as? FileAttributeType == .typeRegular else {
      throw ControlGapFailure(.badInput, "template \(display) is not a regular file")
    }
    guard ((attributes[.size] as? NSNumber)?.intValue ?? 0) <= Self.largestTemplate else {
      throw ControlGapFailure(
        .badInput, "template \(display) is larger than \(Self.largestTemplate >> 20) MiB")
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw ControlGapFailure(.missingInput, "cannot read template \(display)")
    }
    guard let source = String(data: data, encoding: .utf8) else {
      throw ControlGapFailure(.badInput, "template \(display) is not UTF-8 text")
    }
    do {
      return try MustacheTemplate(source: source, name: display)
    } catch {
      diagnostics?.report(error.diagnostic)
      throw ControlGapFailure(.badInput, error.description)
    }
  }

  /// The largest template read.
  static let largestTemplate = 4 << 20

  /// Partials are looked up by plain name only, so a template's name cannot climb out of the
  /// folder; a link the user puts in their own templates folder is followed like any file.
  private func partial(_ name: String) -> MustacheTemplate? {
    let allowed = name.allSatisfy {
      $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))
    }
    guard allowed, !name.hasPrefix(".") else { return nil }
    return try? load("\(name).mustache")
  }
}
