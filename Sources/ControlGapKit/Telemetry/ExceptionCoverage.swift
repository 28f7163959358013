/// Matches bypass and exception events against the registered exceptions, and counts how the
/// events used each one.
///
/// An event is covered when an exception in its scope is valid on its UTC day; the first such
/// exception in register order takes the use. An event that no valid exception covers counts
/// against the exception in its scope that expired last before its day, if any, as a use after
/// expiry. Which exceptions an event's values fall into is worked out once per distinct
/// combination of control, app, role, location, device and action, not once per event.
struct ExceptionCoverage: Sendable {
  /// An exception with its scope in the aggregator's ids.
  private struct Scope: Sendable {
    var control: Int
    /// The folded ids that the scope requires of app, role, location, device and action, in
    /// that order; -1 where the scope takes any value.
    var values: [Int32]
    /// The first and last day numbers of validity; open bounds are the extreme integers.
    var firstDay: Int
    var lastDay: Int
  }

  /// The values that decide which scopes an event falls into: the control's id and the
  /// folded ids of app, role, location, device and action.
  private struct ScopeKey: Hashable, Sendable {
    var control: Int
    var app: Int32
    var role: Int32
    var location: Int32
    var device: Int32
    var action: Int32

    var values: [Int32] { [app, role, location, device, action] }
  }

  private let ids: [String]
  private let scopes: [Scope]
  private var uses: [Int]
  private var usesAfterExpiry: [Int]
  private var lastUseDay: [Int?]
  /// The exceptions each combination of values falls into, in register order.
  private var matches: [ScopeKey: [Int]] = [:]

  /// Whether there is nothing to match against.
  var isEmpty: Bool { scopes.isEmpty }

  /// Gives the exceptions' controls and scope values ids in `dimensions`, so that events seen
  /// later find them.
  init(_ exceptions: [ExceptionScope], dimensions: inout EventDimensions) {
    ids = exceptions.map(\.id)
    scopes = exceptions.map { exception in
      func folded(_ value: String?, _ field: inout DimensionValues) -> Int32 {
        value.map { field.foldedID(for: $0) } ?? -1
      }
      let values = [
        folded(exception.app, &dimensions.apps), folded(exception.role, &dimensions.roles),
        folded(exception.location, &dimensions.locations),
        folded(exception.device, &dimensions.devices),
        folded(exception.action, &dimensions.actions),
      ]
      return Scope(
        control: dimensions.controls.id(for: exception.control), values: values,
        firstDay: exception.granted?.dayNumber ?? .min,
        lastDay: exception.expires?.dayNumber ?? .max)
    }
    uses = Array(repeating: 0, count: exceptions.count)
    usesAfterExpiry = uses
    lastUseDay = Array(repeating: nil, count: exceptions.count)
  }

  /// How the register answers for one bypass or exception event.
  enum Cover {
    /// An exception in scope is valid on the event's day.
    case covered
    /// Exceptions in scope exist, but all had expired by the event's day.
    case expired
    /// No exception in the register has the event in scope.
    case unregistered
  }

  /// Matches one bypass or exception event of the control with id `control` and counts its
  /// use.
  ///
  /// - Parameter dayNumber: The event's UTC day, in days since 1970-01-01.
  /// - Returns: Whether an exception valid on the event's day covers it, or one that expired
  ///   would have, or none is registered for it.
  mutating func cover(
    _ event: CountedEvent, control: Int, dayNumber: Int, dimensions: EventDimensions
  ) -> Cover {
    guard !scopes.isEmpty else { return .unregistered }
    let key = ScopeKey(
      control: control, app: dimensions.apps.foldedIDs[event.app],
      role: dimensions.roles.foldedIDs[event.role],
      location: dimensions.locations.foldedIDs[event.location],
      device: dimensions.devices.foldedIDs[event.device],
      action: dimensions.actions.foldedIDs[event.action])
    let inScope: [Int]
    if let known = matches[key] {
      inScope = known
    } else {
      inScope = scopes.indices.filter { index in
        let scope = scopes[index]
        return scope.control == control
          && zip(scope.values, key.values).allSatisfy { $0 == -1 || $0 == $1 }
      }
      matches[key] = inScope
    }

    var covering: Int?
    var lastExpired: Int?
    for index in inScope {
      let scope = scopes[index]
      lastUseDay[index] = max(lastUseDay[index] ?? .min, dayNumber)
      if scope.firstDay <= dayNumber, dayNumber <= scope.lastDay {
        covering = covering ?? index
      } else if scope.lastDay < dayNumber,
        lastExpired.map({ scope.lastDay > scopes[$0].lastDay }) ?? true
      {
        lastExpired = index
      }
    }
    if let covering {
      uses[covering] += 1
      return .covered
    }
    if let lastExpired {
      usesAfterExpiry[lastExpired] += 1
      return .expired
    }
    // In scope but not yet granted on that day counts as not registered for it.
    return .unregistered
  }

  /// How the events used each exception, in register order.
  var usage: [ExceptionUsage] {
    ids.indices.map { index in
      ExceptionUsage(
        id: ids[index], uses: uses[index], usesAfterExpiry: usesAfterExpiry[index],
        lastUse: lastUseDay[index].map { CalendarDate(dayNumber: $0) })
    }
  }
}
