/// Which column of an export holds each event field.
///
/// By default a field is read from the column of the same name (`timestamp`, `user`…).
/// Exports that name their columns otherwise map them, for example `user` ← `actor.alternateId`
/// and `timestamp` ← `published`. For JSON Lines the column names are the top-level keys.
/// Names match without regard to letter case, so `Timestamp` and `USER` find their fields.
public struct EventColumnMap: Sendable, Equatable {
  /// The column name of each field, in `AccessEvent.Field.allCases` order.
  private var names: [String]

  /// - Parameter columns: The fields whose column is not named after the field.
  public init(_ columns: [AccessEvent.Field: String] = [:]) {
    names = AccessEvent.Field.allCases.map { columns[$0] ?? $0.rawValue }
  }

  /// Every field read from the column of the same name.
  public static let standard = EventColumnMap()

  /// The column that holds `field`.
  public subscript(field: AccessEvent.Field) -> String {
    get { names[field.index] }
    set { names[field.index] = newValue }
  }

  /// The fields read from a column, in field order; empty when no field uses it.
  public func fields(forColumn name: String) -> [AccessEvent.Field] {
    let folded = name.lowercased()
    return AccessEvent.Field.allCases.filter { names[$0.index].lowercased() == folded }
  }

  /// Field lookups by raw key bytes, for readers that meet column names on every line.
  var keyMatcher: KeyMatcher {
    KeyMatcher(names: names.map { Array($0.lowercased().utf8) })
  }

  struct KeyMatcher {
    /// Lowercased UTF-8 column names, in field order.
    let names: [[UInt8]]

    /// The fields read from the column named `key`, as a bit set by `AccessEvent.Field.index`.
    func fields(forKey key: UnsafeRawBufferPointer) -> UInt16 {
      var found: UInt16 = 0
      guard key.allSatisfy({ $0 < 0x80 }) else {
        let folded = Array(String(decoding: key, as: UTF8.self).lowercased().utf8)
        for (index, name) in names.enumerated() where name == folded {
          found |= 1 << index
        }
        return found
      }
      for (index, name) in names.enumerated() where name.count == key.count {
        let matches = name.withUnsafeBufferPointer { name in
          for offset in 0..<key.count {
            var byte = key[offset]
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
              byte |= 0x20
            }
            if byte != name[offset] { return false }
          }
          return true
        }
        if matches {
          found |= 1 << index
        }
      }
      return found
    }
  }
}
