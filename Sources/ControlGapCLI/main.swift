import ControlGapKit
import Foundation

/// The executable: reads the command line, runs the library, prints, and exits with the code
/// the outcome calls for.
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
