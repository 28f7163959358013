/// Dense ids, 0, 1, 2 and on in order of first use, for integer keys that are too sparse to
/// index an array by: a slice's dimension and value, or an app id and an action id together.
///
/// An open-addressed hash table with at least half its places free, so that it grows with the
/// number of keys seen and never with the size of the largest one.
struct DenseIDTable: Sendable {
  private struct Place: Sendable {
    var key: UInt64
    var id: Int32
  }

  private var places = [Place](repeating: Place(key: free, id: -1), count: 8)
  /// The keys that have an id.
  private(set) var count = 0

  /// Marks an empty place; callers never use it as a key.
  private static let free = UInt64.max

  /// The id of `key`, which must not be `UInt64.max`.
  ///
  /// - Returns: The id, and whether it was given now because the key is new.
  @inline(__always)
  mutating func id(for key: UInt64) -> (id: Int, isNew: Bool) {
    let mask = places.count &- 1
    var place = key.place(mask: mask)
    while true {
      let found = places[place]
      if found.key == key {
        return (Int(found.id), false)
      }
      if found.key == Self.free {
        break
      }
      place = (place &+ 1) & mask
    }
    return (add(key, at: place), true)
  }

  /// Gives the new `key` the next id, at `place` unless the table must grow first.
  private mutating func add(_ key: UInt64, at place: Int) -> Int {
    var place = place
    if (count + 1) * 2 > places.count {
      grow()
      let mask = places.count - 1
      place = key.place(mask: mask)
      while places[place].key != Self.free {
        place = (place + 1) & mask
      }
    }
    places[place] = Place(key: key, id: Int32(count))
    count += 1
    return count - 1
  }

  private mutating func grow() {
    let old = places
    places = Array(repeating: Place(key: Self.free, id: -1), count: old.count * 2)
    let mask = places.count - 1
    for entry in old where entry.key != Self.free {
      var place = entry.key.place(mask: mask)
      while places[place].key != Self.free {
        place = (place + 1) & mask
      }
      places[place] = entry
    }
  }
}

extension UInt64 {
  /// Where an open-addressed table with `mask + 1` places, a power of two, starts looking for
  /// this key: the top bits of the key times 2⁶⁴ divided by the golden ratio. The top bits
  /// depend on every bit of the key, so that keys sharing their low bits, such as every
  /// thousandth person, still spread over the table.
  @inline(__always)
  func place(mask: Int) -> Int {
    let mixed = self &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed &>> UInt64(64 - mask.nonzeroBitCount)) & mask
  }
}
