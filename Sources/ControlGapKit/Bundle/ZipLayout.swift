/// The byte layout of a ZIP archive, read strictly, so that every byte of the file is
/// accounted for and every unzip tool sees the entries the verifier saw.
///
/// A ZIP indexes its entries twice: each entry starts with a local header, and the central
/// directory at the end lists them again with their offsets. Streaming readers (and
/// libarchive's, which verification hashes with) follow the local headers; most unzip tools
/// follow the directory. An archive crafted so that the two differ, or that hides headers in
/// comments, extra fields or gaps, would let an auditor's unzip tool show bytes other than the
/// ones verified. So this reads the layout by hand, following PKWARE's APPNOTE (sections
/// 4.3.6 to 4.3.16, ZIP64 included), and accepts only the plain shape ControlGap writes: local
/// headers back to back from offset 0, each followed by its data and data descriptor, then
/// the directory listing them in the same order with the same name, method, flags, CRC and
/// sizes, then the end records, with no comment and no byte left over. Extra fields are
/// limited to ZIP64 sizes, the extended timestamp and Unix owner.
struct ZipLayout {
  /// One entry as the central directory describes it.
  struct Record: Equatable {
    /// The name as stored, decoded as UTF-8.
    var path: String
    var uncompressedBytes: UInt64
    var localHeaderOffset: UInt64
    /// What the entry is, from its external attributes: only the central directory says
    /// whether an entry is a symbolic link, so a streaming reader sees links as files.
    var kind: ZipReader.Kind
  }

  /// The records, in directory order, which is also the order of the entries in the file.
  private(set) var records: [Record] = []

  /// Why the archive's layout is refused.
  struct Malformed: Error, Equatable {
    var reason: String
  }

  /// Extra fields accepted: ZIP64 sizes, the extended timestamp, Unix owner.
  private static let allowedExtraFields: Set<UInt16> = [0x0001, 0x5455, 0x7875]

  /// Reads the layout of an archive of `size` bytes through `read(offset, count)`, which
  /// returns exactly `count` bytes or `nil`.
  init(size: UInt64, read: (UInt64, Int) -> [UInt8]?) throws {
    // The end record is the last 22 bytes: ControlGap writes no archive comment, and a comment
    // could hide a second directory that other tools would read instead.
    guard size >= 22, let end = read(size - 22, 22), Self.u32(end, 0) == 0x0605_4b50,
      Self.u16(end, 20) == 0
    else {
      // Say whether an end record lies further back, followed by a comment or other bytes.
      let tailLength = Int(min(size, 22 + 65_535))
      let tail = read(size - UInt64(tailLength), tailLength) ?? []
      let found =
        tail.count >= 22
        && stride(from: tail.count - 22, through: 0, by: -1).contains {
          Self.u32(tail, $0) == 0x0605_4b50
        }
      throw Malformed(
        reason: found
          ? "the archive has a comment or other bytes after its end record"
          : "no end of central directory record at the end of the file")
    }
    let endOffset = size - 22
    guard Self.u16(end, 4) == 0, Self.u16(end, 6) == 0,
      Self.u16(end, 8) == Self.u16(end, 10)
    else {
      throw Malformed(reason: "the archive spans several disks")
    }
    var count = UInt64(Self.u16(end, 10))
    var directorySize = UInt64(Self.u32(end, 12))
    var directoryOffset = UInt64(Self.u32(end, 16))
    var directoryEnd = endOffset

    // ZIP64: a locator just before the end record points at the ZIP64 end record, which must
    // sit between the directory and the locator with nothing around it.
    let locator = endOffset >= 20 ? read(endOffset - 20, 20) : nil
    if let locator, Self.u32(locator, 0) == 0x0706_4b50 {
      let recordOffset = Self.u64(locator, 8)
      guard let record = read(recordOffset, 56), Self.u32(record, 0) == 0x0606_4b50,
        Self.u64(record, 4) == 44, recordOffset + 56 == endOffset - 20,
        Self.u32(locator, 4) == 0, Self.u32(locator, 16) == 1,
        Self.u32(record, 16) == 0, Self.u32(record, 20) == 0,
        Self.u64(record, 24) == Self.u64(record, 32)
      else {
        throw Malformed(reason: "the ZIP64 end of central directory record is not as expected")
      }
      count = Self.u64(record, 32)
      directorySize = Self.u64(record, 40)
      directoryOffset = Self.u64(record, 48)
      directoryEnd = recordOffset
    } else if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
      throw Malformed(reason: "the ZIP64 end of central directory record is missing")
    }
    guard directoryOffset <= directoryEnd, directoryEnd - directoryOffset == directorySize,
      directorySize <= 1 << 30, let directory = read(directoryOffset, Int(directorySize))
    else {
      throw Malformed(reason: "the central directory is not where the end record says")
    }

