import Foundation
import Testing

@testable import ControlGapKit

/// Access events read from files: the format chosen by extension, and files that cannot be
/// read.
@Suite("Access event files")
struct AccessEventFileTests {
  /// A folder of export files written by a test, removed when the value is released.
  final class ExportFolder {
    let root: URL

    init(_ files: [String: String]) throws {
      root = FileManager.default.temporaryDirectory
        .appendingPathComponent("controlgap-events-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      for (name, contents) in files {
        try Data(contents.utf8).write(to: root.appendingPathComponent(name))
      }
    }

    deinit {
      try? FileManager.default.removeItem(at: root)
    }

    /// Reads a file of the folder, returning the events, the diagnostics and any failure.
    func read(
      _ name: String, format: AccessEventReader.Format? = nil
    ) -> (events: [AccessEvent], lines: [String], failure: ControlGapFailure?) {
      let collector = DiagnosticCollector()
      var events: [AccessEvent] = []
      var failure: ControlGapFailure?
      do {
        try AccessEventReader().read(
          file: root.appendingPathComponent(name), displayPath: "events/\(name)", format: format,
          diagnostics: collector
        ) { events.append($0) }
      } catch {
        failure = error as? ControlGapFailure
      }
      return (events, collector.diagnostics.map(\.description), failure)
    }
  }

  static let csv =
    "timestamp,user,control,app,action,outcome\n2026-10-02T08:15:30Z,ana,C-1,Payroll,view,passed\n"
  static let jsonLines =
    #"{"timestamp":"2026-10-02T08:15:30Z","user":"ana","control":"C-1","app":"Payroll","#
    + #""action":"view","outcome":"passed"}"# + "\n"

  @Test(
    "chooses the format by extension",
    arguments: [
      ("okta.csv", csv), ("EXPORT.CSV", csv), ("siem.jsonl", jsonLines),
      ("siem.ndjson", jsonLines),
    ])
  func formatByExtension(_ name: String, _ contents: String) throws {
    let folder = try ExportFolder([name: contents])
    let result = folder.read(name)
    #expect(result.lines == [])
    #expect(result.failure == nil)
    #expect(result.events.map(\.user) == ["ana"])
  }

  @Test("reads a file in the format it is told, whatever its extension")
  func explicitFormat() throws {
    let folder = try ExportFolder(["export.txt": Self.jsonLines])
    let result = folder.read("export.txt", format: .jsonLines)
    #expect(result.lines == [])
    #expect(result.events.count == 1)
  }

  @Test("refuses a file whose extension names no format")
  func unknownExtension() throws {
    let folder = try ExportFolder(["export.txt": Self.csv])
    let result = folder.read("export.txt")
    #expect(
      result.lines == [
        "events/export.txt: error: cannot tell the format from the file name; expected .csv, "
          + ".jsonl or .ndjson"
      ])
    #expect(
      result.failure
        == ControlGapFailure(.badInput, "unknown format of access events events/export.txt")
    )
  }

  @Test("reports a file that does not exist")
  func missingFile() throws {
    let folder = try ExportFolder([:])
    let result = folder.read("none.csv")
    #expect(result.lines == ["events/none.csv: error: cannot read file: No such file or directory"])
    #expect(
      result.failure
        == ControlGapFailure(.missingInput, "cannot read access events events/none.csv"))
  }

  @Test("reports a folder named as a file")
  func folderAsFile() throws {
    let folder = try ExportFolder([:])
    try FileManager.default.createDirectory(
      at: folder.root.appendingPathComponent("dir.csv"), withIntermediateDirectories: false)
    let result = folder.read("dir.csv")
    #expect(result.lines == ["events/dir.csv: error: not a regular file"])
    #expect(result.failure?.kind == .badInput)
  }

  struct Stop: Error {}

  @Test("an error from the caller's closure ends the read and passes through")
  func callerError() throws {
    let folder = try ExportFolder(["okta.csv": Self.csv + Self.csv.split(separator: "\n")[1] + "\n"]
    )
    var seen = 0
    #expect(throws: Stop.self) {
      try AccessEventReader().read(
        file: folder.root.appendingPathComponent("okta.csv"), displayPath: "okta.csv",
        diagnostics: DiagnosticCollector()
      ) { _ in
        seen += 1
        throw Stop()
      }
    }
    #expect(seen == 1)
  }
}
