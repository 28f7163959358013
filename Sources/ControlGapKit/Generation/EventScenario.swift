/// A made-up organisation whose access events `EventGenerator` writes: its people and the ways
/// they meet each control.
///
/// A scenario is fixed data. The seed only decides which person does what and when, so the
/// same people, with the same ids, roles and devices, appear in every log of one scenario.
public struct EventScenario: Sendable {
  /// A short name, such as `harbourline`.
  public let name: String
  /// Every text an event can hold; events refer to them by position.
  let texts: [String]
  let people: [Person]
  let patterns: [EventPattern]
  /// The text of each outcome, in `AccessEvent.Outcome.allCases` order.
  let outcomeTexts: [Int]
  /// The text of each risk, in `AccessEvent.Risk.allCases` order.
  let riskTexts: [Int]
  /// Where people sometimes work instead of their usual place.
  let homeLocation: Int
  /// Places that are not where anyone in the organisation works.
  let unusualLocations: [Int]
  /// Devices the organisation does not manage, used now and then instead of the usual one.
  let unmanagedDevices: [Int]
  let habits: Habits

  /// How often people stray from their usual place and device, and how unevenly the work is
  /// spread over them. Each share counts sittings: a person keeps to one place and device for
  /// all the events of one.
  struct Habits: Sendable {
    /// The share of a home worker's sittings at `homeLocation`.
    var homeWorking: Double
    /// The share of sittings at one of the `unusualLocations`.
    var unusualLocation: Double
    /// The share of sittings on the person's other device.
    var otherDevice: Double
    /// The share of sittings on one of the `unmanagedDevices`.
    var unmanagedDevice: Double
    /// The share of a pattern's sittings by its first quarter of people, on top of their even
    /// share; real logs have a few heavy users.
    var heavyUsers: Double
  }
}

/// One identity that meets controls: a person, or a workload with an account of its own.
struct Person: Sendable {
  var user: Int
  var role: Int
  /// Where the person usually works.
  var location: Int
  var device: Int
  /// The second device the person uses now and then, such as a phone next to a laptop.
  var otherDevice: Int
  /// Whether the person sometimes works from home.
  var worksFromHome: Bool
  /// A workload works around the clock, always from its place, always on its device.
  var isMachine: Bool
}

/// One way people meet a control: who, in which app, doing what, and how it tends to end.
struct EventPattern: Sendable {
  var control: Int
  var app: Int
  var action: Int
  var risk: AccessEvent.Risk
  /// The share of all events that follow this pattern, relative to the other patterns.
  var share: Double
  /// How many events one person works through, a few minutes apart, once sat down.
  var sittingLength: ClosedRange<Int>
  /// Positions in the scenario's people of those who do this.
  var people: [Int]
  var outcomes: OutcomeShares
  var rhythm: Rhythm
  /// The place and device the work is always done from, such as a kiosk at the depot;
  /// `nil` uses each person's own.
  var setting: (location: Int, device: Int)?
  /// How bypasses go around the control; `nil` when the pattern has none.
  var bypass: BypassRoute?
  /// The path written for outcomes under an approved exception; `nil` writes none.
  var exceptionPath: Int?
}

/// How the events of one pattern end, as shares that add up to 1.
struct OutcomeShares: Sendable {
  var passed: Double
  var failed: Double
  var abandoned: Double
  var bypassed: Double
  var exception: Double

  /// The draw of an outcome, in `AccessEvent.Outcome.allCases` order.
  var choice: WeightedChoice {
    WeightedChoice([passed, failed, abandoned, bypassed, exception])
  }
}

/// The way round a control that a pattern's bypasses take.
struct BypassRoute: Sendable {
  /// What the export writes as the path.
  var path: Int
  /// The place bypasses happen from, when it is not the person's usual one.
  var location: Int?
  /// The device bypasses happen on, when it is not the person's usual one.
  var device: Int?
}

/// When in the week and the day a pattern's events happen, in UTC.
enum Rhythm: Int, Sendable, CaseIterable {
  /// Weekdays in working hours, a little in the evening and at weekends.
  case office
  /// Depot shifts from early morning to late evening, every day, quieter at weekends.
  case depotShifts
  /// Workloads: every hour of every day alike.
  case roundTheClock

  /// Relative weights of Monday through Sunday.
  var weekdayWeights: [Double] {
    switch self {
    case .office: [10, 10, 10, 10, 9, 1, 0.5]
    case .depotShifts: [10, 10, 10, 10, 10, 7, 4]
    case .roundTheClock: [1, 1, 1, 1, 1, 1, 1]
    }
  }

  /// Relative weights of the hours 00 through 23, UTC.
  var hourWeights: [Double] {
    switch self {
    case .office:
      [
        0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 6, 10, 12, 12, 10,
        8, 11, 12, 11, 8, 4, 2, 1.5, 1, 0.6, 0.3, 0.2,
      ]
    case .depotShifts:
      [
        0.5, 0.3, 0.3, 0.5, 4, 12, 10, 8, 7, 7, 7, 8,
        12, 13, 9, 7, 7, 7, 6, 5, 8, 6, 2, 1,
      ]
    case .roundTheClock: Array(repeating: 1, count: 24)
    }
  }
}

/// Collects the texts of a scenario once each, handing out their positions.
struct ScenarioTexts {
  private(set) var texts: [String] = []
  private var positions: [String: Int] = [:]

  /// The position of `text`, added at the end when it is new.
  mutating func add(_ text: String) -> Int {
    if let position = positions[text] { return position }
    texts.append(text)
    positions[text] = texts.count - 1
    return texts.count - 1
  }
}
