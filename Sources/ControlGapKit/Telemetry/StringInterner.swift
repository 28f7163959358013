/// Hands out one shared `String` for each distinct byte sequence, found by its bytes.
///
/// Exports repeat the same users, apps and locations row after row; looking a value up by its
/// bytes avoids allocating a new string for each row, and lets every event that names the same
/// value share one string. Values of up to 15 bytes are decoded directly instead: Swift keeps
/// them inside the `String` value without allocating, which is cheaper than a lookup. Once
/// `capacity` distinct values have been kept, further new values are decoded each time, so
/// that a column of unique values cannot grow the table without bound.
struct StringInterner: ~Copyable {
  /// What a probe compares, kept apart from the strings so that probing copies no references.
  private struct Key {
    var hash: UInt64
    var byteOffset: Int
    var byteCount: Int
  }

  /// The most UTF-8 bytes a `String` holds without allocating, on 64-bit platforms.
  static let largestInlineString = 15

  let capacity: Int
  /// Open-addressing table of `keys` indices plus one; 0 marks an empty slot.
  private var slots: UnsafeMutablePointer<Int32>
  private var slotCount = 64
  private var keys: UnsafeMutablePointer<Key>
  /// The string of each key; `keys` and `strings` hold `count` values and room for half the
  /// slots.
  private var strings: UnsafeMutablePointer<String>
  private var count = 0
  /// The bytes of every kept value, back to back.
  private var storage: UnsafeMutablePointer<UInt8>
  private var storageUsed = 0
  private var storageCapacity = 4096

  init(capacity: Int = 1 << 16) {
    self.capacity = capacity
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: 0, count: slotCount)
    keys = .allocate(capacity: slotCount / 2)
    strings = .allocate(capacity: slotCount / 2)
    storage = .allocate(capacity: storageCapacity)
  }

  deinit {
    slots.deallocate()
    keys.deallocate()
    strings.deinitialize(count: count)
    strings.deallocate()
    storage.deallocate()
  }

  /// The shared string for `bytes`, which must be valid UTF-8.
  mutating func string(for bytes: UnsafeRawBufferPointer) -> String {
    guard bytes.count > Self.largestInlineString else {
      return String(decoding: bytes, as: UTF8.self)
    }
    let hash = Self.hash(bytes)
    let mask = slotCount - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 {
      let index = Int(slots[slot]) - 1
      let key = keys[index]
      if key.hash == hash, key.byteCount == bytes.count,
        Self.equal(storage + key.byteOffset, bytes)
      {
        return strings[index]
      }
      slot = (slot + 1) & mask
    }

    let string = String(decoding: bytes, as: UTF8.self)
    guard count < capacity else { return string }
    if storageUsed + bytes.count > storageCapacity {
      growStorage(toHold: storageUsed + bytes.count)
    }
    if let base = bytes.baseAddress {
      (storage + storageUsed).update(
        from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }
    (keys + count).initialize(
      to: Key(hash: hash, byteOffset: storageUsed, byteCount: bytes.count))
    (strings + count).initialize(to: string)
    storageUsed += bytes.count
    count += 1
    slots[slot] = Int32(count)
    if count * 2 >= slotCount {
      rebuildSlots()
    }
    return string
  }

  /// Doubles the table; `keys` and `strings` grow with it.
  private mutating func rebuildSlots() {
    slotCount *= 2
    let mask = slotCount - 1
    slots.deallocate()
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: 0, count: slotCount)
    let grownKeys = UnsafeMutablePointer<Key>.allocate(capacity: slotCount / 2)
    grownKeys.initialize(from: keys, count: count)
    keys.deallocate()
    keys = grownKeys
    let grownStrings = UnsafeMutablePointer<String>.allocate(capacity: slotCount / 2)
    grownStrings.moveInitialize(from: strings, count: count)
    strings.deallocate()
    strings = grownStrings
    for index in 0..<count {
      var slot = Int(truncatingIfNeeded: keys[index].hash) & mask
      while slots[slot] != 0 {
        slot = (slot + 1) & mask
      }
      slots[slot] = Int32(index + 1)
    }
  }

  private mutating func growStorage(toHold needed: Int) {
    while storageCapacity < needed {
      storageCapacity *= 2
    }
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: storageCapacity)
    grown.update(from: storage, count: storageUsed)
    storage.deallocate()
    storage = grown
  }

  static func equal(_ stored: UnsafePointer<UInt8>, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
      let left = UnsafeRawPointer(stored + index).loadUnaligned(as: UInt64.self)
      guard left == bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) else {
        return false
      }
      index += 8
    }
    while index < count {
      guard stored[index] == bytes[index] else { return false }
      index += 1
    }
    return true
  }

  /// A fast non-cryptographic hash that takes eight bytes at a time.
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var hash = UInt64(truncatingIfNeeded: bytes.count) &* multiplier
    var index = 0
    while index + 8 <= bytes.count {
      let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      hash = (hash ^ word) &* multiplier
      hash ^= hash >> 29
      index += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count {
      tail |= UInt64(bytes[index]) << shift
      shift += 8
      index += 1
    }
    hash = (hash ^ tail) &* multiplier
    return hash ^ (hash >> 32)
  }
}
