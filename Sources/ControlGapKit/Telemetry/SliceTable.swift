/// The slices of one control's events: the total, each day and each value of every dimension,
/// each with its running `OutcomeCounts`, the span of days of its bypasses, and the people
/// behind them.
///
/// Every slice gets a dense slot number the first time one of its events is counted, found
/// through a hash table of dimension and value, so that a control pays only for the values its
/// own events have. Each slot keeps its distinct people, its distinct bypassers and, for the
/// few slices that count user-days, its distinct person-and-day pairs as `MemberSet`s, which
/// grow with the members actually seen. People and days are dense indices handed out by the
/// aggregator, never identifiers, so the table grows with the number of distinct memberships
/// and never with the number of events, nor with people times slices.
struct SliceTable: Sendable {
  /// The slices that the events of a control are counted in.
  enum Dimension: Int, CaseIterable {
    case total, day, app, role, location, device, action, path, risk, riskReason, appAction
    /// An app-and-action pair with a path, counting only bypasses.
    case appActionPath
  }

  /// One slice: which it is, how its events ended, on which days its bypasses came, and the
  /// people behind them. Kept small, its challenges and distinct counts derived rather than
  /// stored, as an export can have a slice for nearly every event.
  private struct Slice: Sendable {
    /// The slice's dimension and value; see `key(_:_:)`.
    var key: UInt64
    var passes = 0
    var failures = 0
    var abandons = 0
    var bypasses = 0
    var riskDrivenBypasses = 0
    var exceptionUses = 0
    /// The day numbers of the first and last bypass; meaningless while `bypasses` is 0. Day
    /// numbers, not the dense day indices, because only they run in date order.
    var firstBypassDay = Int32.max
    var lastBypassDay = Int32.min
    var users = MemberSet()
    var bypassers = MemberSet()
    /// Empty except in the total, the risk ratings and the app-and-action pairs.
    var userDays = MemberSet()

    @inline(__always)
    mutating func add(
      _ outcome: AccessEvent.Outcome, user: Int, day: Int, dayNumber: Int32, isRiskDriven: Bool,
      countsUserDays: Bool, layout: MemberSet.Layout
    ) {
      switch outcome {
      case .passed: passes += 1
      case .failed: failures += 1
      case .abandoned: abandons += 1
      case .bypassed:
        bypasses += 1
        if isRiskDriven {
          riskDrivenBypasses += 1
        }
        firstBypassDay = min(firstBypassDay, dayNumber)
        lastBypassDay = max(lastBypassDay, dayNumber)
        bypassers.insert(user: user, layout: layout)
      case .exception: exceptionUses += 1
      }
      users.insert(user: user, layout: layout)
      if countsUserDays {
        userDays.insert(user: user, day: day, layout: layout)
      }
    }

    /// The slice's counts; every event is a challenge and has exactly one outcome.
    var counts: OutcomeCounts {
      OutcomeCounts(
        challenges: passes + failures + abandons + bypasses + exceptionUses, passes: passes,
        failures: failures, abandons: abandons, bypasses: bypasses,
        exceptionUses: exceptionUses, distinctUsers: users.count, userDays: userDays.count,
        riskDrivenBypasses: riskDrivenBypasses, distinctBypassers: bypassers.count,
        bypassDays: bypassDays)
    }

    /// The first and last UTC day of the slice's bypasses, or `nil` when it has none.
    var bypassDays: ClosedRange<CalendarDate>? {
      guard bypasses > 0 else { return nil }
      let first = CalendarDate(dayNumber: Int(firstBypassDay))
      return first...CalendarDate(dayNumber: Int(lastBypassDay))
    }
  }

  private let layout: MemberSet.Layout
  /// The slot of each slice by its dimension and value; see `key(_:_:)`.
  private var slots = DenseIDTable()
  private var slices: [Slice] = []

  init(layout: MemberSet.Layout = .adaptive) {
    self.layout = layout
  }

  /// Counts one event in the slice of `value` of `dimension`.
  ///
  /// - Parameters:
  ///   - user: The dense index of the person.
  ///   - day: The dense index of the event's UTC day.
  ///   - dayNumber: The number of the event's UTC day; see `CalendarDate.dayNumber`.
  ///   - isRiskDriven: Whether the event is a bypass with a risk reason.
  @inline(__always)
  mutating func add(
    _ outcome: AccessEvent.Outcome, user: Int, day: Int, dayNumber: Int32, isRiskDriven: Bool,
    to dimension: Dimension, value: Int
  ) {
    let key = Self.key(dimension, value)
    let (slot, isNew) = slots.id(for: key)
    if isNew {
      slices.append(Slice(key: key))
    }
    slices[slot].add(
      outcome, user: user, day: day, dayNumber: dayNumber, isRiskDriven: isRiskDriven,
      countsUserDays: dimension == .total || dimension == .risk || dimension == .appAction,
      layout: layout)
  }

  /// Reads the memory of the total's person-and-day bits that `add` will write for `user` on
  /// `day`, without changing it, so that the later `add` finds it in the cache; see
  /// `EventAggregator`.
  ///
  /// - Returns: What was read, for the caller to fold into something it keeps, so that the
  ///   read is not optimised away.
  @inline(__always)
  func prefetchUserDay(user: Int, day: Int) -> UInt64 {
    // The total is the first slice of every control that has events.
    slices.isEmpty ? 0 : slices[0].userDays.word(user: user, day: day)
  }

  /// The slices of `dimension` that have events, by value, with their counts; user-days are 0
  /// except in the total, the risk ratings and the app-and-action pairs.
  func entries(of dimension: Dimension) -> [(value: Int, counts: OutcomeCounts)] {
    let tag = UInt64(dimension.rawValue)
    return slices.indices.filter { slices[$0].key & 15 == tag }
      .map { (Int(slices[$0].key >> 4), slices[$0].counts) }
      .sorted { $0.value < $1.value }
  }

  /// The table key of a slice: its value above four bits of dimension.
  @inline(__always)
  private static func key(_ dimension: Dimension, _ value: Int) -> UInt64 {
    UInt64(truncatingIfNeeded: value) &<< 4 | UInt64(truncatingIfNeeded: dimension.rawValue)
  }
}
