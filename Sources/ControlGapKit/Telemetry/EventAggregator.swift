import Foundation

/// Adds access events up into the counts an assessment reads per control: outcomes, risk-driven
/// and convenience bypasses, and which bypasses registered exceptions cover.
///
/// The aggregator gives every distinct value of each field a dense id and every person and day a
/// dense index, and keeps each control's tallies in a `SliceTable`, with the distinct people of
/// each slice in a `MemberSet`. Its memory grows with the number of distinct values and with the
/// people, and person-and-day pairs, that each slice actually has; never with the number of
/// events, nor with the product of people, apps or actions and slices. People are told apart by the first 8 bytes of their keyed hash from the
/// `Pseudonymiser` (the same bytes that its pseudonym spells in hexadecimal); no user
/// identifier is kept. The result depends only on which events were added, not on their order
/// nor on whether they came through `add(_:)` or `addEvents(from:…)`.
///
/// Values are compared by their UTF-8 bytes, as SQL compares them, so two spellings of a value
/// that Unicode calls equivalent are counted apart.
///
/// ```swift
/// var aggregator = EventAggregator(
///   pseudonymiser: pseudonymiser, quarter: quarter, assessmentDate: assessmentDate,
///   policy: policy, exceptions: exceptions)
/// try aggregator.addEvents(from: url, displayPath: path, diagnostics: sink)
/// let aggregate = aggregator.result()
/// ```
public struct EventAggregator: Sendable {
  /// The value under which events without a role, location, device or path are counted.
  public static let noValue = "(none)"
  /// The value under which events without a risk rating are counted.
  public static let unrated = "unrated"

  /// The first UTC day whose events are counted.
  public let firstDay: CalendarDate
  /// The last UTC day whose events are counted.
  public let lastDay: CalendarDate
  /// How bypasses are classified as risk-driven or convenience.
  public let policy: TelemetryPolicy
  /// The registered exceptions that bypass and exception events are matched against.
  public let exceptions: [ExceptionScope]
  /// Events left out so far because they fell outside `firstDay` through `lastDay`.
  public private(set) var outsideWindow = 0

  private let pseudonymiser: Pseudonymiser
  private let firstDayNumber: Int
  private let lastDayNumber: Int
  private var dimensions: EventDimensions
  private var coverage: ExceptionCoverage
  /// The id of `noValue` in the role, location, device and path dimensions.
  private let absentRole: Int
  private let absentLocation: Int
  private let absentDevice: Int
  private let absentPath: Int
  /// One tally per control id that has had events.
  private var controls: [ControlTally] = []
  /// The form of every tally's sets of distinct people.
  private var memberLayout = MemberSet.Layout.adaptive
  /// The dense index of each person, keyed by the first 8 bytes of their keyed hash.
  private var userIndices: [UInt64: Int] = [:]
  /// The dense index of each UTC day by its distance from `firstDay`, -1 for a day without
  /// events yet; and the day number of each dense index. The first array takes 4 bytes per day
  /// of the window up to the latest day with events.
  private var dayIndices: [Int32] = []
  private var dayNumbers: [Int] = []
  /// Events of a file read, with their control ids, waiting to be counted in a batch.
  private var pending: [(control: Int, event: CountedEvent)] = []
  /// Where the batch reads land; kept only so that those reads are not optimised away.
  private var prefetched: UInt64 = 0

  /// The events counted together. Each event's person-and-day bits sit at a random place in
  /// memory; reading the places of a whole batch first lets the processor fetch them side by
  /// side instead of waiting for each in turn.
  private static let batchSize = 256

