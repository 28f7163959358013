import CLibArchive
import Foundation

/// Writes a ZIP archive entry by entry, so that the same entries in the same order always give
/// the same bytes, and a file of any size streams through without being held in memory.
///
/// Each entry is dated 1980-01-01 00:00 with permissions 0644, owner and group 0, so that two
/// bundles of the same inputs can be compared byte for byte and a digest of the archive means
/// something.
///
/// No entry is given a modification time: libarchive turns one into the ZIP's DOS date through
/// the machine's local time zone, so the same instant would give different bytes in Sydney and
/// in London. An entry without one gets the earliest DOS date everywhere, and no extended
/// timestamp field.
///
/// Owns one libarchive writer; call `finish` once, after the last entry.
public final class ZipWriter {
  private let archive: OpaquePointer
  private let output = ArchiveOutput()
  private var finished = false

  /// A writer that streams the archive to `descriptor`, which stays open.
  public convenience init(descriptor: Int32) throws {
    try self.init(opening: { archive, _ in archive_write_open_fd(archive, descriptor) })
  }

  /// A writer that keeps the archive in memory, for `bytes`.
  public convenience init() throws {
    try self.init(opening: { archive, context in
      // libarchive hands over the archive block by block; each block is kept in `output`.
      archive_write_open2(
        archive, context, nil,
        { _, context, buffer, length in
          guard let context, let buffer else { return -1 }
          let output = Unmanaged<ArchiveOutput>.fromOpaque(context).takeUnretainedValue()
          output.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
          return la_ssize_t(length)
        }, nil, nil)
    })
  }

  private init(opening: (OpaquePointer, UnsafeMutableRawPointer) -> Int32) throws {
    guard let archive = archive_write_new() else { throw Self.failure("cannot start the archive") }
    self.archive = archive
    try check(archive_write_set_format_zip(archive))
    try check(archive_write_set_options(archive, "zip:compression=deflate"))
    // Without this libarchive pads the last block with zeros to a tape-sized 10 KiB.
    try check(archive_write_set_bytes_in_last_block(archive, 1))
    try check(opening(archive, Unmanaged.passUnretained(output).toOpaque()))
  }

  deinit {
    // Frees without closing when `finish` was never reached; the output is then incomplete
    // and the caller discards it.
    archive_write_free(archive)
  }

  /// The archive written so far, when the writer keeps it in memory.
  public var bytes: [UInt8] { output.bytes }

  /// Adds a file whose contents are in memory.
  public func add(_ path: String, contents: [UInt8]) throws {
    try header(path, size: contents.count, linkTarget: nil)
    try contents.withUnsafeBytes { try data($0, path: path) }
    try check(archive_write_finish_entry(archive))
  }

  /// Adds the regular file open at `descriptor`, read in chunks and hashed on the way; the
  /// caller keeps and closes the descriptor.
  ///
  /// - Parameter shown: How the file is named in errors.
  /// - Returns: The size and SHA-256 of what was archived, with `path` as its path.
  /// - Throws: `ControlGapFailure(.missingInput)` when the file cannot be read,
  ///   `.badInput` when it changes size while it is archived, and `.cannotWrite` when the
  ///   archive cannot be written.
  public func add(_ path: String, descriptor: Int32, shown: String) throws -> InputDigest {
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      throw ControlGapFailure(.missingInput, "cannot read \(shown): not a regular file")
    }
    let size = Int(status.st_size)
    try header(path, size: size, linkTarget: nil)

    let hash = SHA256Stream()
    var block = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        guard errno == EINTR else {
          throw ControlGapFailure(
            .missingInput, "cannot read \(shown): \(OutputWriteError(code: errno))")
        }
        continue
      }
      if count == 0 { break }
      guard hash.count + count <= size else { break }
      try block.withUnsafeBytes { buffer in
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        hash.update(chunk)
        try data(chunk, path: path)
      }
    }
    // The entry's size went into its header before the first byte was read.
    guard hash.count == size, read(descriptor, &block, 1) == 0 else {
      throw ControlGapFailure(.badInput, "\(shown) changed while being bundled")
    }
    try check(archive_write_finish_entry(archive))
    guard let sha256 = hash.finish() else {
      throw Self.failure("cannot compute the SHA-256 of \(shown)")
    }
    return InputDigest(path: path, bytes: size, sha256: sha256)
  }

  /// Adds a symbolic link. Bundles never hold links; this exists so that tests can build the
  /// archives a verifier must refuse.
  func addSymbolicLink(_ path: String, target: String) throws {
    try header(path, size: 0, linkTarget: target)
    try check(archive_write_finish_entry(archive))
  }

  /// Writes the central directory. The archive is complete only once this returns.
  public func finish() throws {
    guard !finished else { return }
    finished = true
    try check(archive_write_close(archive))
  }

  /// The archive holding `entries` (path inside the archive → contents) and `symbolicLinks`
  /// (path → target), sorted by path, in memory.
  public static func archive(
    _ entries: [String: [UInt8]], symbolicLinks: [String: String] = [:]
  ) throws -> [UInt8] {
    let writer = try ZipWriter()
    for path in Set(entries.keys).union(symbolicLinks.keys).sorted() {
      if let target = symbolicLinks[path] {
        try writer.addSymbolicLink(path, target: target)
      } else {
        try writer.add(path, contents: entries[path] ?? [])
      }
    }
    try writer.finish()
    return writer.bytes
  }

  private func header(_ path: String, size: Int, linkTarget: String?) throws {
    guard let entry = archive_entry_new() else { throw Self.failure("cannot add \(path)") }
    defer { archive_entry_free(entry) }
    archive_entry_set_pathname_utf8(entry, path)
    // The regular-file and symbolic-link type bits of `st_mode`; libarchive's own constants
    // are cast macros that do not reach Swift.
    if let linkTarget {
      archive_entry_set_filetype(entry, 0o120000)
      archive_entry_set_symlink_utf8(entry, linkTarget)
    } else {
      archive_entry_set_filetype(entry, 0o100000)
    }
    archive_entry_set_perm(entry, 0o644)
    archive_entry_set_size(entry, la_int64_t(size))
    try check(archive_write_header(archive, entry))
  }

  private func data(_ buffer: UnsafeRawBufferPointer, path: String) throws {
    guard buffer.count > 0 else { return }
    let written = archive_write_data(archive, buffer.baseAddress, buffer.count)
    guard written == buffer.count else {
      throw Self.failure("cannot add \(path): \(reason)")
    }
  }

  /// Every libarchive status goes through here: anything short of `ARCHIVE_OK` stops the
  /// archive, since a warning from the writer means an entry was not stored as asked.
  private func check(_ status: Int32) throws {
    guard status == ARCHIVE_OK else { throw Self.failure(reason) }
  }

  private var reason: String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unknown archive error"
  }

  private static func failure(_ reason: String) -> ControlGapFailure {
    ControlGapFailure(.cannotWrite, "cannot write the archive: \(reason)")
  }
}

/// The bytes written so far by a `ZipWriter` that keeps its archive in memory.
private final class ArchiveOutput {
  var bytes: [UInt8] = []
}
