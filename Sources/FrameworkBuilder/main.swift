import ControlGapKit
import Foundation

// Regenerates ControlGap's framework catalogs:
//   swift run FrameworkBuilder <shared-data-dir> <output-dir>

func printToStandardError(_ line: String) {
  FileHandle.standardError.write(Data("\(line)\n".utf8))
}

func printDiagnostics(_ collector: DiagnosticCollector) {
  for diagnostic in collector.diagnostics {
    printToStandardError(diagnostic.description)
  }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2 else {
  printToStandardError("usage: FrameworkBuilder <shared-data-dir> <output-dir>")
  exit(ControlGapFailure(.usage, "wrong arguments").exitCode)
}

let diagnostics = DiagnosticCollector()
let builder = FrameworkCatalogBuilder(
  dataDirectory: URL(fileURLWithPath: arguments[0], isDirectory: true),
  outputDirectory: URL(fileURLWithPath: arguments[1], isDirectory: true),
  diagnostics: diagnostics)

do {
  let written = try builder.run()
  printDiagnostics(diagnostics)
  for url in written {
    print("wrote \(url.relativePath)")
  }
} catch {
  printDiagnostics(diagnostics)
  let failure = error as? ControlGapFailure ?? ControlGapFailure(.cannotWrite, "\(error)")
  printToStandardError("FrameworkBuilder: error: \(failure.message)")
  exit(failure.exitCode)
}