  /// Counts the events of the UTC days from `firstDay` through `lastDay`, both included. When
  /// `lastDay` is before `firstDay`, every event is outside the window.
  ///
  /// - Parameters:
  ///   - policy: How bypasses are classified.
  ///   - exceptions: The registered exceptions, in register order, which decides which one a
  ///     covered event uses when several are valid.
  public init(
    pseudonymiser: Pseudonymiser, firstDay: CalendarDate, lastDay: CalendarDate,
    policy: TelemetryPolicy = .standard, exceptions: [ExceptionScope] = []
  ) {
    self.pseudonymiser = pseudonymiser
    self.firstDay = firstDay
    self.lastDay = lastDay
    self.policy = policy
    self.exceptions = exceptions
    firstDayNumber = firstDay.dayNumber
    lastDayNumber = lastDay.dayNumber
    var dimensions = EventDimensions(policy: policy)
    absentRole = dimensions.roles.id(for: Self.noValue)
    absentLocation = dimensions.locations.id(for: Self.noValue)
    absentDevice = dimensions.devices.id(for: Self.noValue)
    absentPath = dimensions.paths.id(for: Self.noValue)
    coverage = ExceptionCoverage(exceptions, dimensions: &dimensions)
    self.dimensions = dimensions
  }

  /// Counts the events from the first day of `quarter` through `assessmentDate`, both included.
  public init(
    pseudonymiser: Pseudonymiser, quarter: Quarter, assessmentDate: CalendarDate,
    policy: TelemetryPolicy = .standard, exceptions: [ExceptionScope] = []
  ) {
    self.init(
      pseudonymiser: pseudonymiser, firstDay: quarter.firstDay, lastDay: assessmentDate,
      policy: policy, exceptions: exceptions)
  }

  /// An aggregator whose sets of distinct people all take `memberLayout`, for tests that check
  /// that both forms of `MemberSet` count alike.
  init(
    pseudonymiser: Pseudonymiser, quarter: Quarter, assessmentDate: CalendarDate,
    memberLayout: MemberSet.Layout
  ) {
    self.init(pseudonymiser: pseudonymiser, quarter: quarter, assessmentDate: assessmentDate)
    self.memberLayout = memberLayout
  }

  /// Counts one event, or counts it as outside the window when its UTC day is not in it.
  ///
  /// This is the convenient path for events already in memory; it hashes the user on every
  /// call. `addEvents(from:…)` counts an export far faster.
  public mutating func add(_ event: AccessEvent) {
    let day = event.timestamp.utcDayNumber
    guard day >= firstDayNumber, day <= lastDayNumber else {
      outsideWindow += 1
      return
    }
    count(
      day: day, user: userIndex(forKey: userKey(for: Array(event.user.utf8))),
      control: dimensions.controls.id(for: event.control),
      app: dimensions.apps.id(for: event.app),
      role: event.role.map { dimensions.roles.id(for: $0) },
      location: event.location.map { dimensions.locations.id(for: $0) },
      device: event.device.map { dimensions.devices.id(for: $0) },
      action: dimensions.actions.id(for: event.action),
      path: event.path.map { dimensions.paths.id(for: $0) }, risk: event.risk,
      outcome: event.outcome)
  }

  /// Reads an export file and counts each of its events, giving the same counts as
  /// `reader.read(file:…)` handing every event to `add(_:)`, with the same diagnostics.
  ///
  /// No `AccessEvent` is made: a second thread reads the file and looks each field up by its
  /// bytes in the reader's buffer, while this thread counts the events it has already read.
  /// Each distinct user is hashed once per file. While the file is read, its distinct values,
  /// user identifiers included, are kept to find their ids; they are dropped before this
  /// returns, and the second thread has finished by then, whether the read succeeded or threw.
  ///
  /// - Parameters:
  ///   - file: The export to read.
  ///   - displayPath: The path diagnostics name, as the user knows the file.
  ///   - format: How the file is written; `nil` decides by its extension.
  ///   - reader: How to read the export: its columns, bad-row limit and buffer sizes.
  ///   - diagnostics: Receives every problem found.
  /// - Returns: How many events were read, including those outside the window, and how many
  ///   rows were bad.
  /// - Throws: `ControlGapFailure` as `AccessEventReader.read(file:…)` throws it.
  @discardableResult
  public mutating func addEvents(
    from file: URL, displayPath: String, format: AccessEventReader.Format? = nil,
    reader: AccessEventReader = AccessEventReader(), diagnostics: DiagnosticSink
  ) throws -> AccessEventReader.ReadSummary {
    try addEvents { body in
      try reader.readRaw(
        file: file, displayPath: displayPath, format: format, diagnostics: diagnostics, body)
    }
  }

