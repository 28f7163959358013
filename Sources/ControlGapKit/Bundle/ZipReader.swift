import CLibArchive
import Foundation

/// Reads a ZIP archive entry by entry, hashing each entry as it streams past, without
/// extracting anything to disk.
///
/// Nothing is written anywhere: a bundle being verified may come from anyone, and an archive
/// that is never extracted cannot place a file outside the folder it was meant for. Only the
/// entries the caller asks to keep (the manifest, the signature) are held in memory, so an
/// archive of any size is checked in constant memory.
public struct ZipReader: Sendable {
  /// What an entry is, as the archive declares it.
  public enum Kind: Sendable, Equatable {
    case regularFile
    case symbolicLink
    case hardLink
    /// A folder, device or anything else that is not a plain file.
    case other
  }

  /// One entry of the archive, in the order the archive holds it.
  public struct Entry: Sendable, Equatable {
    public var path: String
    public var kind: Kind
    /// The decompressed size; 0 for anything but a regular file.
    public var bytes: Int
    /// The SHA-256 of the decompressed bytes, in lowercase hexadecimal.
    public var sha256: String
    /// The decompressed bytes, for entries the caller asked to keep; `nil` otherwise.
    public var contents: [UInt8]?
  }

  /// The most bytes the entries may expand to, together: a small archive crafted to expand
  /// without end is refused rather than hashed for hours.
  public var maxExpandedBytes: Int
  /// The largest entry that is kept in memory.
  public var maxKeptBytes: Int

  public init(maxExpandedBytes: Int = 16 << 30, maxKeptBytes: Int = 64 << 20) {
    self.maxExpandedBytes = maxExpandedBytes
    self.maxKeptBytes = maxKeptBytes
  }

  /// The entries of the archive `bytes`, keeping the contents of those `keep` accepts.
  ///
  /// - Throws: `ControlGapFailure(.missingInput)` when `bytes` is not a ZIP archive, and
  ///   `ControlGapFailure(.badInput)` when an entry after the first cannot be read or the
  ///   central directory disagrees with the entries.
  public func entries(of bytes: [UInt8], keeping keep: (String) -> Bool = { _ in true }) throws
    -> [Entry]
  {
    let streamed = try bytes.withUnsafeBytes { buffer in
      try entries(keeping: keep, progress: { _ in }) { archive in
        archive_read_open_memory(archive, buffer.baseAddress, buffer.count)
      }
    }
    return try Self.compare(streamed, size: UInt64(bytes.count)) { offset, count in
      guard offset <= UInt64(bytes.count), UInt64(count) <= UInt64(bytes.count) - offset else {
        return nil
      }
      return Array(bytes[Int(offset)..<(Int(offset) + count)])
    }
  }

  /// The entries of the archive open for reading at `descriptor`, a regular file, which stays
  /// open.
  ///
  /// - Parameter progress: Told the path of each entry before it is read.
  public func entries(
    ofFileAt descriptor: Int32, keeping keep: (String) -> Bool,
    progress: (String) -> Void = { _ in }
  ) throws -> [Entry] {
    let streamed = try entries(keeping: keep, progress: progress) { archive in
      archive_read_open_fd(archive, descriptor, 1 << 16)
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw Self.failure("cannot read its central directory", kind: .badInput)
    }
    let size = UInt64(status.st_size)
    return try Self.compare(streamed, size: size) { offset, count in
      guard offset <= size, UInt64(count) <= size - offset else { return nil }
      var bytes = [UInt8](repeating: 0, count: count)
      var done = 0
      while done < count {
        let read = bytes.withUnsafeMutableBytes {
          pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
        }
        if read < 0 && errno == EINTR { continue }
        guard read > 0 else { return nil }
        done += read
      }
      return bytes
    }
  }

  /// Refuses an archive whose central directory, which most unzip tools follow, lists other
  /// entries than the local headers this reader followed: an auditor's unzip tool would then
  /// show bytes other than the ones verified.
  ///
  /// - Returns: `streamed`, with each entry's kind as the central directory declares it.
  private static func compare(
    _ streamed: [Entry], size: UInt64, read: (UInt64, Int) -> [UInt8]?
  ) throws -> [Entry] {
    let directory: ZipLayout
    do {
      directory = try ZipLayout(size: size, read: read)
    } catch let malformed as ZipLayout.Malformed {
      throw failure(malformed.reason, kind: .badInput)
    }
    for index in 0..<max(streamed.count, directory.records.count) {
      let local = index < streamed.count ? streamed[index] : nil
      let central = index < directory.records.count ? directory.records[index] : nil
      guard let local, let central, local.path.utf8.elementsEqual(central.path.utf8),
        local.kind != .regularFile || UInt64(local.bytes) == central.uncompressedBytes
      else {
        let name = local?.path ?? central?.path ?? ""
        throw failure(
          "its central directory and its entries disagree at entry \(index + 1) (\(name))",
          kind: .badInput)
      }
    }
    return zip(streamed, directory.records).map { local, central in
      var entry = local
      if local.kind == .regularFile { entry.kind = central.kind }
      return entry
    }
  }

