import CLibArchive

/// Reads a ZIP archive held in memory, entry by entry, without extracting anything to disk.
///
/// Nothing is written anywhere: a bundle being verified may come from anyone, and an archive
/// that is never extracted cannot place a file outside the folder it was meant for.
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
    /// The stored bytes, decompressed; empty for anything but a regular file.
    public var contents: [UInt8]
  }

  /// The most bytes the entries may expand to, together: an archive that claims more is refused
  /// before it can exhaust memory, as a small file crafted to expand without end would.
  public var maxExpandedBytes: Int

  public init(maxExpandedBytes: Int = 1 << 30) {
    self.maxExpandedBytes = maxExpandedBytes
  }

  /// The entries of the archive `bytes`.
  ///
  /// - Throws: `ControlGapFailure(.missingInput)` when `bytes` is not a ZIP archive, and
  ///   `ControlGapFailure(.badInput)` when an entry after the first cannot be read.
  public func entries(of bytes: [UInt8]) throws -> [Entry] {
    guard let archive = archive_read_new() else {
      throw ControlGapFailure(.badInput, "cannot start reading the archive")
    }
    defer { archive_read_free(archive) }
    try Self.check(archive_read_support_format_zip(archive), archive, kind: .missingInput)

    return try bytes.withUnsafeBytes { buffer in
      try Self.check(
        archive_read_open_memory(archive, buffer.baseAddress, buffer.count), archive,
        kind: .missingInput)
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
        let entry = try entry(header, from: archive, budget: maxExpandedBytes - expanded)
        expanded += entry.contents.count
        entries.append(entry)
      }
      try Self.check(archive_read_close(archive), archive, kind: .badInput)
      return entries
    }
  }

  private func entry(_ header: OpaquePointer, from archive: OpaquePointer, budget: Int) throws
    -> Entry
  {
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
    guard kind == .regularFile else {
      try Self.check(archive_read_data_skip(archive), archive, kind: .badInput)
      return Entry(path: path, kind: kind, contents: [])
    }

    var contents: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 65_536)
    while true {
      let read = block.withUnsafeMutableBytes {
        archive_read_data(archive, $0.baseAddress, $0.count)
      }
      guard read >= 0 else {
        throw Self.failure("cannot read \(path): \(Self.reason(archive))", kind: .badInput)
      }
      if read == 0 { break }
      guard contents.count + read <= budget else {
        throw Self.failure(
          "it expands to more than \(maxExpandedBytes >> 20) MiB; refusing to read on",
          kind: .badInput)
      }
      contents.append(contentsOf: block[0..<Int(read)])
    }
    return Entry(path: path, kind: kind, contents: contents)
  }

  /// Every libarchive status goes through here: anything short of `ARCHIVE_OK` stops reading,
  /// since a warning from the reader means an entry may not be what the archive claims.
  private static func check(
    _ status: Int32, _ archive: OpaquePointer, kind: ControlGapFailure.Kind
  ) throws {
    guard status == ARCHIVE_OK else { throw failure(reason(archive), kind: kind) }
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
