import ControlGapKit
import Foundation

/// Prints each diagnostic to stderr as it is reported, one line per problem.
final class StandardErrorSink: DiagnosticSink, @unchecked Sendable {
  private let lock = NSLock()
  private(set) var errorCount = 0
  private(set) var warningCount = 0

  func report(_ diagnostic: Diagnostic) {
    lock.lock()
    defer { lock.unlock() }
    switch diagnostic.severity {
    case .error: errorCount += 1
    case .warning: warningCount += 1
    case .note: break
    }
    Terminal.err(diagnostic.description)
  }
}
