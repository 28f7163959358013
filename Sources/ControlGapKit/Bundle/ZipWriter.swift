import CLibArchive
import Foundation

/// Writes a ZIP archive in memory so that the same entries always give the same bytes.
///
/// Entries are written sorted by path, each dated 1980-01-01 00:00 with permissions 0644 and
/// no owner, so that two bundles of the same inputs can be compared byte for byte and a digest
/// of the archive means something.
///
/// No entry is given a modification time: libarchive turns one into the ZIP's DOS date through
/// the machine's local time zone, so the same instant would give different bytes in Sydney and
/// in London. An entry without one gets the earliest DOS date everywhere, and no extended
/// timestamp field.
public struct ZipWriter: Sendable {
  public init() {}

  /// The archive holding `entries` (path inside the archive → contents), deflated.
  ///
  /// - Throws: `ControlGapFailure(.cannotWrite)` with libarchive's reason when it fails.
  public func archive(_ entries: [String: [UInt8]]) throws -> [UInt8] {
    try archive(entries, symbolicLinks: [:])
  }

  /// The archive holding `entries` and `symbolicLinks` (path inside the archive → target).
  ///
  /// Bundles never hold links; this exists so that tests can build the archives a verifier
  /// must refuse.
  func archive(_ entries: [String: [UInt8]], symbolicLinks: [String: String]) throws -> [UInt8] {
    guard let archive = archive_write_new() else { throw Self.failure("cannot start the archive") }
    defer { archive_write_free(archive) }
    try Self.check(archive_write_set_format_zip(archive), archive)
    try Self.check(archive_write_set_options(archive, "zip:compression=deflate"), archive)
    // Without this libarchive pads the last block with zeros to a tape-sized 10 KiB.
    try Self.check(archive_write_set_bytes_in_last_block(archive, 1), archive)

    let output = ArchiveOutput()
    let context = Unmanaged.passUnretained(output).toOpaque()
    try withExtendedLifetime(output) {
      // libarchive hands over the archive block by block; each block is kept in `output`.
      let opened = archive_write_open2(
        archive, context, nil,
        { _, context, buffer, length in
          guard let context, let buffer else { return -1 }
          let output = Unmanaged<ArchiveOutput>.fromOpaque(context).takeUnretainedValue()
          output.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
          return la_ssize_t(length)
        }, nil, nil)
      try Self.check(opened, archive)
      for path in Set(entries.keys).union(symbolicLinks.keys).sorted() {
        try write(path, entries[path] ?? [], linkTarget: symbolicLinks[path], to: archive)
      }
      try Self.check(archive_write_close(archive), archive)
    }
    return output.bytes
  }

  private func write(
    _ path: String, _ contents: [UInt8], linkTarget: String?, to archive: OpaquePointer
  ) throws {
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
    archive_entry_set_size(entry, la_int64_t(contents.count))
    try Self.check(archive_write_header(archive, entry), archive)

    let written = contents.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
    guard written == contents.count else {
      throw Self.failure("cannot add \(path): \(Self.reason(archive))")
    }
    try Self.check(archive_write_finish_entry(archive), archive)
  }

  /// Every libarchive status goes through here: anything short of `ARCHIVE_OK` stops the
  /// archive, since a warning from the writer means an entry was not stored as asked.
  private static func check(_ status: Int32, _ archive: OpaquePointer) throws {
    guard status == ARCHIVE_OK else { throw failure(reason(archive)) }
  }

  private static func reason(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unknown archive error"
  }

  private static func failure(_ reason: String) -> ControlGapFailure {
    ControlGapFailure(.cannotWrite, "cannot write the archive: \(reason)")
  }
}

/// The bytes written so far, owned by one `ZipWriter.archive` call.
private final class ArchiveOutput {
  var bytes: [UInt8] = []
}
