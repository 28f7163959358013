import ControlGapKit
import Foundation

/// The executable: reads the command line, runs the library, prints, and exits with the code
/// the outcome calls for.
// File names inside archives are UTF-8; libarchive converts them through the C library's
// character type, which is plain ASCII until a locale is set.
_ = setlocale(LC_CTYPE, "C.UTF-8")
let arguments = Array(CommandLine.arguments.dropFirst())
let sink = StandardErrorSink()

do {
  try Command.run(arguments, sink: sink)
  exit(0)
} catch let failure as ControlGapFailure {
  if sink.errorCount == 0 { Terminal.err("controlgap: error: \(failure.message)") }
  exit(failure.exitCode)
} catch let usage as CommandLineArguments.UsageError {
  Terminal.err("controlgap: error: \(usage.message) (see 'controlgap --help')")
  exit(64)
} catch {
  Terminal.err("controlgap: error: \(error)")
  exit(70)
}
