#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A window onto a byte stream, filled one fixed-size chunk at a time.
///
/// Readers scan `bytes[start..<end]`. When they reach `end` in the middle of a record they
/// call `refill(keepingFrom:)`, which moves the unfinished record to the front and appends the
/// next chunk, so that a record is always contiguous. Memory stays at one buffer of
/// `chunkSize + maxKeptBytes` whatever the size of the stream.
final class ChunkedByteInput {
  /// Fills the buffer it is given and returns how many bytes it wrote; 0 means end of input.
  typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

  let bytes: UnsafeMutablePointer<UInt8>
  let chunkSize: Int
  private let capacity: Int
  private let source: Source
  /// The first byte not yet consumed by the reader.
  var start = 0
  /// One past the last byte read.
  private(set) var end = 0
  /// The position in the stream of `bytes[0]`, for readers that compare stream offsets.
  private(set) var streamOffset = 0
  private(set) var isExhausted = false

  /// - Parameters:
  ///   - chunkSize: How many bytes one read asks for; at least 1.
  ///   - maxKeptBytes: The most bytes of an unfinished record a reader keeps across a refill.
  init(chunkSize: Int, maxKeptBytes: Int, source: @escaping Source) {
    self.chunkSize = max(1, chunkSize)
    capacity = self.chunkSize + max(0, maxKeptBytes) + 1
    bytes = .allocate(capacity: capacity)
    self.source = source
  }

  deinit {
    bytes.deallocate()
  }

  /// Moves `bytes[keep..<end]` to the front, then reads one more chunk after it.
  ///
  /// Every position at or after `keep` moves down by `keep`; positions before it are gone.
  /// The caller must keep no more than `maxKeptBytes`.
  ///
  /// - Returns: `false` when the stream has no more bytes.
  func refill(keepingFrom keep: Int) throws -> Bool {
    let kept = end - keep
    precondition(kept >= 0 && kept + chunkSize <= capacity, "record kept past the input limit")
    if keep > 0 {
      memmove(bytes, bytes + keep, kept)
      streamOffset += keep
      start = max(0, start - keep)
      end = kept
    }
    guard !isExhausted else { return false }

    let read = try source(UnsafeMutableRawBufferPointer(start: bytes + end, count: chunkSize))
    guard read > 0 else {
      isExhausted = true
      return false
    }
    end += read
    return true
  }
}

extension ChunkedByteInput {
  /// Input read from an open file descriptor, which the caller keeps and closes.
  convenience init(fileDescriptor: Int32, chunkSize: Int, maxKeptBytes: Int) {
    self.init(chunkSize: chunkSize, maxKeptBytes: maxKeptBytes) { buffer in
      while true {
        let count = read(fileDescriptor, buffer.baseAddress, buffer.count)
        if count >= 0 { return count }
        guard errno == EINTR else { throw InputReadError(code: errno) }
      }
    }
  }

  /// Input served from bytes in memory, a chunk at a time like a file.
  convenience init(bytes contents: [UInt8], chunkSize: Int, maxKeptBytes: Int) {
    var offset = 0
    self.init(chunkSize: chunkSize, maxKeptBytes: maxKeptBytes) { buffer in
      let count = min(buffer.count, contents.count - offset)
      contents.withUnsafeBytes {
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count]))
      }
      offset += count
      return count
    }
  }
}

/// A read from the operating system failed.
public struct InputReadError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The `errno` value.
  public var code: Int32

  /// The system's text for the error, such as `Is a directory`.
  public var description: String {
    String(cString: strerror(code))
  }
}