  /// Counts every event of an export held in memory, as `addEvents(from:…)` counts a file.
  @discardableResult
  public mutating func addEvents(
    fromBytes bytes: [UInt8], displayPath: String, format: AccessEventReader.Format,
    reader: AccessEventReader = AccessEventReader(), diagnostics: DiagnosticSink
  ) throws -> AccessEventReader.ReadSummary {
    try addEvents { body in
      try reader.readRaw(
        bytes: bytes, displayPath: displayPath, format: format, diagnostics: diagnostics, body)
    }
  }

  /// Counts the events that `read` lends, reading on a second thread while this one counts,
  /// so that parsing and counting overlap.
  ///
  /// The reading thread stops at the first error, after handing over the events before it;
  /// this returns or throws only once that thread has finished.
  private mutating func addEvents(
    read:
      @escaping @Sendable ((RawAccessEvent) throws -> Void) throws ->
      AccessEventReader.ReadSummary
  ) throws -> AccessEventReader.ReadSummary {
    let channel = EventBatchChannel()
    EventBatchReader.start(
      firstDayNumber: firstDayNumber, lastDayNumber: lastDayNumber, channel: channel,
      read: read)
    // Whatever happens here, the reading thread is stopped and waited for.
    defer {
      channel.stop()
      _ = channel.join()
    }

    var ids = IDsOfOneRead()
    while let batch = channel.takeFull() {
      count(batch, ids: &ids)
      channel.recycle(batch)
    }
    countPending()
    return try channel.join().get()
  }

  /// The counts of every event added so far, sorted as `TelemetryAggregate` describes.
  public func result() -> TelemetryAggregate {
    let dates = dayNumbers.map { CalendarDate(dayNumber: $0) }
    let telemetry = controls.indices.filter { controls[$0].hasEvents }
      .map { (name: dimensions.controls.text(of: $0), id: $0) }
      .sorted { $0.name.precedesInUTF8($1.name) }
      .map { controls[$0.id].telemetry(for: $0.name, dates: dates, dimensions: dimensions) }
    return TelemetryAggregate(
      firstDay: firstDay, lastDay: lastDay, controls: telemetry, outsideWindow: outsideWindow,
      exceptionUsage: coverage.usage)
  }

  /// The aggregator's ids of the values that a read gave local ids, by local id; see
  /// `EventBatchReader`. Each distinct user is hashed once per read.
  private struct IDsOfOneRead {
    var users: [Int] = []
    var controls: [Int] = []
    var apps: [Int] = []
    var roles: [Int] = []
    var locations: [Int] = []
    var devices: [Int] = []
    var actions: [Int] = []
    var paths: [Int] = []
  }

  /// Counts a batch from the reading thread, learning its new values first.
  private mutating func count(_ batch: EventBatch, ids: inout IDsOfOneRead) {
    outsideWindow += batch.outsideWindow
    batch.forEachNewValue { field, bytes in
      switch field {
      case .user: ids.users.append(userIndex(forKey: userKey(for: Array(bytes))))
      case .control: ids.controls.append(dimensions.controls.id(for: bytes))
      case .app: ids.apps.append(dimensions.apps.id(for: bytes))
      case .role: ids.roles.append(dimensions.roles.id(for: bytes))
      case .location: ids.locations.append(dimensions.locations.id(for: bytes))
      case .device: ids.devices.append(dimensions.devices.id(for: bytes))
      case .action: ids.actions.append(dimensions.actions.id(for: bytes))
      case .path: ids.paths.append(dimensions.paths.id(for: bytes))
      }
    }
    for event in batch.events {
      let risk: AccessEvent.Risk? =
        switch event.risk {
        case 0: .low
        case 1: .medium
        case 2: .high
        default: nil
        }
      count(
        day: firstDayNumber + Int(event.day), user: ids.users[Int(event.user)],
        control: ids.controls[Int(event.control)], app: ids.apps[Int(event.app)],
        role: event.role < 0 ? nil : ids.roles[Int(event.role)],
        location: event.location < 0 ? nil : ids.locations[Int(event.location)],
        device: event.device < 0 ? nil : ids.devices[Int(event.device)],
        action: ids.actions[Int(event.action)],
        path: event.path < 0 ? nil : ids.paths[Int(event.path)], risk: risk,
        outcome: event.outcome, isBatched: true)
    }
  }

