/// How often people met a control, how those meetings ended and on which days the bypasses
/// came, for one slice of the events: a control's whole period, one day, one app, one role,
/// and so on.
///
/// Every event is a challenge; each also counts under its outcome. Rates divide by the
/// challenges and are 0 when there are none, so an empty slice never reads as infinitely risky.
public struct OutcomeCounts: Hashable, Sendable {
  /// Every event in the slice, whatever its outcome.
  public var challenges: Int
  public var passes: Int
  public var failures: Int
  public var abandons: Int
  /// Accesses that went through without the control, by another path.
  public var bypasses: Int
  /// Accesses that went through without the control under an approved exception.
  public var exceptionUses: Int
  /// The people behind the events, each counted once.
  public var distinctUsers: Int
  /// Distinct pairs of a person and a UTC day on which that person met the control. Counted
  /// only where `ControlTelemetry` says so, and 0 elsewhere.
  public var userDays: Int
  /// Bypasses with at least one `TelemetryPolicy.RiskReason`.
  public var riskDrivenBypasses: Int
  /// The people with at least one bypass in the slice, each counted once.
  public var distinctBypassers: Int
  /// The first and last UTC day with a bypass in the slice. `nil` when the slice has no
  /// bypasses, or when the counts were read from an aggregate file without the bypass-day
  /// columns.
  public var bypassDays: ClosedRange<CalendarDate>?

  public init(
    challenges: Int = 0, passes: Int = 0, failures: Int = 0, abandons: Int = 0,
    bypasses: Int = 0, exceptionUses: Int = 0, distinctUsers: Int = 0, userDays: Int = 0,
    riskDrivenBypasses: Int = 0, distinctBypassers: Int = 0,
    bypassDays: ClosedRange<CalendarDate>? = nil
  ) {
    self.challenges = challenges
    self.passes = passes
    self.failures = failures
    self.abandons = abandons
    self.bypasses = bypasses
    self.exceptionUses = exceptionUses
    self.distinctUsers = distinctUsers
    self.userDays = userDays
    self.riskDrivenBypasses = riskDrivenBypasses
    self.distinctBypassers = distinctBypassers
    self.bypassDays = bypassDays
  }

  /// Bypasses with no risk reason: routine ones, where the control is more likely in the way
  /// than under attack.
  public var convenienceBypasses: Int {
    bypasses - riskDrivenBypasses
  }

  /// How many times, on average, one person was challenged on a day they met the control; a
  /// measure of prompt fatigue.
  public var promptsPerUserDay: Double {
    Self.ratio(challenges, userDays)
  }

  /// The share of challenges that were bypasses.
  public var bypassRate: Double {
    Self.ratio(bypasses, challenges)
  }

  /// The share of challenges that the person did not satisfy.
  public var failureRate: Double {
    Self.ratio(failures, challenges)
  }

  /// The share of challenges that the person gave up on.
  public var abandonRate: Double {
    Self.ratio(abandons, challenges)
  }

  /// Of the accesses that avoided the control, the share covered by an approved exception.
  public var exceptionShare: Double {
    Self.ratio(exceptionUses, bypasses + exceptionUses)
  }

  private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
    denominator == 0 ? 0 : Double(numerator) / Double(denominator)
  }
}

extension Int {
  /// The sum, or `Int.max` where it would overflow: totals over many aggregate files are
  /// shown, never trapped on.
  func saturatingAdding(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other < 0 ? Int.min : Int.max) : sum
  }
}
