/// A problem that stops the run. Each kind maps to one documented exit code.
///
/// Problems in the inputs are reported through a `DiagnosticSink` first; the failure
/// only says which kind of stop it is.
public struct ControlGapFailure: Error, Equatable, Sendable {
  public enum Kind: Sendable, Equatable {
    /// The command line is wrong.
    case usage
    /// An input exists but is not valid.
    case badInput
    /// An input named or required does not exist or cannot be read.
    case missingInput
    /// An output cannot be written.
    case cannotWrite
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The process exit code, following the BSD `sysexits` convention.
  public var exitCode: Int32 {
    switch kind {
    case .usage: 64
    case .badInput: 65
    case .missingInput: 66
    case .cannotWrite: 73
    }
  }
}
