/// The central directory of a ZIP archive, read strictly, for comparison with the entries a
/// streaming reader found.
///
/// A ZIP indexes its entries twice: each entry starts with a local header, and the central
/// directory at the end lists them again with their offsets. Streaming readers (and
/// libarchive's, which verification uses) follow the local headers; most unzip tools follow
/// the central directory. An archive crafted so that the two disagree would let an auditor's
/// unzip tool show bytes other than the ones verified, so verification reads both and refuses
/// any difference. libarchive does not expose the central directory's names, so this reads it
/// by hand, following PKWARE's APPNOTE (sections 4.3.6 to 4.3.16), ZIP64 included.
struct ZipCentralDirectory {
  /// One central directory record.
  struct Record: Equatable {
    /// The name as stored, decoded as UTF-8.
    var path: String
    var uncompressedBytes: UInt64
    var localHeaderOffset: UInt64
    /// What the entry is, from its external attributes: only the central directory says
    /// whether an entry is a symbolic link, so a streaming reader sees links as files.
    var kind: ZipReader.Kind
  }

  /// The records, in directory order.
  private(set) var records: [Record] = []

  /// Why the archive's structure is refused.
  struct Malformed: Error, Equatable {
    var reason: String
  }

  /// Reads the directory of an archive of `size` bytes through `read(offset, count)`, which
  /// returns exactly `count` bytes or `nil`.
  init(size: UInt64, read: (UInt64, Int) -> [UInt8]?) throws {
    // The end record is 22 bytes plus a comment of up to 65,535; ControlGap writes none, and
    // one is accepted only when it runs exactly to the end of the file.
    let tailLength = Int(min(size, 22 + 65_535))
    guard tailLength >= 22, let tail = read(size - UInt64(tailLength), tailLength) else {
      throw Malformed(reason: "no end of central directory record")
    }
    var endAt: Int?
    for start in stride(from: tailLength - 22, through: 0, by: -1)
    where Self.u32(tail, start) == 0x0605_4b50
      && start + 22 + Int(Self.u16(tail, start + 20)) == tailLength
    {
      endAt = start
      break
    }
    guard let endAt else { throw Malformed(reason: "no end of central directory record") }
    let endOffset = size - UInt64(tailLength - endAt)
    guard Self.u16(tail, endAt + 4) == 0, Self.u16(tail, endAt + 6) == 0,
      Self.u16(tail, endAt + 8) == Self.u16(tail, endAt + 10)
    else {
      throw Malformed(reason: "the archive spans several disks")
    }
    var count = UInt64(Self.u16(tail, endAt + 10))
    var directorySize = UInt64(Self.u32(tail, endAt + 12))
    var directoryOffset = UInt64(Self.u32(tail, endAt + 16))
    var directoryEnd = endOffset

    // ZIP64: a locator just before the end record points at the ZIP64 end record, which sits
    // between the directory and the locator and holds the 64-bit values.
    let locator = endOffset >= 20 ? read(endOffset - 20, 20) : nil
    let hasLocator = locator.map { Self.u32($0, 0) == 0x0706_4b50 } ?? false
    if hasLocator || count == 0xFFFF || directorySize == 0xFFFF_FFFF
      || directoryOffset == 0xFFFF_FFFF
    {
      guard let locator, hasLocator, let record = read(Self.u64(locator, 8), 56),
        Self.u32(record, 0) == 0x0606_4b50
      else {
        throw Malformed(reason: "the ZIP64 end of central directory record cannot be read")
      }
      count = Self.u64(record, 32)
      directorySize = Self.u64(record, 40)
      directoryOffset = Self.u64(record, 48)
      directoryEnd = Self.u64(locator, 8)
    }
    guard directoryOffset <= directoryEnd, directoryEnd - directoryOffset == directorySize,
      directorySize <= 1 << 30, let directory = read(directoryOffset, Int(directorySize))
    else {
      throw Malformed(reason: "the central directory is not where the end record says")
    }

    var position = 0
    var previousOffset: UInt64?
    for index in 0..<count {
      guard position + 46 <= directory.count, Self.u32(directory, position) == 0x0201_4b50 else {
        throw Malformed(reason: "central directory record \(index + 1) is malformed")
      }
      let nameLength = Int(Self.u16(directory, position + 28))
      let extraLength = Int(Self.u16(directory, position + 30))
      let commentLength = Int(Self.u16(directory, position + 32))
      let next = position + 46 + nameLength + extraLength + commentLength
      guard next <= directory.count else {
        throw Malformed(reason: "central directory record \(index + 1) is malformed")
      }
      let name = Array(directory[(position + 46)..<(position + 46 + nameLength)])
      var uncompressed = UInt64(Self.u32(directory, position + 24))
      let compressed = UInt64(Self.u32(directory, position + 20))
      var offset = UInt64(Self.u32(directory, position + 42))
      if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        let extra = Array(directory[(position + 46 + nameLength)..<(next - commentLength)])
        guard
          let values = Self.zip64Values(
            extra, uncompressed: uncompressed == 0xFFFF_FFFF,
            compressed: compressed == 0xFFFF_FFFF, offset: offset == 0xFFFF_FFFF)
        else {
          throw Malformed(reason: "central directory record \(index + 1) lacks its ZIP64 sizes")
        }
        uncompressed = values.uncompressed ?? uncompressed
        offset = values.offset ?? offset
      }
      // Entries follow one another in the order the directory lists them.
      if let previousOffset, offset <= previousOffset {
        throw Malformed(reason: "central directory record \(index + 1) is out of order")
      }
      previousOffset = offset
      guard offset < directoryOffset, let local = read(offset, 30),
        Self.u32(local, 0) == 0x0403_4b50,
        let localName = read(offset + 30, Int(Self.u16(local, 26))), localName == name
      else {
        throw Malformed(
          reason: "entry \(index + 1) (\(String(decoding: name, as: UTF8.self))) has another "
            + "name in its local header than in the central directory")
      }
      records.append(
        Record(
          path: String(decoding: name, as: UTF8.self), uncompressedBytes: uncompressed,
          localHeaderOffset: offset,
          kind: Self.kind(
            madeBy: Self.u16(directory, position + 4),
            attributes: Self.u32(directory, position + 38),
            name: name)))
      position = next
    }
    guard position == directory.count else {
      throw Malformed(reason: "the central directory holds more than its records")
    }
  }

  /// The kind of entry the external attributes declare: a Unix file type in the upper 16 bits
  /// when the archive was made on Unix, the MS-DOS directory bit, or a name ending in `/`.
  private static func kind(madeBy: UInt16, attributes: UInt32, name: [UInt8]) -> ZipReader.Kind {
    if name.last == UInt8(ascii: "/") || attributes & 0x10 != 0 { return .other }
    let unixType = (attributes >> 16) & 0o170000
    guard madeBy >> 8 == 3, unixType != 0 else { return .regularFile }
    switch unixType {
    case 0o100000: return .regularFile
    case 0o120000: return .symbolicLink
    default: return .other
    }
  }

  /// The 64-bit values of a ZIP64 extended information field, present only for the fields
  /// whose 32-bit value is all ones, in the APPNOTE's order.
  private static func zip64Values(
    _ extra: [UInt8], uncompressed: Bool, compressed: Bool, offset: Bool
  ) -> (uncompressed: UInt64?, offset: UInt64?)? {
    var position = 0
    while position + 4 <= extra.count {
      let id = u16(extra, position)
      let length = Int(u16(extra, position + 2))
      guard position + 4 + length <= extra.count else { return nil }
      if id == 0x0001 {
        var field = position + 4
        let end = field + length
        func next() -> UInt64? {
          guard field + 8 <= end else { return nil }
          defer { field += 8 }
          return u64(extra, field)
        }
        let uncompressedValue = uncompressed ? next() : nil
        if uncompressed && uncompressedValue == nil { return nil }
        if compressed && next() == nil { return nil }
        let offsetValue = offset ? next() : nil
        if offset && offsetValue == nil { return nil }
        return (uncompressedValue, offsetValue)
      }
      position += 4 + length
    }
    return nil
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
