/// The distinct members of one slice of events: people, or pairs of a person and a day.
///
/// A slice with few members keeps them in a small open-addressed hash table of packed
/// person-and-day keys, at least half of its places free. A slice with many keeps one bit per
/// possible member instead: a run of day bits per person, the run a power of two long. The set
/// takes whichever form is smaller each time it has to grow, so that its memory stays within a
/// few dozen bytes a member however many people and days the other slices have, and the copying
/// that a change of form costs is spread over the insertions that made the set grow.
///
/// A set with a single member, as most slices of a value seen once are, keeps it without any
/// storage. People and days are the aggregator's dense indices, below 2³² each; a set of
/// people alone uses day 0 throughout.
struct MemberSet: Sendable {
  /// Which form a set takes; anything but `adaptive` is for tests that compare the two forms.
  enum Layout: Sendable {
    /// The smaller form each time the set grows.
    case adaptive
    /// Always the hash table.
    case sparse
    /// Always the bits.
    case dense
  }

  /// The hash table's places, `Self.free` where empty, or the bit words of the dense form;
  /// empty while the set has no more than one member.
  private var storage: [UInt64] = []
  /// The distinct members inserted.
  private(set) var count = 0
  /// The highest person and day inserted: the member itself while there is only one.
  private var maxUser: UInt32 = 0
  private var maxDay: UInt32 = 0
  /// The base-2 logarithm of how many day bits each person has in the dense form.
  private var dayShift: UInt8 = 0
  private var isDense = false

  /// Marks an empty place; no key equals it, as no person or day index reaches 2³² − 1.
  private static let free = UInt64.max

  /// Adds the member `user`, on `day` if the set counts days.
  @inline(__always)
  mutating func insert(user: Int, day: Int = 0, layout: Layout) {
    if isDense {
      let bit = user &<< dayShift | day
      let word = bit &>> 6
      if day &>> dayShift == 0, word < storage.count {
        let mask: UInt64 = 1 &<< UInt64(bit & 63)
        let old = storage[word]
        if old & mask == 0 {
          storage[word] = old | mask
          count &+= 1
        }
        return
      }
    } else if storage.isEmpty {
      if count == 0 {
        maxUser = UInt32(truncatingIfNeeded: user)
        maxDay = UInt32(truncatingIfNeeded: day)
        count = 1
        return
      }
      if user == maxUser, day == maxDay {
        return
      }
    } else {
      let key = Self.key(user: user, day: day)
      let mask = storage.count &- 1
      var place = key.place(mask: mask)
      while true {
        let found = storage[place]
        if found == key {
          return
        }
        if found == Self.free {
          if (count &+ 1) &* 2 <= storage.count {
            storage[place] = key
            count &+= 1
            maxUser = max(maxUser, UInt32(truncatingIfNeeded: user))
            maxDay = max(maxDay, UInt32(truncatingIfNeeded: day))
            return
          }
          break
        }
        place = (place &+ 1) & mask
      }
    }
    insertGrowing(user: user, day: day, layout: layout)
  }

  /// The storage word that holds `user` on `day` in the dense form, or 0; reading it early
  /// brings it into the cache for a later `insert`; see `EventAggregator`.
  @inline(__always)
  func word(user: Int, day: Int) -> UInt64 {
    guard isDense else { return 0 }
    let word = (user &<< dayShift | day) &>> 6
    return word < storage.count ? storage[word] : 0
  }

  /// Adds a member that is not in the set and does not fit in its storage, choosing the form
  /// that holds all the members in fewer words.
  private mutating func insertGrowing(user: Int, day: Int, layout: Layout) {
    let members = count + 1
    let newMaxUser = max(Int(maxUser), user)
    let newMaxDay = max(Int(maxDay), day)
    var newDayShift: UInt8 = 0
    while newMaxDay >> newDayShift != 0 {
      newDayShift += 1
    }
    let denseWords = ((newMaxUser + 1) << newDayShift + 63) >> 6
    var sparsePlaces = 4
    while sparsePlaces < members * 2 {
      sparsePlaces *= 2
    }
    let becomesDense =
      switch layout {
      case .adaptive: denseWords <= sparsePlaces
      case .sparse: false
      case .dense: true
      }

    if becomesDense, isDense, newDayShift == dayShift {
      // Only people beyond the last word: the bits so far stay where they are.
      storage.append(contentsOf: repeatElement(0, count: denseWords - storage.count))
    } else {
      let old = self
      storage =
        becomesDense
        ? Array(repeating: 0, count: denseWords) : Array(repeating: Self.free, count: sparsePlaces)
      isDense = becomesDense
      dayShift = newDayShift
      count = 0
      old.forEachMember { insert(user: $0, day: $1, layout: layout) }
    }
    maxUser = UInt32(newMaxUser)
    maxDay = UInt32(newMaxDay)
    insert(user: user, day: day, layout: layout)
  }

  /// Calls `body` with every member, in no particular order.
  private func forEachMember(_ body: (_ user: Int, _ day: Int) -> Void) {
    if storage.isEmpty {
      if count == 1 {
        body(Int(maxUser), Int(maxDay))
      }
    } else if isDense {
      for (index, word) in storage.enumerated() {
        var bits = word
        while bits != 0 {
          let bit = index << 6 | bits.trailingZeroBitCount
          body(bit >> dayShift, bit & (1 << dayShift - 1))
          bits &= bits - 1
        }
      }
    } else {
      for key in storage where key != Self.free {
        body(Int(key >> 32), Int(key & 0xFFFF_FFFF))
      }
    }
  }

  @inline(__always)
  private static func key(user: Int, day: Int) -> UInt64 {
    UInt64(truncatingIfNeeded: user) &<< 32 | UInt64(truncatingIfNeeded: day)
  }
}
