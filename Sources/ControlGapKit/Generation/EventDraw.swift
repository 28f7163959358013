/// Draws one event after another from a scenario, always in the same order of draws, so that
/// one seed gives one sequence.
///
/// Events come in sittings: a person sits down at one place and device and works through a few
/// events of one pattern, minutes apart, as people do; a finance analyst views report after
/// report, and each view is prompted for. That is what makes prompts per person and day differ
/// from one control to the next.
struct EventDraw {
  let scenario: EventScenario
  private var random: SeededRandom
  private var sitting: Sitting?

  private let patternChoice: WeightedChoice
  /// The draw of an outcome for each pattern, in the order of the scenario's patterns.
  private let outcomeChoices: [WeightedChoice]
  /// The text of each pattern's risk.
  private let riskTexts: [Int]
  /// The quarter's days, as day numbers.
  private let days: [Int]
  /// For each rhythm, in `Rhythm.allCases` order, the draw of a day and of an hour.
  private let dayChoices: [WeightedChoice]
  private let hourChoices: [WeightedChoice]
  private let offsetChoice = WeightedChoice(EventGenerator.offsets.map(\.weight))

  // Shares as thresholds of `SeededRandom.unit()`, worked out once.
  private let zoned = SeededRandom.threshold(EventGenerator.zonedShare)
  private let microseconds = SeededRandom.threshold(EventGenerator.microsecondShare)
  private let milliseconds: UInt64
  private let unusualLocation: UInt64
  private let homeWorking: UInt64
  private let unmanagedDevice: UInt64
  private let otherDevice: UInt64
  private let heavyUsers: UInt64

  /// Seconds between two events of one sitting.
  static let pause = 20...600

  /// One person at one place and device, working through events of one pattern.
  private struct Sitting {
    var pattern: Int
    var person: Person
    var location: Int
    var device: Int
    var day: Int
    var second: Int
    /// Events still to come in this sitting.
    var remaining: Int
  }

  init(scenario: EventScenario, period: Quarter, seed: UInt64) {
    for pattern in scenario.patterns {
      precondition(
        pattern.outcomes.bypassed == 0 || pattern.bypass != nil, "a bypass needs a route")
      precondition(!pattern.people.isEmpty, "a pattern needs people")
      precondition(pattern.sittingLength.lowerBound >= 1, "a sitting has at least one event")
    }
    self.scenario = scenario
    random = SeededRandom(seed: seed)
    // Patterns are drawn per sitting, so a pattern with long sittings is drawn less often for
    // its share of the events.
    patternChoice = WeightedChoice(
      scenario.patterns.map { pattern in
        let length = pattern.sittingLength
        return pattern.share * 2 / Double(length.lowerBound + length.upperBound)
      })
    outcomeChoices = scenario.patterns.map(\.outcomes.choice)
    riskTexts = scenario.patterns.map { pattern in
      scenario.riskTexts[AccessEvent.Risk.allCases.firstIndex(of: pattern.risk)!]
    }
    let days = Array(period.firstDay.dayNumber...period.lastDay.dayNumber)
    self.days = days
    // Day 0, 1 January 1970, was a Thursday: day 3 of a week that starts on Monday.
    dayChoices = Rhythm.allCases.map { rhythm in
      WeightedChoice(days.map { rhythm.weekdayWeights[(($0 + 3) % 7 + 7) % 7] })
    }
    hourChoices = Rhythm.allCases.map { WeightedChoice($0.hourWeights) }

    // Shares that split one draw are stacked: the second starts where the first ends.
    milliseconds = SeededRandom.threshold(
      EventGenerator.microsecondShare + EventGenerator.millisecondShare)
    let habits = scenario.habits
    unusualLocation = SeededRandom.threshold(habits.unusualLocation)
    homeWorking = SeededRandom.threshold(habits.homeWorking)
    unmanagedDevice = SeededRandom.threshold(habits.unmanagedDevice)
    otherDevice = SeededRandom.threshold(habits.unmanagedDevice + habits.otherDevice)
    heavyUsers = SeededRandom.threshold(habits.heavyUsers)
  }

  mutating func next() -> GeneratedEvent {
    var current: Sitting
    if var previous = sitting, previous.remaining > 0 {
      previous.second += Self.pause.lowerBound + random.below(Self.pause.count)
      // A sitting never runs past midnight, so that its events keep to the day drawn for it.
      current = previous.second < 86_400 ? previous : newSitting()
    } else {
      current = newSitting()
    }
    current.remaining -= 1
    sitting = current

    let pattern = scenario.patterns[current.pattern]
    let outcome = outcomeChoices[current.pattern].pick(&random)

    // The instant is in UTC; offsets and fractions change only how it is written.
    var time = TimestampParts(day: current.day, second: current.second)
    let precision = random.unit()
    if precision < microseconds {
      time.fractionDigits = 6
      time.fraction = random.below(1_000_000)
    } else if precision < milliseconds {
      time.fractionDigits = 3
      time.fraction = random.below(1_000)
    }
    if random.unit() < zoned {
      time.offsetMinutes = EventGenerator.offsets[offsetChoice.pick(&random)].minutes
    }

    var location = current.location
    var device = current.device
    var path = GeneratedEvent.noText
    switch AccessEvent.Outcome.allCases[outcome] {
    case .bypassed:
      let route = pattern.bypass!
      path = route.path
      location = route.location ?? location
      device = route.device ?? device
    case .exception:
      path = pattern.exceptionPath ?? GeneratedEvent.noText
    case .passed, .failed, .abandoned:
      break
    }

    return GeneratedEvent(
      time: time, user: current.person.user, control: pattern.control, app: pattern.app,
      role: current.person.role, location: location, device: device, action: pattern.action,
      risk: riskTexts[current.pattern], outcome: scenario.outcomeTexts[outcome], path: path)
  }

  /// Draws who sits down, for which pattern, when, where, on what, and for how many events.
  private mutating func newSitting() -> Sitting {
    let index = patternChoice.pick(&random)
    let pattern = scenario.patterns[index]
    let everyone = pattern.people.count
    let member =
      random.unit() < heavyUsers ? random.below(max(1, everyone / 4)) : random.below(everyone)
    let person = scenario.people[pattern.people[member]]

    let rhythm = person.isMachine ? Rhythm.roundTheClock : pattern.rhythm
    let day = days[dayChoices[rhythm.rawValue].pick(&random)]
    let hour = hourChoices[rhythm.rawValue].pick(&random)
    let second = hour * 3600 + random.below(3600)

    var location = person.location
    var device = person.device
    if let setting = pattern.setting {
      (location, device) = setting
    } else if !person.isMachine {
      if random.unit() < unusualLocation {
        location = scenario.unusualLocations[random.below(scenario.unusualLocations.count)]
      } else if person.worksFromHome, random.unit() < homeWorking {
        location = scenario.homeLocation
      }
      let deviceDraw = random.unit()
      if deviceDraw < unmanagedDevice {
        device = scenario.unmanagedDevices[random.below(scenario.unmanagedDevices.count)]
      } else if deviceDraw < otherDevice {
        device = person.otherDevice
      }
    }

    let length = pattern.sittingLength
    return Sitting(
      pattern: index, person: person, location: location, device: device, day: day,
      second: second, remaining: length.lowerBound + random.below(length.count))
  }
}
