import Foundation

/// Opens input files that are read in a stream, refusing anything that is not a regular file.
///
/// A FIFO, a device or a socket placed among the inputs (or reached through a link) would block
/// the read forever or never end; it is refused before the first byte is read. The file is
/// opened without blocking so that opening a FIFO cannot hang either.
public enum RegularFile {
  /// An input that exists but is a folder, a FIFO, a device or a socket.
  public struct NotRegular: Error {}

  /// A descriptor open for reading, which the caller closes.
  ///
  /// - Throws: `InputReadError` when the file cannot be opened, `NotRegular` when it is not a
  ///   regular file.
  public static func open(_ path: String) throws -> Int32 {
    let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw InputReadError(code: errno) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      let code = errno
      close(descriptor)
      throw InputReadError(code: code)
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw NotRegular()
    }
    // Reads from a regular file never block; the flag is cleared all the same, so that the
    // reader sees an ordinary descriptor.
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return descriptor
  }

  /// A descriptor open for reading `file`, or a failure after reporting why not: `.missingInput`
  /// when it cannot be opened, `.badInput` when it is not a regular file.
  ///
  /// - Parameter what: What the file holds, for the failure's message (`access events`).
  static func open(
    _ file: URL, displayPath: String, what: String, diagnostics: DiagnosticSink
  ) throws -> Int32 {
    do {
      return try open(file.path)
    } catch let error as InputReadError {
      diagnostics.error("cannot read file: \(error)", at: SourceLocation(path: displayPath))
      throw ControlGapFailure(.missingInput, "cannot read \(what) \(displayPath)")
    } catch {
      diagnostics.error("not a regular file", at: SourceLocation(path: displayPath))
      throw ControlGapFailure(.badInput, "cannot read \(what) \(displayPath)")
    }
  }
}
