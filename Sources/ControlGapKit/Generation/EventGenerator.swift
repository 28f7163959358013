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
  /// The shares of timestamps written with milliseconds and with microseconds.
  static let millisecondShare = 0.12
  static let microsecondShare = 0.03

  /// Generates the log and hands it on in pieces, each ending at the end of a line and each at
  /// most `bufferSize` bytes, or one record's worst case when that is more.
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
    if output.count > 0 {
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
