/// The slices of one control's events: the total, each day and each value of every dimension,
/// each with its running `OutcomeCounts` and the people behind them.
///
/// Every slice gets a dense slot number the first time one of its events is counted. Which
/// people a slice has is kept person by person: a row of bits per person, one bit per slot, so
/// that counting an event, which touches a dozen slices of the same person, touches one row of
/// memory. Person-and-day pairs are kept the same way, a row per person and day, for the few
/// slices that count user-days. People and days are dense indices handed out by the
/// aggregator, never identifiers, so the table grows with the number of distinct values,
/// people and days and never with the number of events.
struct SliceTable: Sendable {
  /// The slices that the events of a control are counted in.
  enum Dimension: Int, CaseIterable {
    case total, day, app, role, location, device, action, path, risk, riskReason, appAction
  }

  /// Slots by dimension and value id; -1 for a value without a slot yet.
  private var slotsByValue = [[Int32]](repeating: [], count: Dimension.allCases.count)
  /// The counts of each slot, without the distinct people, which the bits hold.
  private var counts: [OutcomeCounts] = []
  private var users = SlotBits()
  private var bypassers = SlotBits()
  /// User-day slots by dimension and value id: 0 for the total, 1 to 4 for the risk ratings,
  /// then one per app-and-action pair as it appears; -1 for a pair without one yet.
  private var userDaySlotsByPair: [Int32] = []
  private var userDaySlotCount = 1 + ControlTally.riskValues.count
  private var userDays = SlotBits()

  /// Counts one event in the slice of `value` of `dimension`.
  ///
  /// - Parameters:
  ///   - user: The dense index of the person.
  ///   - day: The dense index of the event's UTC day.
  ///   - isRiskDriven: Whether the event is a bypass with a risk reason.
  @inline(__always)
  mutating func add(
    _ outcome: AccessEvent.Outcome, user: Int, day: Int, isRiskDriven: Bool,
    to dimension: Dimension, value: Int
  ) {
    let slot = self.slot(dimension, value)
    counts[slot].challenges += 1
    switch outcome {
    case .passed: counts[slot].passes += 1
    case .failed: counts[slot].failures += 1
    case .abandoned: counts[slot].abandons += 1
    case .bypassed:
      counts[slot].bypasses += 1
      if isRiskDriven {
        counts[slot].riskDrivenBypasses += 1
      }
      bypassers.insert(slot: slot, group: user)
    case .exception: counts[slot].exceptionUses += 1
    }
    users.insert(slot: slot, group: user)

    switch dimension {
    case .total: userDays.insert(slot: 0, group: user, row: day)
    case .risk: userDays.insert(slot: 1 + value, group: user, row: day)
    case .appAction: userDays.insert(slot: userDaySlot(forPair: value), group: user, row: day)
    default: break
    }
  }

  /// Reads the person-and-day row of an event without changing it, so that a later `add` finds
  /// it in the cache; see `EventAggregator`.
  ///
  /// - Returns: The row's first word, for the caller to fold into something it keeps, so that
  ///   the read is not optimised away.
  @inline(__always)
  func prefetchUserDay(user: Int, day: Int) -> UInt64 {
    userDays.firstWord(group: user, row: day)
  }

  /// The slices of `dimension` that have events, with their counts; user-days are 0 except
  /// in the total, the risk ratings and the app-and-action pairs.
  func entries(of dimension: Dimension) -> [(value: Int, counts: OutcomeCounts)] {
    let slots = slotsByValue[dimension.rawValue]
    return slots.indices.filter { slots[$0] >= 0 }.map { value in
      let slot = Int(slots[value])
      var result = counts[slot]
      result.distinctUsers = users.count(in: slot)
      result.distinctBypassers = bypassers.count(in: slot)
      switch dimension {
      case .total: result.userDays = userDays.count(in: 0)
      case .risk: result.userDays = userDays.count(in: 1 + value)
      case .appAction: result.userDays = userDays.count(in: Int(userDaySlotsByPair[value]))
      default: break
      }
      return (value, result)
    }
  }

