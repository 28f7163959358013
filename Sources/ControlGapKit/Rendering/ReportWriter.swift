import Foundation

/// Renders the gap reports from the templates and writes them without ever leaving a
/// half-written file: everything is rendered first, then each file is written to a temporary
/// name in the target folder and renamed into place.
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
  public let generator: String

  public init(templatesFolder: URL, generator: String = "ControlGap") {
    self.templatesFolder = templatesFolder
    self.generator = generator
  }

  /// Renders every report to memory.
  ///
  /// - Returns: File name and contents, in a fixed order.
  /// - Throws: `ControlGapFailure` with `.missingInput` for a missing template and `.badInput`
  ///   for a template with a syntax error (the message names its file, line and column).
  public func render(_ assessment: Assessment) throws -> [(name: String, contents: String)] {
    let model = ReportModel(assessment, generator: generator)
    return try Self.outputs.map { output in
      let template = try load(output.template)
      do throws(MustacheError) {
        let text = try template.render(model.value, partials: partial, escape: output.escape)
        return (output.fileName, text.hasSuffix("\n") ? text : text + "\n")
      } catch {
        throw ControlGapFailure(.badInput, error.description)
      }
    }
  }

  /// Renders and writes the reports into `folder`, creating it when needed.
  ///
  /// - Returns: The names of the files written.
  /// - Throws: `ControlGapFailure` with `.cannotWrite` when the folder or a file cannot be
  ///   written; no report is left half-written.
  @discardableResult
  public func write(_ assessment: Assessment, to folder: URL) throws -> [String] {
    let rendered = try render(assessment)
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw ControlGapFailure(.cannotWrite, "cannot create folder \(folder.path)")
    }

    var staged: [(temporary: URL, final: URL)] = []
    defer {
      for file in staged { try? manager.removeItem(at: file.temporary) }
    }
    for (name, contents) in rendered {
      let temporary = folder.appendingPathComponent(
        ".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
      guard manager.createFile(atPath: temporary.path, contents: Data(contents.utf8)) else {
        throw ControlGapFailure(
          .cannotWrite, "cannot write \(folder.appendingPathComponent(name).path)")
      }
      staged.append((temporary, folder.appendingPathComponent(name)))
    }
    for file in staged {
      guard rename(file.temporary.path, file.final.path) == 0 else {
        throw ControlGapFailure(.cannotWrite, "cannot write \(file.final.path)")
      }
    }
    staged.removeAll()
    return rendered.map(\.name)
  }

  private func load(_ name: String) throws -> MustacheTemplate {
    let url = templatesFolder.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path),
      let source = String(data: data, encoding: .utf8)
    else {
      throw ControlGapFailure(.missingInput, "cannot read template Templates/\(name)")
    }
    do {
      return try MustacheTemplate(source: source, name: "Templates/\(name)")
    } catch {
      throw ControlGapFailure(.badInput, error.description)
    }
  }

  /// Partials are looked up by plain name only, so a template cannot reach outside the folder.
  private func partial(_ name: String) -> MustacheTemplate? {
    let allowed = name.allSatisfy {
      $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))
    }
    guard allowed, !name.hasPrefix(".") else { return nil }
    return try? load("\(name).mustache")
  }
}