    var position = 0
    // Where the next local header must start: entries lie back to back from the file's start.
    var expectedOffset: UInt64 = 0
    for index in 0..<count {
      let number = index + 1
      guard position + 46 <= directory.count, Self.u32(directory, position) == 0x0201_4b50 else {
        throw Malformed(reason: "central directory record \(number) is malformed")
      }
      let flags = Self.u16(directory, position + 8)
      let method = Self.u16(directory, position + 10)
      let crc = Self.u32(directory, position + 16)
      let nameLength = Int(Self.u16(directory, position + 28))
      let extraLength = Int(Self.u16(directory, position + 30))
      let commentLength = Int(Self.u16(directory, position + 32))
      let next = position + 46 + nameLength + extraLength + commentLength
      guard next <= directory.count, commentLength == 0, Self.u16(directory, position + 34) == 0
      else {
        throw Malformed(reason: "central directory record \(number) is malformed")
      }
      let name = Array(directory[(position + 46)..<(position + 46 + nameLength)])
      let shown = String(decoding: name, as: UTF8.self)
      let extra = Array(directory[(position + 46 + nameLength)..<next])
      guard let fields = Self.extraFields(extra) else {
        throw Malformed(reason: "entry \(number) (\(shown)) has an extra field that is not allowed")
      }
      var uncompressed = UInt64(Self.u32(directory, position + 24))
      var compressed = UInt64(Self.u32(directory, position + 20))
      var offset = UInt64(Self.u32(directory, position + 42))
      if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        guard
          let values = Self.zip64Values(
            fields[0x0001] ?? [], uncompressed: uncompressed == 0xFFFF_FFFF,
            compressed: compressed == 0xFFFF_FFFF, offset: offset == 0xFFFF_FFFF)
        else {
          throw Malformed(reason: "entry \(number) (\(shown)) lacks its ZIP64 sizes")
        }
        uncompressed = values.uncompressed ?? uncompressed
        compressed = values.compressed ?? compressed
        offset = values.offset ?? offset
      }
      guard flags & 0x0001 == 0 else {
        throw Malformed(reason: "entry \(number) (\(shown)) is encrypted")
      }
      guard offset == expectedOffset else {
        throw Malformed(
          reason: "entry \(number) (\(shown)) is not where the previous entry ends")
      }

      // The local header: the same name, method and flags, allowed extra fields only.
      guard let local = read(offset, 30), Self.u32(local, 0) == 0x0403_4b50,
        Self.u16(local, 6) == flags, Self.u16(local, 8) == method,
        let localName = read(offset + 30, Int(Self.u16(local, 26))), localName == name,
        let localExtra = read(offset + 30 + UInt64(Self.u16(local, 26)), Int(Self.u16(local, 28))),
        let localFields = Self.extraFields(localExtra)
      else {
        throw Malformed(
          reason: "entry \(number) (\(shown)) has another local header than the central "
            + "directory describes")
      }
      let dataStart = offset + 30 + UInt64(localName.count) + UInt64(localExtra.count)
      let (dataEnd, overflow) = dataStart.addingReportingOverflow(compressed)
      guard !overflow, dataEnd <= directoryOffset else {
        throw Malformed(reason: "entry \(number) (\(shown)) runs into the central directory")
      }
      expectedOffset = dataEnd