  private func entries(
    keeping keep: (String) -> Bool, progress: (String) -> Void,
    opening: (OpaquePointer) -> Int32
  ) throws -> [Entry] {
    guard let archive = archive_read_new() else {
      throw ControlGapFailure(.badInput, "cannot start reading the archive")
    }
    defer { archive_read_free(archive) }
    // The streaming reader follows the local headers, entry by entry.
    try Self.check(
      archive_read_support_format_zip_streamable(archive), archive, kind: .missingInput)
    try Self.check(opening(archive), archive, kind: .missingInput)

    var entries: [Entry] = []
    var expanded = 0
    while true {
      var header: OpaquePointer?
      // Until one entry has been read, a failure means the bytes are not a ZIP at all.
      let kind: ControlGapFailure.Kind = entries.isEmpty ? .missingInput : .badInput
      let status = archive_read_next_header(archive, &header)
      if status == ARCHIVE_EOF { break }
      try Self.check(status, archive, kind: kind)
      guard let header else { throw Self.failure("an entry has no header", kind: kind) }
      let entry = try entry(
        header, from: archive, keep: keep, progress: progress,
        budget: maxExpandedBytes - expanded)
      expanded += entry.bytes
      entries.append(entry)
    }
    try Self.check(archive_read_close(archive), archive, kind: .badInput)
    return entries
  }

  private func entry(
    _ header: OpaquePointer, from archive: OpaquePointer, keep: (String) -> Bool,
    progress: (String) -> Void, budget: Int
  ) throws -> Entry {
    let path =
      archive_entry_pathname_utf8(header).map { String(cString: $0) }
      ?? archive_entry_pathname(header).map { String(cString: $0) } ?? ""
    // The file-type bits of `st_mode`; libarchive's own constants are cast macros that do not
    // reach Swift.
    let kind: Kind
    if archive_entry_hardlink(header) != nil {
      kind = .hardLink
    } else {
      switch archive_entry_filetype(header) {
      case 0o100000: kind = .regularFile
      case 0o120000: kind = .symbolicLink
      default: kind = .other
      }
    }
    let hash = SHA256Stream()
    guard kind == .regularFile else {
      try Self.check(archive_read_data_skip(archive), archive, kind: .badInput)
      return Entry(path: path, kind: kind, bytes: 0, sha256: hash.finish() ?? "", contents: nil)
    }

    progress(path)
    let kept = keep(path)
    var contents: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let read = block.withUnsafeMutableBytes {
        archive_read_data(archive, $0.baseAddress, $0.count)
      }
      guard read >= 0 else {
        throw Self.failure("cannot read \(path): \(Self.reason(archive))", kind: .badInput)
      }
      if read == 0 { break }
      guard hash.count + read <= budget else {
        throw Self.failure(
          "it expands to more than \(Self.size(maxExpandedBytes)); refusing to read on",
          kind: .badInput)
      }
      block.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<read])) }
      if kept {
        guard hash.count <= maxKeptBytes else {
          throw Self.failure(
            "\(path) is larger than \(Self.size(maxKeptBytes))", kind: .badInput)
        }
        contents.append(contentsOf: block[0..<read])
      }
    }
    guard let sha256 = hash.finish() else {
      throw Self.failure("cannot compute the SHA-256 of \(path)", kind: .badInput)
    }
    return Entry(
      path: path, kind: kind, bytes: hash.count, sha256: sha256, contents: kept ? contents : nil)
  }

  /// Every libarchive status goes through here: anything short of `ARCHIVE_OK` stops reading,
  /// since a warning from the reader means an entry may not be what the archive claims.
  private static func check(
    _ status: Int32, _ archive: OpaquePointer, kind: ControlGapFailure.Kind
  ) throws {
    guard status == ARCHIVE_OK else { throw failure(reason(archive), kind: kind) }
  }

  /// `64 GiB`, `1 MiB`: a limit in the largest unit that divides it.
  private static func size(_ bytes: Int) -> String {
    bytes % (1 << 30) == 0 ? "\(bytes >> 30) GiB" : "\(bytes >> 20) MiB"
  }

  private static func reason(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unknown archive error"
  }

  private static func failure(_ reason: String, kind: ControlGapFailure.Kind)
    -> ControlGapFailure
  {
    let what = kind == .missingInput ? "not a ZIP archive" : "cannot read the archive"
    return ControlGapFailure(kind, "\(what): \(reason)")
  }
}
