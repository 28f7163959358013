import Foundation

/// Where the library sends the problems it finds. The caller chooses what happens to them.
public protocol DiagnosticSink: AnyObject, Sendable {
  func report(_ diagnostic: Diagnostic)
}

/// A sink that keeps every diagnostic, for callers that decide afterwards what to print.
public final class DiagnosticCollector: DiagnosticSink, @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Diagnostic] = []

  public init() {}

  public func report(_ diagnostic: Diagnostic) {
    lock.lock()
    defer { lock.unlock() }
    stored.append(diagnostic)
  }

  /// Everything reported so far, in the order it was reported.
  public var diagnostics: [Diagnostic] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }

  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

extension DiagnosticSink {
  public func error(_ message: String, at location: SourceLocation? = nil) {
    report(.error(message, at: location))
  }

  public func warning(_ message: String, at location: SourceLocation? = nil) {
    report(.warning(message, at: location))
  }
}
