/// Gives each distinct byte sequence a dense id, 0, 1, 2… in order of first appearance.
///
/// Dense ids let the aggregator keep its tallies in arrays indexed by value instead of
/// dictionaries keyed by `String`, and look each field of an event up once by its bytes,
/// without decoding it. Values are equal when their bytes are, so two spellings that Unicode
/// calls equivalent stay apart, as they do in SQL. Memory grows with the distinct values only.
struct ValueIndex: Sendable {
  /// Open-addressing table of ids plus one; 0 marks an empty slot.
  private var slots = [Int32](repeating: 0, count: 64)
  private var hashes: [UInt64] = []
  /// Each value's length and, for values of up to 16 bytes, the two words that
  /// `shortWords(_:)` reads from it; together they tell short values apart exactly.
  private var lengths: [Int] = []
  private var firstWords: [UInt64] = []
  private var secondWords: [UInt64] = []
  /// Where each value's bytes start in `storage`; one more entry marks the end of the last.
  private var starts: [Int] = [0]
  private var storage: [UInt8] = []
  /// The text of each value, when the index keeps it.
  private var strings: [String] = []
  private let keepsText: Bool

  /// - Parameter keepsText: Whether `text(of:)` is needed; an index that never gives text back
  ///   keeps only bytes and hashes.
  init(keepsText: Bool = true) {
    self.keepsText = keepsText
  }

  /// How many distinct values have an id.
  var count: Int { hashes.count }

  /// The id of `value`, given a new one when the value is new.
  @inline(__always)
  mutating func id(for value: UnsafeRawBufferPointer) -> Int {
    let count = value.count
    guard count <= 16 else { return longValueID(for: value) }

    // Most values are short: two loads read the whole value, and a probe compares words.
    let (first, second) = Self.shortWords(value)
    var hash = (first ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
    hash ^= (second ^ UInt64(truncatingIfNeeded: count)) &* 0x94D0_49BB_1331_11EB
    hash ^= hash >> 31
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { break }
      let id = entry - 1
      if firstWords[id] == first, secondWords[id] == second, lengths[id] == count {
        return id
      }
      slot = (slot + 1) & mask
    }
    return addValue(value, hash: hash, words: (first, second), at: slot)
  }

  private mutating func longValueID(for value: UnsafeRawBufferPointer) -> Int {
    let hash = Self.longHash(value)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { break }
      let id = entry - 1
      if hashes[id] == hash, lengths[id] == value.count,
        storage.withUnsafeBytes({
          Self.longValuesEqual(UnsafeRawPointer($0.baseAddress! + starts[id]), value)
        })
      {
        return id
      }
      slot = (slot + 1) & mask
    }
    return addValue(value, hash: hash, words: (0, 0), at: slot)
  }

  private mutating func addValue(
    _ value: UnsafeRawBufferPointer, hash: UInt64, words: (UInt64, UInt64), at slot: Int
  ) -> Int {
    let id = hashes.count
    hashes.append(hash)
    lengths.append(value.count)
    firstWords.append(words.0)
    secondWords.append(words.1)
    storage.append(contentsOf: value)
    starts.append(storage.count)
    if keepsText {
      strings.append(String(decoding: value, as: UTF8.self))
    }
    slots[slot] = Int32(id + 1)
    if hashes.count * 2 >= slots.count {
      rebuildSlots()
    }
    return id
  }

  /// A hash of a value longer than 16 bytes that takes sixteen bytes per multiplication, each
  /// folded from a full-width product, so that long values such as addresses cost a few
  /// multiplications whose bytes all count.
  @inline(__always)
  private static func longHash(_ value: UnsafeRawBufferPointer) -> UInt64 {
    let count = value.count
    var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
    var offset = 0
    while offset &+ 16 < count {
      hash = folded(
        value.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ hash,
        value.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self) ^ 0xBF58_476D_1CE4_E5B9)
      offset &+= 16
    }
    // The last sixteen bytes, overlapping the ones before when the length is not a multiple
    // of sixteen.
    return folded(
      value.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self) ^ hash,
      value.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) ^ 0x94D0_49BB_1331_11EB)
  }

  /// Whether the stored bytes at `stored` equal `value`, of the same length and longer than
  /// eight bytes: a word at a time, the last word overlapping the one before.
  @inline(__always)
  private static func longValuesEqual(_ stored: UnsafeRawPointer, _ value: UnsafeRawBufferPointer)
    -> Bool
  {
    let count = value.count
    var offset = 0
    while offset &+ 8 < count {
      guard
        stored.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          == value.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      else { return false }
      offset &+= 8
    }
    return stored.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      == value.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
  }

  /// The high and low halves of the full product of two words, combined.
  @inline(__always)
  private static func folded(_ left: UInt64, _ right: UInt64) -> UInt64 {
    let product = left.multipliedFullWidth(by: right)
    return product.high ^ product.low
  }

  /// Two words that, with the length, determine a value of up to 16 bytes: the first and last
  /// eight bytes, overlapping when shorter, or the first and last four, or for one to three
  /// bytes the first, middle and last byte.
  @inline(__always)
  private static func shortWords(_ value: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    let count = value.count
    if count >= 8 {
      return (
        value.loadUnaligned(as: UInt64.self),
        value.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      )
    }
    if count >= 4 {
      let head = UInt64(value.loadUnaligned(as: UInt32.self))
      let tail = UInt64(value.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      return (head | tail << 32, 0)
    }
    if count > 0 {
      return (UInt64(value[0]) | UInt64(value[count / 2]) << 8 | UInt64(value[count - 1]) << 16, 0)
    }
    return (0, 0)
  }

  /// The id of `value`, as `id(for:)` gives it for its UTF-8 bytes.
  mutating func id(for value: String) -> Int {
    var value = value
    return value.withUTF8 { id(for: UnsafeRawBufferPointer($0)) }
  }

  /// The text of the value with id `id`; the index must keep text.
  func text(of id: Int) -> String {
    strings[id]
  }

  /// The bytes of the value with id `id`.
  func bytes(of id: Int) -> ArraySlice<UInt8> {
    storage[starts[id]..<starts[id + 1]]
  }

  /// Doubles the table and places every id again.
  private mutating func rebuildSlots() {
    let slotCount = slots.count * 2
    let mask = slotCount - 1
    slots = [Int32](repeating: 0, count: slotCount)
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != 0 {
        slot = (slot + 1) & mask
      }
      slots[slot] = Int32(id + 1)
    }
  }
}

extension Sequence<UInt8> {
  /// The bytes with ASCII letters folded to lowercase.
  var asciiLowercased: [UInt8] {
    map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
  }

  /// The UTF-8 text lowercased by Unicode's default case mapping, as every policy and scope
  /// comparison reads it, and as SQL's `LOWER` folds it, so that `Ärzte-Tablet` and
  /// `ärzte-tablet` are one device here and in the aggregate query alike. Values are folded
  /// once per distinct value, never per event.
  var foldedForComparison: [UInt8] {
    let bytes = Array(self)
    guard bytes.allSatisfy({ $0 < 0x80 }) else {
      return Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }
    return bytes.asciiLowercased
  }
}