  @inline(__always)
  private mutating func slot(_ dimension: Dimension, _ value: Int) -> Int {
    let index = dimension.rawValue
    if value < slotsByValue[index].count {
      let known = slotsByValue[index][value]
      if known >= 0 {
        return Int(known)
      }
    } else {
      slotsByValue[index].append(
        contentsOf: repeatElement(-1, count: value - slotsByValue[index].count + 1))
    }
    slotsByValue[index][value] = Int32(counts.count)
    counts.append(OutcomeCounts())
    return counts.count - 1
  }

  @inline(__always)
  private mutating func userDaySlot(forPair pair: Int) -> Int {
    if pair < userDaySlotsByPair.count, userDaySlotsByPair[pair] >= 0 {
      return Int(userDaySlotsByPair[pair])
    }
    if pair >= userDaySlotsByPair.count {
      userDaySlotsByPair.append(
        contentsOf: repeatElement(-1, count: pair - userDaySlotsByPair.count + 1))
    }
    userDaySlotsByPair[pair] = Int32(userDaySlotCount)
    userDaySlotCount += 1
    return userDaySlotCount - 1
  }
}

/// Which slots each person, or each person on each day, has been counted in: a row of bits per
/// person and day, one bit per slot, in one array.
///
/// A group of rows per person holds one row per day, or a single row when days do not matter.
/// Rows widen, and groups gain rows, by doubling when a new slot or day does not fit, which
/// happens a few times per run rather than per event.
struct SlotBits: Sendable {
  private var words: [UInt64] = []
  private var wordsPerRow = 1
  private var rowsPerGroup = 1
  private var groupCount = 0
  /// How many rows have each slot's bit set.
  private var counts: [Int] = []

  /// The people, or person-and-day pairs, counted in `slot`.
  func count(in slot: Int) -> Int {
    slot < counts.count ? counts[slot] : 0
  }

  /// The first word of row `row` of the group of person `group`; 0 when there is none yet.
  @inline(__always)
  func firstWord(group: Int, row: Int) -> UInt64 {
    guard group < groupCount, row < rowsPerGroup else { return 0 }
    return words[(group &* rowsPerGroup &+ row) &* wordsPerRow]
  }

  /// Sets the bit of `slot` in row `row` of the group of person `group`.
  @inline(__always)
  mutating func insert(slot: Int, group: Int, row: Int = 0) {
    let word = slot &>> 6
    if word >= wordsPerRow || row >= rowsPerGroup || group >= groupCount {
      grow(toHoldWord: word, row: row, group: group)
    }
    if slot >= counts.count {
      counts.append(contentsOf: repeatElement(0, count: slot - counts.count + 1))
    }
    let index = (group &* rowsPerGroup &+ row) &* wordsPerRow &+ word
    let bit: UInt64 = 1 &<< UInt64(slot & 63)
    let old = words[index]
    if old & bit == 0 {
      words[index] = old | bit
      counts[slot] &+= 1
    }
  }

  private mutating func grow(toHoldWord word: Int, row: Int, group: Int) {
    var newWordsPerRow = wordsPerRow
    while word >= newWordsPerRow {
      newWordsPerRow *= 2
    }
    var newRowsPerGroup = rowsPerGroup
    while row >= newRowsPerGroup {
      newRowsPerGroup *= 2
    }
    // Groups grow by doubling too, so that people who appear one by one cost few copies.
    let newGroupCount = group < groupCount ? groupCount : max(group + 1, groupCount * 2)

    if newWordsPerRow == wordsPerRow, newRowsPerGroup == rowsPerGroup {
      words.append(
        contentsOf: repeatElement(
          0, count: newGroupCount * rowsPerGroup * wordsPerRow - words.count))
    } else {
      var grown = [UInt64](repeating: 0, count: newGroupCount * newRowsPerGroup * newWordsPerRow)
      for oldRow in 0..<groupCount * rowsPerGroup {
        let newRow = oldRow / rowsPerGroup * newRowsPerGroup + oldRow % rowsPerGroup
        for offset in 0..<wordsPerRow {
          grown[newRow * newWordsPerRow + offset] = words[oldRow * wordsPerRow + offset]
        }
      }
      words = grown
      wordsPerRow = newWordsPerRow
      rowsPerGroup = newRowsPerGroup
    }
    groupCount = newGroupCount
  }
}
