import Testing

@testable import ControlGapKit

/// Both forms of a slice's distinct members, the hash table and the bits, and the adaptive
/// choice between them, count exactly the members inserted, however they arrive.
@Suite("Distinct members of a slice, sparse and dense")
struct MemberSetTests {
  /// Named sequences of insertions that make a set change form in different ways.
  struct Insertions: CustomTestStringConvertible, Sendable {
    var name: String
    var members: [(user: Int, day: Int)]
    var testDescription: String { name }

    /// The distinct members, counted the plain way.
    var expectedCount: Int {
      Set(members.map { $0.user << 32 | $0.day }).count
    }
  }

  /// A deterministic stream of small pseudo-random numbers.
  static func numbers(_ count: Int, seed: UInt64, below bound: Int) -> [Int] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33) % bound
    }
  }

  static let cases: [Insertions] = [
    Insertions(name: "one member again and again", members: Array(repeating: (3, 0), count: 5)),
    Insertions(
      name: "people one after another, each twice",
      members: (0..<5_000).flatMap { [($0, 0), ($0, 0)] }),
    Insertions(
      name: "a few people, then one far beyond them",
      members: [(1, 0), (2, 0), (3, 0), (40, 0), (41, 0), (1_000_000, 0), (2, 0)]),
    Insertions(
      name: "people 4,096 apart, on two days",
      members: (0..<3_000).map { ($0 * 4_096, $0 % 2) }),
    Insertions(
      name: "people and days at random",
      members: zip(numbers(20_000, seed: 1, below: 700), numbers(20_000, seed: 2, below: 90))
        .map { ($0, $1) }),
    Insertions(
      name: "days arriving after people, so that day runs widen",
      members: (0..<300).map { ($0, 0) } + (0..<300).map { ($0 % 50, $0 % 37) }),
  ]

  @Test("each form counts the distinct members", arguments: cases)
  func counts(_ insertions: Insertions) {
    for layout in [MemberSet.Layout.adaptive, .sparse, .dense] {
      var set = MemberSet()
      for member in insertions.members {
        set.insert(user: member.user, day: member.day, layout: layout)
      }
      #expect(set.count == insertions.expectedCount, "\(layout)")
    }
  }

  @Test("the counts of the cases are what they are built to be")
  func expectedCounts() {
    #expect(Self.cases.map(\.expectedCount) == [1, 5_000, 6, 3_000, 17_203, 591])
  }

  /// Generated events of a whole quarter counted with each form of `MemberSet`.
  @Test("generated events give the same aggregate whichever form the member sets take")
  func layoutsAgree() {
    var bytes: [UInt8] = []
    EventGenerator(
      seed: 3, events: 20_000, period: Quarter(year: 2026, number: 4)!, format: .csv
    )
    .generate { bytes.append(contentsOf: $0) }

    let results = [MemberSet.Layout.adaptive, .sparse, .dense].map { layout in
      var aggregator = EventAggregator(
        pseudonymiser: BypassClassificationTests.pseudonymiser,
        quarter: Quarter(year: 2026, number: 4)!,
        assessmentDate: CalendarDate(year: 2026, month: 12, day: 31)!, memberLayout: layout)
      _ = try? aggregator.addEvents(
        fromBytes: bytes, displayPath: "events.csv", format: .csv,
        diagnostics: DiagnosticCollector())
      return aggregator.result()
    }
    #expect(results[0] == results[1])
    #expect(results[0] == results[2])
    #expect(results[0].controls.map(\.total.challenges).reduce(0, +) == 20_000)
  }
}
