#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failed write to an output file.
public struct OutputWriteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The `errno` value.
  public var code: Int32

  public init(code: Int32) {
    self.code = code
  }

  /// The system's text for the error, such as `No space left on device`.
  public var description: String {
    String(cString: strerror(code))
  }
}
