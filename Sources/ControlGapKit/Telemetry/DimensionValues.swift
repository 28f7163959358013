/// The values one event field has taken, each with a dense id, the id of its letter-case-folded
/// form, and whether the telemetry policy flags it.
///
/// Both the folding and the policy test run once per distinct value, when it first appears, so
/// that counting an event only reads two arrays.
struct DimensionValues: Sendable {
  /// Which values of the field the policy flags, tested on their ASCII-lowercased bytes.
  enum Flag: Sendable {
    /// No value is flagged.
    case never
    /// Values in the list.
    case listed(Set<[UInt8]>)
    /// Values not in the list; nothing when the list is empty.
    case unlisted(Set<[UInt8]>)
    /// Values that contain one of the markers.
    case containing([[UInt8]])
  }

  private(set) var values = ValueIndex()
  /// The id in `foldedValues` of each value's lowercased form, by value id.
  private(set) var foldedIDs: [Int32] = []
  /// Whether the policy flags each value, by value id.
  private(set) var flags: [Bool] = []
  private var foldedValues = ValueIndex(keepsText: false)
  private let flag: Flag

  init(flag: Flag = .never) {
    self.flag = flag
  }

  /// The id of `value`, given a new one when the value is new.
  @inline(__always)
  mutating func id(for value: UnsafeRawBufferPointer) -> Int {
    let id = values.id(for: value)
    if id == flags.count {
      describeNewValue(value)
    }
    return id
  }

  /// The id of `value`, as `id(for:)` gives it for its UTF-8 bytes.
  mutating func id(for value: String) -> Int {
    var value = value
    return value.withUTF8 { id(for: UnsafeRawBufferPointer($0)) }
  }

  /// The id that a value folds to, so that a value `CRM` in an exception scope finds the
  /// events of `crm`, `Crm` and `CRM`. A value that no event has shown yet still gets its id,
  /// for the events that show it later.
  mutating func foldedID(for value: String) -> Int32 {
    Int32(value.utf8.foldedForComparison.withUnsafeBytes { foldedValues.id(for: $0) })
  }

  /// The text of the value with id `id`.
  func text(of id: Int) -> String {
    values.text(of: id)
  }

  private mutating func describeNewValue(_ value: UnsafeRawBufferPointer) {
    let lowercased = value.foldedForComparison
    foldedIDs.append(Int32(lowercased.withUnsafeBytes { foldedValues.id(for: $0) }))
    let isFlagged =
      switch flag {
      case .never: false
      case .listed(let list): list.contains(lowercased)
      case .unlisted(let list): !list.isEmpty && !list.contains(lowercased)
      case .containing(let markers):
        markers.contains { marker in
          marker.isEmpty
            || lowercased.withUnsafeBytes { text in
              marker.withUnsafeBytes { text.contains(marker: $0) }
            }
        }
      }
    flags.append(isFlagged)
  }
}

extension UnsafeRawBufferPointer {
  /// Whether `marker`, which is not empty, occurs anywhere in the bytes.
  fileprivate func contains(marker: UnsafeRawBufferPointer) -> Bool {
    guard marker.count <= count else { return false }
    for start in 0...(count - marker.count)
    where self[start] == marker[0]
      && UnsafeRawBufferPointer(rebasing: self[start..<start + marker.count])
        .elementsEqual(marker)
    {
      return true
    }
    return false
  }
}