      if flags & 0x0008 != 0 {
        // A data descriptor follows the data, with 64-bit sizes when the local header has a
        // ZIP64 field, and an optional signature.
        let wide = localFields[0x0001] != nil
        let length = wide ? 20 : 12
        guard let head = read(dataEnd, 4) else {
          throw Malformed(reason: "entry \(number) (\(shown)) lacks its data descriptor")
        }
        let signed = Self.u32(head, 0) == 0x0807_4b50
        guard let descriptor = read(dataEnd + (signed ? 4 : 0), length),
          Self.u32(descriptor, 0) == crc,
          (wide ? Self.u64(descriptor, 4) : UInt64(Self.u32(descriptor, 4))) == compressed,
          (wide ? Self.u64(descriptor, 12) : UInt64(Self.u32(descriptor, 8))) == uncompressed
        else {
          throw Malformed(
            reason: "entry \(number) (\(shown)) has a data descriptor that disagrees with the "
              + "central directory")
        }
        expectedOffset = dataEnd + UInt64(length + (signed ? 4 : 0))
      } else {
        var localUncompressed = UInt64(Self.u32(local, 22))
        var localCompressed = UInt64(Self.u32(local, 18))
        if localUncompressed == 0xFFFF_FFFF || localCompressed == 0xFFFF_FFFF {
          let values = Self.zip64Values(
            localFields[0x0001] ?? [], uncompressed: true, compressed: true, offset: false)
          localUncompressed = values?.uncompressed ?? 0
          localCompressed = values?.compressed ?? 0
        }
        guard Self.u32(local, 14) == crc, localUncompressed == uncompressed,
          localCompressed == compressed
        else {
          throw Malformed(
            reason: "entry \(number) (\(shown)) has another local header than the central "
              + "directory describes")
        }
      }

      // Bundles hold plain 0644 files; execute, set-id and group or other write bits are not
      // restored by verification, but an unzip tool would set them.
      let kind = Self.kind(attributes: Self.u32(directory, position + 38), name: name)
      let mode = (Self.u32(directory, position + 38) >> 16) & 0o7777
      guard kind != .regularFile || mode & 0o7133 == 0 else {
        throw Malformed(
          reason: "entry \(number) (\(shown)) has mode \(String(mode, radix: 8)); bundles hold "
            + "files of mode 644")
      }
      records.append(
        Record(
          path: shown, uncompressedBytes: uncompressed, localHeaderOffset: offset,
          kind: kind))
      position = next
    }
    guard position == directory.count else {
      throw Malformed(reason: "the central directory holds more than its records")
    }
    guard expectedOffset == directoryOffset else {
      throw Malformed(reason: "bytes lie between the last entry and the central directory")
    }
  }

  /// The kind of entry the external attributes declare: a Unix file type in the upper 16 bits,
  /// whatever system the archive says it was made on (unzip tools honour the bits regardless),
  /// the MS-DOS directory bit, or a name ending in `/`.
  private static func kind(attributes: UInt32, name: [UInt8]) -> ZipReader.Kind {
    if name.last == UInt8(ascii: "/") || attributes & 0x10 != 0 { return .other }
    switch (attributes >> 16) & 0o170000 {
    case 0, 0o100000: return .regularFile
    case 0o120000: return .symbolicLink
    default: return .other
    }
  }

  /// The extra fields by id, or `nil` when one is malformed, repeated or not allowed.
  private static func extraFields(_ extra: [UInt8]) -> [UInt16: [UInt8]]? {
    var fields: [UInt16: [UInt8]] = [:]
    var position = 0
    while position < extra.count {
      guard position + 4 <= extra.count else { return nil }
      let id = u16(extra, position)
      let length = Int(u16(extra, position + 2))
      guard position + 4 + length <= extra.count, allowedExtraFields.contains(id),
        fields[id] == nil
      else { return nil }
      fields[id] = Array(extra[(position + 4)..<(position + 4 + length)])
      position += 4 + length
    }
    return fields
  }

  /// The 64-bit values of a ZIP64 extended information field, present only for the fields
  /// whose 32-bit value is all ones, in the APPNOTE's order.
  private static func zip64Values(
    _ field: [UInt8], uncompressed: Bool, compressed: Bool, offset: Bool
  ) -> (uncompressed: UInt64?, compressed: UInt64?, offset: UInt64?)? {
    var position = 0
    func next() -> UInt64? {
      guard position + 8 <= field.count else { return nil }
      defer { position += 8 }
      return u64(field, position)
    }
    let uncompressedValue = uncompressed ? next() : nil
    if uncompressed && uncompressedValue == nil { return nil }
    let compressedValue = compressed ? next() : nil
    if compressed && compressedValue == nil { return nil }
    let offsetValue = offset ? next() : nil
    if offset && offsetValue == nil { return nil }
    return (uncompressedValue, compressedValue, offsetValue)
  }

  private static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
  }

  private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16
  }

  private static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32
  }
}
