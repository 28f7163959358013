/// How serious a reported problem is.
public enum Severity: String, Sendable, Comparable {
  case note
  case warning
  case error

  private var rank: Int {
    switch self {
    case .note: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in the inputs, with where it was found.
///
/// Messages are short, lowercase and carry no trailing period, so that a line reads
/// `path:line:col: error: message` like a compiler's.
public struct Diagnostic: Hashable, Sendable {
  public var severity: Severity
  public var message: String
  public var location: SourceLocation?

  public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil) {
    self.severity = severity
    self.message = message
    self.location = location
  }

  public static func error(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
    Diagnostic(.error, message, at: location)
  }

  public static func warning(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
    Diagnostic(.warning, message, at: location)
  }

  /// The line printed to the user.
  public var description: String {
    let text = "\(severity.rawValue): \(message)"
    guard let location else { return "controlgap: \(text)" }
    return "\(location.description): \(text)"
  }
}
