import Foundation

/// One event of the window as the reading thread hands it over: each text field an id local to
/// the read (see `EventBatchReader`), so that the counting thread never sees the reader's
/// buffer.
struct EncodedEvent {
  /// The event's UTC day, as days after the window's first day.
  var day: Int32
  var user: Int32
  var control: Int32
  var app: Int32
  /// -1 for a field that the event leaves out.
  var role: Int32
  var location: Int32
  var device: Int32
  var action: Int32
  var path: Int32
  /// The position of the risk rating in `ControlTally.riskValues`, 3 when unrated.
  var risk: UInt8
  var outcome: AccessEvent.Outcome
}

/// The fields whose values get local ids during a read.
enum EncodedField: Int, CaseIterable {
  case user, control, app, role, location, device, action, path
}

/// A run of events on its way from the reading thread to the counting one, with the values
/// that got a local id in it, so that the counting thread learns each value once.
///
/// Batches go back and forth through an `EventBatchChannel` and keep their capacity, so that a
/// read of any length allocates a few batches and nothing per event.
struct EventBatch: Sendable {
  /// The events at most one batch holds.
  static let capacity = 2048

  /// A value first met in this batch: its field, and its bytes in `newValueBytes`. Values of
  /// one field come in the order of their local ids.
  struct NewValue: Sendable {
    var field: EncodedField
    var end: Int
  }

  var events: [EncodedEvent] = []
  var newValues: [NewValue] = []
  var newValueBytes: [UInt8] = []
  /// Events of this part of the read left out because their day is outside the window.
  var outsideWindow = 0

  init() {
    events.reserveCapacity(Self.capacity)
  }

  var isFull: Bool { events.count == Self.capacity }

  /// Empties the batch for reuse, keeping its memory.
  mutating func removeAll() {
    events.removeAll(keepingCapacity: true)
    newValues.removeAll(keepingCapacity: true)
    newValueBytes.removeAll(keepingCapacity: true)
    outsideWindow = 0
  }

  /// Calls `body` with each new value's field and bytes, in order.
  func forEachNewValue(_ body: (EncodedField, UnsafeRawBufferPointer) -> Void) {
    newValueBytes.withUnsafeBytes { bytes in
      var start = 0
      for value in newValues {
        body(value.field, UnsafeRawBufferPointer(rebasing: bytes[start..<value.end]))
        start = value.end
      }
    }
  }
}

/// The handover of `EventBatch`es between the thread that reads a file and the thread that
/// counts its events: a fixed set of batches that travel full one way and empty the other.
///
/// Each batch belongs to one side at a time, and changes hands only under the lock, so neither
/// side ever touches a batch the other holds. The reading side ends with `finish(_:)` whether
/// it succeeded or threw; the counting side can `stop()` it early, and `join()` waits until the
/// reading side has finished, so that no thread outlives the read that started it.
final class EventBatchChannel: @unchecked Sendable {
  private let condition = NSCondition()
  private var empty: [EventBatch]
  private var full: [EventBatch] = []
  private var outcome: Result<AccessEventReader.ReadSummary, any Error>?
  private var isStopped = false

  /// - Parameter batches: How many batches travel; two let each side work on one.
  init(batches: Int = 4) {
    empty = (0..<max(2, batches)).map { _ in EventBatch() }
  }

  /// An empty batch for the reading side, waiting for the counting side to return one; `nil`
  /// once the counting side has stopped the read.
  func takeEmpty() -> EventBatch? {
    condition.lock()
    defer { condition.unlock() }
    while empty.isEmpty, !isStopped {
      condition.wait()
    }
    return isStopped ? nil : empty.removeLast()
  }

  /// Hands a batch of events to the counting side.
  func send(_ batch: EventBatch) {
    condition.lock()
    full.append(batch)
    condition.broadcast()
    condition.unlock()
  }

  /// Ends the reading side with its summary or error; the reading side touches nothing after.
  func finish(_ result: Result<AccessEventReader.ReadSummary, any Error>) {
    condition.lock()
    outcome = result
    condition.broadcast()
    condition.unlock()
  }

  /// The next full batch, in the order sent, or `nil` once the reading side has finished and
  /// every batch it sent has been taken.
  func takeFull() -> EventBatch? {
    condition.lock()
    defer { condition.unlock() }
    while full.isEmpty, outcome == nil {
      condition.wait()
    }
    return full.isEmpty ? nil : full.removeFirst()
  }

  /// Gives a counted batch back to the reading side, emptied.
  func recycle(_ batch: consuming EventBatch) {
    batch.removeAll()
    condition.lock()
    empty.append(batch)
    condition.broadcast()
    condition.unlock()
  }

  /// Tells the reading side to stop at its next batch.
  func stop() {
    condition.lock()
    isStopped = true
    condition.broadcast()
    condition.unlock()
  }

  /// Waits until the reading side has finished, and gives its summary or error.
  func join() -> Result<AccessEventReader.ReadSummary, any Error> {
    condition.lock()
    defer { condition.unlock() }
    while outcome == nil {
      condition.wait()
    }
    return outcome!
  }
}
