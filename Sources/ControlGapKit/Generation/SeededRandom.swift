/// Random numbers that are the same for the same seed on every machine and every Swift release.
///
/// Generated logs are compared byte for byte across runs, so nothing here comes from the
/// system. SplitMix64 spreads the one 64-bit seed over the four words of state, because
/// xoshiro256** must not start from nearby or all-zero states; xoshiro256** then gives the
/// numbers. Bounded draws use arithmetic of their own instead of the standard library's
/// `random(in:using:)`, whose way of drawing is not promised to stay the same.
struct SeededRandom {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  init(seed: UInt64) {
    var splitMix = seed
    s0 = Self.splitMix64(&splitMix)
    s1 = Self.splitMix64(&splitMix)
    s2 = Self.splitMix64(&splitMix)
    s3 = Self.splitMix64(&splitMix)
  }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    let result = rotated(s1 &* 5, by: 7) &* 9
    let shifted = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = rotated(s3, by: 45)
    return result
  }

  /// A whole number in `0..<bound`, each equally likely.
  ///
  /// Multiplies and keeps the high word, rejecting the few low words that would favour some
  /// results (Lemire's method), so that no division is needed on the usual path.
  mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0, "an empty range has nothing to draw")
    let limit = UInt64(bound)
    var product = next().multipliedFullWidth(by: limit)
    if product.low < limit {
      let threshold = (0 &- limit) % limit
      while product.low < threshold {
        product = next().multipliedFullWidth(by: limit)
      }
    }
    return Int(product.high)
  }

  /// A number in `0..<2⁵³`, each equally likely: the resolution at which shares are compared.
  mutating func unit() -> UInt64 {
    next() >> 11
  }

  /// True with the given probability, which is read at 2⁻⁵³ resolution.
  mutating func chance(_ probability: Double) -> Bool {
    unit() < Self.threshold(probability)
  }

  /// The draw of `unit()` below which a share of all draws falls.
  static func threshold(_ share: Double) -> UInt64 {
    guard share > 0 else { return 0 }
    guard share < 1 else { return unitCount }
    return UInt64((share * Double(unitCount)).rounded())
  }

  static let unitCount: UInt64 = 1 << 53

  private func rotated(_ value: UInt64, by count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }

  private static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// A choice among a few alternatives with fixed shares, drawn with one random number.
struct WeightedChoice: Sendable {
  /// The upper end of each alternative's slice of `0..<2⁵³`, rising; the last is `2⁵³`.
  private let bounds: [UInt64]

  /// - Parameter weights: One non-negative weight per alternative, not all zero; they need not
  ///   add up to 1.
  init(_ weights: [Double]) {
    let total = weights.reduce(0, +)
    precondition(total > 0 && weights.allSatisfy { $0 >= 0 }, "weights must be positive")
    var running = 0.0
    var bounds = weights.map { weight -> UInt64 in
      running += weight
      return SeededRandom.threshold(running / total)
    }
    // Rounding must not leave a sliver for the alternatives after the last weighted one.
    let lastWeighted = weights.lastIndex { $0 > 0 }!
    for index in lastWeighted..<bounds.count {
      bounds[index] = SeededRandom.unitCount
    }
    self.bounds = bounds
  }

  var count: Int { bounds.count }

  /// The index of the alternative drawn.
  func pick(_ random: inout SeededRandom) -> Int {
    let draw = random.unit()
    var low = 0
    var high = bounds.count - 1
    while low < high {
      let middle = (low + high) / 2
      if draw < bounds[middle] {
        high = middle
      } else {
        low = middle + 1
      }
    }
    return low
  }
}