  /// Counts the events waiting in `pending`.
  private mutating func countPending() {
    for (control, event) in pending where control < controls.count {
      prefetched ^= controls[control].prefetch(event)
    }
    for (control, event) in pending {
      controls[control].add(event)
    }
    pending.removeAll(keepingCapacity: true)
  }

  /// Counts one event of the window whose fields have their ids; `nil` marks a field that the
  /// event leaves out. A batched event waits in `pending` until `countPending()`; whether it
  /// waits changes nothing in the counts, which never depend on the order of events.
  private mutating func count(
    day: Int, user: Int, control: Int, app: Int, role: Int?, location: Int?, device: Int?,
    action: Int, path: Int?, risk: AccessEvent.Risk?, outcome: AccessEvent.Outcome,
    isBatched: Bool = false
  ) {
    // Bits in `TelemetryPolicy.RiskReason.allCases` order.
    var reasons: UInt8 = 0
    if outcome == .bypassed {
      if risk == .high {
        reasons |= 1
      }
      if let device, dimensions.devices.flags[device] {
        reasons |= 2
      }
      if let location, dimensions.locations.flags[location] {
        reasons |= 4
      }
      if let path, dimensions.paths.flags[path] {
        reasons |= 8
      }
    }
    let appAction = dimensions.appActionID(app: app, action: action)
    let pathID = path ?? absentPath
    // Only bypasses are counted by app, action and path together, so that the tally grows
    // with the paths that bypasses take, not with every event's.
    let appActionPath =
      outcome == .bypassed ? dimensions.appActionPathID(appAction: appAction, path: pathID) : -1
    let event = CountedEvent(
      user: user, day: dayIndex(for: day), dayNumber: Int32(day), app: app,
      role: role ?? absentRole, location: location ?? absentLocation,
      device: device ?? absentDevice, action: action, appAction: appAction,
      appActionPath: appActionPath, path: pathID, risk: risk.map(Self.riskPosition) ?? 3,
      outcome: outcome, reasons: reasons)

    if control >= controls.count {
      controls.append(
        contentsOf: repeatElement(
          ControlTally(layout: memberLayout), count: control - controls.count + 1))
    }
    if isBatched {
      pending.append((control, event))
      if pending.count == Self.batchSize {
        countPending()
      }
    } else {
      controls[control].add(event)
    }

    guard outcome == .bypassed || outcome == .exception else { return }
    let cover = coverage.cover(event, control: control, dayNumber: day, dimensions: dimensions)
    if outcome == .bypassed, cover != .covered {
      controls[control].uncoveredBypasses += 1
    } else if outcome == .exception, cover == .unregistered {
      // An exception event after its exception expired is counted as a use after expiry, not
      // as an exception nobody registered.
      controls[control].unregisteredExceptionUses += 1
    }
  }

  /// The position of a risk rating in `ControlTally.riskValues`.
  private static func riskPosition(_ risk: AccessEvent.Risk) -> Int {
    switch risk {
    case .low: 0
    case .medium: 1
    case .high: 2
    }
  }

  /// The dense index of the person whose hash starts with `key`.
  private mutating func userIndex(forKey key: UInt64) -> Int {
    if let index = userIndices[key] {
      return index
    }
    let index = userIndices.count
    userIndices[key] = index
    return index
  }

  /// The dense index of the UTC day numbered `day`, which is in the window.
  @inline(__always)
  private mutating func dayIndex(for day: Int) -> Int {
    let offset = day - firstDayNumber
    if offset < dayIndices.count, dayIndices[offset] >= 0 {
      return Int(dayIndices[offset])
    }
    if offset >= dayIndices.count {
      dayIndices.append(contentsOf: repeatElement(-1, count: offset - dayIndices.count + 1))
    }
    dayIndices[offset] = Int32(dayNumbers.count)
    dayNumbers.append(day)
    return dayNumbers.count - 1
  }

  /// The first 8 bytes of the identifier's keyed hash, read big-endian.
  private func userKey(for identifier: [UInt8]) -> UInt64 {
    pseudonymiser.mac(identifier).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
  }
}
