import ControlGapKit
import Foundation

/// One output file written whole or not at all.
///
/// The content goes to a temporary file in the output's folder, which is renamed into place
/// only once everything is written. An existing output is replaced only when it is a regular
/// file: a link, a FIFO or a device at that path is refused, so that `--output` can never
/// swap a system file for a regular one.
/// The staged file an interrupt removes; read by the signal handler, so a C string.
nonisolated(unsafe) private var interruptedFile: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var handlersInstalled = false

enum OutputFile {
  /// Writes `path` through `body`, which receives a descriptor open for writing.
  ///
  /// - Throws: `ControlGapFailure(.cannotWrite)` naming the path and the reason.
  static func write(to path: String, _ body: (Int32) throws -> Void) throws {
    let target = URL(fileURLWithPath: path)
    let folder = target.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw ControlGapFailure(
        .cannotWrite, "cannot write \(path): folder \(parent(of: path)) does not exist")
    }
    var existing = stat()
    if lstat(target.path, &existing) == 0, existing.st_mode & S_IFMT != S_IFREG {
      throw ControlGapFailure(
        .cannotWrite, "cannot write \(path): it exists and is not a regular file")
    }

    let staged = folder.appendingPathComponent(
      ".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).new")
    let descriptor = open(staged.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw ControlGapFailure(
        .cannotWrite, "cannot write \(path): \(OutputWriteError(code: errno))")
    }
    removeOnInterrupt(staged.path)
    defer { removeOnInterrupt(nil) }
    do {
      try body(descriptor)
    } catch {
      close(descriptor)
      unlink(staged.path)
      // A problem with an input keeps its own kind and message; the output is still not made.
      if let failure = error as? ControlGapFailure {
        guard failure.kind == .cannotWrite else { throw failure }
        throw ControlGapFailure(.cannotWrite, "cannot write \(path): \(failure.message)")
      }
      throw ControlGapFailure(.cannotWrite, "cannot write \(path): \(error)")
    }
    // A failed close can be the first report of a failed write, on network file systems.
    guard close(descriptor) == 0, rename(staged.path, target.path) == 0 else {
      let error = OutputWriteError(code: errno)
      unlink(staged.path)
      throw ControlGapFailure(.cannotWrite, "cannot write \(path): \(error)")
    }
  }

  /// Makes an interrupt (Ctrl-C, `kill`, a closed terminal) remove the half-written file at
  /// `path` before the process ends as the signal says; `nil` stops that.
  private static func removeOnInterrupt(_ path: String?) {
    let previous = interruptedFile
    interruptedFile = path.flatMap { strdup($0) }
    free(previous)
    guard path != nil, !handlersInstalled else { return }
    handlersInstalled = true
    for signal in [SIGINT, SIGTERM, SIGHUP] {
      _ = Foundation.signal(signal) { number in
        // Only async-signal-safe calls here: unlink, signal and raise.
        if let file = interruptedFile { unlink(file) }
        _ = Foundation.signal(number, SIG_DFL)
        raise(number)
      }
    }
  }

  /// Writes every byte of `bytes` to `descriptor`.
  static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if written < 0 {
        guard errno == EINTR else { throw OutputWriteError(code: errno) }
        continue
      }
      offset += written
    }
  }

  /// The folder part of a path as the user typed it.
  private static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
