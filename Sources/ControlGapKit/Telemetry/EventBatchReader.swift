import Foundation

/// The reading half of `EventAggregator.addEvents(from:…)`: reads an export on its own thread
/// and turns each event of the window into an `EncodedEvent` in a batch for the counting
/// thread.
///
/// Values get ids local to the read, in order of first appearance per field, from indices that
/// only this thread touches; a value's bytes travel once, in the batch where it first appears.
/// Diagnostics are reported from this thread, in file order, as `AccessEventReader` reports
/// them.
struct EventBatchReader {
  let firstDayNumber: Int
  let lastDayNumber: Int
  private var users = ValueIndex(keepsText: false)
  private var controls = ValueIndex(keepsText: false)
  private var apps = ValueIndex(keepsText: false)
  private var roles = ValueIndex(keepsText: false)
  private var locations = ValueIndex(keepsText: false)
  private var devices = ValueIndex(keepsText: false)
  private var actions = ValueIndex(keepsText: false)
  private var paths = ValueIndex(keepsText: false)
  private var batch = EventBatch()

  init(firstDayNumber: Int, lastDayNumber: Int) {
    self.firstDayNumber = firstDayNumber
    self.lastDayNumber = lastDayNumber
  }

  /// Thrown through the reader when the counting side has stopped the read.
  private struct Stopped: Error {}

  /// Starts a thread that reads with `read` and sends the batches to `channel`, then finishes
  /// the channel with the read's summary or error.
  ///
  /// - Parameter read: Reads the export, lending each event to the closure it is given.
  static func start(
    firstDayNumber: Int, lastDayNumber: Int, channel: EventBatchChannel,
    read:
      @escaping @Sendable ((RawAccessEvent) throws -> Void) throws ->
      AccessEventReader.ReadSummary
  ) {
    let thread = Thread {
      var reader = EventBatchReader(firstDayNumber: firstDayNumber, lastDayNumber: lastDayNumber)
      let result = Result { try reader.run(channel: channel, read: read) }
      if case .failure(let error) = result, error is Stopped {
        channel.finish(.success(AccessEventReader.ReadSummary()))
      } else {
        channel.finish(result)
      }
    }
    thread.name = "controlgap event reader"
    thread.start()
  }

  private mutating func run(
    channel: EventBatchChannel,
    read: ((RawAccessEvent) throws -> Void) throws -> AccessEventReader.ReadSummary
  ) throws -> AccessEventReader.ReadSummary {
    guard let first = channel.takeEmpty() else { throw Stopped() }
    batch = first
    // The events read before an error still reach the counting side, as they would have been
    // counted one by one.
    defer {
      if !batch.events.isEmpty || !batch.newValues.isEmpty || batch.outsideWindow > 0 {
        channel.send(batch)
        batch = EventBatch()
      }
    }
    return try read { event in
      try add(event)
      if batch.isFull {
        channel.send(batch)
        guard let next = channel.takeEmpty() else { throw Stopped() }
        batch = next
      }
    }
  }

  @inline(__always)
  private mutating func add(_ event: RawAccessEvent) throws {
    let day = event.timestamp.utcDayNumber
    guard day >= firstDayNumber, day <= lastDayNumber else {
      batch.outsideWindow += 1
      return
    }
    let user = Self.id(event.user, .user, in: &users, batch: &batch)
    let control = Self.id(event.control, .control, in: &controls, batch: &batch)
    let app = Self.id(event.app, .app, in: &apps, batch: &batch)
    let role = event.role.map { Self.id($0, .role, in: &roles, batch: &batch) } ?? -1
    let location =
      event.location.map { Self.id($0, .location, in: &locations, batch: &batch) } ?? -1
    let device = event.device.map { Self.id($0, .device, in: &devices, batch: &batch) } ?? -1
    let action = Self.id(event.action, .action, in: &actions, batch: &batch)
    let path = event.path.map { Self.id($0, .path, in: &paths, batch: &batch) } ?? -1
    let risk: UInt8 =
      switch event.risk {
      case .low: 0
      case .medium: 1
      case .high: 2
      case nil: 3
      }
    batch.events.append(
      EncodedEvent(
        day: Int32(day - firstDayNumber), user: user, control: control, app: app, role: role,
        location: location, device: device, action: action, path: path, risk: risk,
        outcome: event.outcome))
  }

  /// The local id of `value`; a new value is also put in the batch for the counting side.
  @inline(__always)
  private static func id(
    _ value: UnsafeRawBufferPointer, _ field: EncodedField, in index: inout ValueIndex,
    batch: inout EventBatch
  ) -> Int32 {
    let known = index.count
    let id = index.id(for: value)
    if id == known {
      batch.newValueBytes.append(contentsOf: value)
      batch.newValues.append(EventBatch.NewValue(field: field, end: batch.newValueBytes.count))
    }
    return Int32(id)
  }
}
