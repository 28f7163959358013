/// The running counts behind one `OutcomeCounts`, with the sets that make its distinct users
/// and user-days countable.
///
/// People are kept as the first 8 bytes of their keyed hash, never as the identifier itself, so
/// the tally grows with the number of distinct people and days, not with the number of events.
struct OutcomeTally: Sendable {
  /// One person on one UTC day.
  private struct UserDay: Hashable, Sendable {
    var user: UInt64
    var day: Int
  }

  private var counts = OutcomeCounts()
  private var users: Set<UInt64> = []
  private var userDays: Set<UserDay> = []

  /// Counts one event of `outcome` by the person hashed to `user` on the UTC day numbered `day`.
  mutating func add(_ outcome: AccessEvent.Outcome, user: UInt64, day: Int) {
    counts.challenges += 1
    switch outcome {
    case .passed: counts.passes += 1
    case .failed: counts.failures += 1
    case .abandoned: counts.abandons += 1
    case .bypassed: counts.bypasses += 1
    case .exception: counts.exceptionUses += 1
    }
    users.insert(user)
    userDays.insert(UserDay(user: user, day: day))
  }

  /// The counts so far.
  var outcomeCounts: OutcomeCounts {
    var result = counts
    result.distinctUsers = users.count
    result.userDays = userDays.count
    return result
  }
}
