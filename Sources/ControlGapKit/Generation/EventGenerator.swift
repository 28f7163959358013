#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes made-up access-event logs that look like identity-provider exports, for trying the
/// telemetry stage on data of any size without real people in it.
///
/// The log is the same, byte for byte, for the same seed, count, period, format and scenario,
/// on any machine: the numbers come from `SeededRandom`, never from the system, nothing reads
/// the clock, and every number is written digit by digit, never through locale-aware
/// formatting. Events come out in the order they are drawn, not sorted by time, as many
/// exports are.
///
/// Memory stays flat whatever the count: events are written into one buffer that is handed on
/// whenever it fills.
///
/// ```swift
/// let generator = EventGenerator(
///   seed: 1, events: 3_000, period: Quarter(year: 2026, number: 4)!, format: .csv)
/// try generator.write(toFileDescriptor: STDOUT_FILENO)
/// ```
public struct EventGenerator: Sendable {
  public var seed: UInt64
  /// How many events to write.
  public var events: Int
  /// Every event's UTC day falls inside this quarter.
  public var period: Quarter
  public var format: AccessEventReader.Format
  public var scenario: EventScenario
  /// The bytes gathered before they are handed on.
  public var bufferSize: Int

  public init(
    seed: UInt64, events: Int, period: Quarter, format: AccessEventReader.Format,
    scenario: EventScenario = .harbourline, bufferSize: Int = 1 << 20
  ) {
    self.seed = seed
    self.events = events
    self.period = period
    self.format = format
    self.scenario = scenario
    self.bufferSize = bufferSize
  }

  // MARK: How exports write times

  /// The share of timestamps written with a UTC offset instead of `Z`, as collectors in other
  /// zones write them; each offset is listed with its weight.
  static let zonedShare = 0.1
  static let offsets: [(minutes: Int, weight: Double)] = [(60, 0.7), (-300, 0.3)]
  /// The share of timestamps with milliseconds, and of those with microseconds.
  static let millisecondShare = 0.12
  static let microsecondShare = 0.03

  /// Generates the log and hands it on in pieces, each at most `bufferSize` bytes and each
  /// ending at the end of a line.
  ///
  /// - Parameters:
  ///   - progress: Called after each piece with the number of events written so far.
  ///   - write: Receives the bytes. An error it throws ends the generation.
  /// - Throws: What `write` throws.
  public func generate<Failure: Error>(
    progress: (Int) -> Void = { _ in },
    _ write: (UnsafeRawBufferPointer) throws(Failure) -> Void
  ) throws(Failure) {
    precondition(events >= 0, "the number of events cannot be negative")
    let encoder = RecordEncoder(texts: scenario.texts, format: format)
    let capacity = max(bufferSize, encoder.longestRecord)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var output = OutputBuffer(base: buffer, capacity: capacity)

    func flush(eventsWritten: Int) throws(Failure) {
      try write(UnsafeRawBufferPointer(start: buffer, count: output.count))
      output.count = 0
      progress(eventsWritten)
    }

    encoder.appendHeader(to: &output)
    var draw = EventDraw(scenario: scenario, period: period, seed: seed)
    for written in 0..<events {
      if capacity - output.count < encoder.longestRecord {
        try flush(eventsWritten: written)
      }
      encoder.append(draw.next(), to: &output)
    }
    if output.count > 0 || events == 0 {
      try flush(eventsWritten: events)
    }
  }

  /// Generates the log into an open file, such as standard output.
  ///
  /// - Throws: `OutputWriteError` when a write fails; what was written before stays written.
  public func write(
    toFileDescriptor descriptor: Int32, progress: (Int) -> Void = { _ in }
  ) throws(OutputWriteError) {
    try generate(progress: progress) { (bytes: UnsafeRawBufferPointer) throws(OutputWriteError) in
      var offset = 0
      while offset < bytes.count {
        let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          guard errno == EINTR else { throw OutputWriteError(code: errno) }
          continue
        }
        offset += written
      }
    }
  }
}

/// `write(2)`, named apart from the generator's own `write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
  #else
    Darwin.write(descriptor, bytes, count)
  #endif
}

/// A failed write to an output file.
public struct OutputWriteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The `errno` value.
  public var code: Int32

  public init(code: Int32) {
    self.code = code
  }

  /// The system's text for the error, such as `No space left on device`.
  public var description: String {
    String(cString: strerror(code))
  }
}

/// Draws one event after another from a scenario: pattern, person, outcome, instant, place and
/// device, always in that order, so that one seed gives one sequence.
struct EventDraw {
  let scenario: EventScenario
  var random: SeededRandom
  let patternChoice: WeightedChoice
  /// The draw of an outcome for each pattern, in the order of the scenario's patterns.
  let outcomeChoices: [WeightedChoice]
  /// The text of each pattern's risk.
  let riskTexts: [Int]
  /// The quarter's days, as day numbers.
  let days: [Int]
  /// For each rhythm, in `Rhythm.allCases` order, the draw of a day and of an hour.
  let dayChoices: [WeightedChoice]
  let hourChoices: [WeightedChoice]
  let offsetChoice = WeightedChoice(EventGenerator.offsets.map(\.weight))
  let zoned = SeededRandom.threshold(EventGenerator.zonedShare)
  let microseconds = SeededRandom.threshold(EventGenerator.microsecondShare)
  let milliseconds: UInt64
  let unusualLocation: UInt64
  let homeWorking: UInt64
  let unmanagedDevice: UInt64
  let otherDevice: UInt64
  let heavyUsers: UInt64

  init(scenario: EventScenario, period: Quarter, seed: UInt64) {
    for pattern in scenario.patterns {
      precondition(
        pattern.outcomes.bypassed == 0 || pattern.bypass != nil, "a bypass needs a route")
      precondition(!pattern.people.isEmpty, "a pattern needs people")
    }
    self.scenario = scenario
    random = SeededRandom(seed: seed)
    patternChoice = WeightedChoice(scenario.patterns.map(\.share))
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
    let patternIndex = patternChoice.pick(&random)
    let pattern = scenario.patterns[patternIndex]
    let everyone = pattern.people.count
    let member =
      random.unit() < heavyUsers ? random.below(max(1, everyone / 4)) : random.below(everyone)
    let person = scenario.people[pattern.people[member]]
    let outcome = outcomeChoices[patternIndex].pick(&random)

    // The instant, in UTC, on one of the quarter's days; offsets change only how it is written.
    let rhythm = person.isMachine ? Rhythm.roundTheClock : pattern.rhythm
    let day = days[dayChoices[rhythm.rawValue].pick(&random)]
    let hour = hourChoices[rhythm.rawValue].pick(&random)
    var time = TimestampParts(day: day, second: hour * 3600 + random.below(3600))
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
      time: time, user: person.user, control: pattern.control, app: pattern.app,
      role: person.role, location: location, device: device, action: pattern.action,
      risk: riskTexts[patternIndex], outcome: scenario.outcomeTexts[outcome],
      path: path)
  }
}
