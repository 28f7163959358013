/// One event as the aggregator counts it: each field a dense id into the aggregator's tables.
struct CountedEvent {
  /// The person's dense index.
  var user: Int
  /// The UTC day's dense index.
  var day: Int
  /// The UTC day's number, which, unlike its dense index, orders days by date; see
  /// `CalendarDate.dayNumber`.
  var dayNumber: Int32
  var app: Int
  var role: Int
  var location: Int
  var device: Int
  var action: Int
  /// The id of the app and action together, in `EventDimensions.appActionPairs`.
  var appAction: Int
  /// The id of the app-and-action pair with the path, in `EventDimensions.appActionPaths`; -1
  /// for every event that is not a bypass.
  var appActionPath: Int
  var path: Int
  /// The position of the risk rating in `ControlTally.riskValues`.
  var risk: Int
  var outcome: AccessEvent.Outcome
  /// The event's risk reasons, as a bit set by position in `TelemetryPolicy.RiskReason.allCases`;
  /// 0 for every event that is not a bypass.
  var reasons: UInt8
}

/// The tallies of one control: its total, one per day and one per value of each dimension, and
/// how many of its bypasses and exception events no registered exception covered.
struct ControlTally: Sendable {
  /// The risk values, `AccessEvent.Risk` in order and then unrated.
  static let riskValues = ["low", "medium", "high", EventAggregator.unrated]

  private var slices: SliceTable
  var uncoveredBypasses = 0
  var unregisteredExceptionUses = 0
  /// Whether an event of the control has been counted.
  private(set) var hasEvents = false

  /// - Parameter layout: The form of the sets of distinct people; see `MemberSet.Layout`.
  init(layout: MemberSet.Layout = .adaptive) {
    slices = SliceTable(layout: layout)
  }

  mutating func add(_ event: CountedEvent) {
    hasEvents = true
    let outcome = event.outcome
    let user = event.user
    let day = event.day
    let dayNumber = event.dayNumber
    let isRiskDriven = event.reasons != 0
    func add(_ dimension: SliceTable.Dimension, _ value: Int) {
      slices.add(
        outcome, user: user, day: day, dayNumber: dayNumber, isRiskDriven: isRiskDriven,
        to: dimension, value: value)
    }
    add(.total, 0)
    add(.day, day)
    add(.app, event.app)
    add(.role, event.role)
    add(.location, event.location)
    add(.device, event.device)
    add(.action, event.action)
    add(.path, event.path)
    add(.risk, event.risk)
    add(.appAction, event.appAction)
    if outcome == .bypassed {
      add(.appActionPath, event.appActionPath)
    }

    var reasons = event.reasons
    while reasons != 0 {
      slices.add(
        .bypassed, user: user, day: day, dayNumber: dayNumber, isRiskDriven: true,
        to: .riskReason, value: reasons.trailingZeroBitCount)
      reasons &= reasons - 1
    }
  }

  /// Reads the memory that `add(_:)` will write for `event`'s person and day; see
  /// `EventAggregator`.
  @inline(__always)
  func prefetch(_ event: CountedEvent) -> UInt64 {
    slices.prefetchUserDay(user: event.user, day: event.day)
  }

  /// The control's telemetry, with every id turned back into its value.
  ///
  /// - Parameter dates: The date of each dense day index.
  func telemetry(
    for control: String, dates: [CalendarDate], dimensions: EventDimensions
  ) -> ControlTelemetry {
    let days = slices.entries(of: .day).map {
      DayCounts(date: dates[$0.value], counts: $0.counts)
    }
    .sorted { $0.date < $1.date }
    var bypassPaths: [Int: [BreakdownEntry]] = [:]
    for entry in slices.entries(of: .appActionPath) {
      let (appAction, path) = dimensions.appActionPaths[entry.value]
      bypassPaths[appAction, default: []].append(
        BreakdownEntry(value: dimensions.paths.text(of: path), counts: entry.counts))
    }
    let appActions = slices.entries(of: .appAction).map { entry in
      let (app, action) = dimensions.appActionPairs[entry.value]
      return AppActionEntry(
        app: dimensions.apps.text(of: app), action: dimensions.actions.text(of: action),
        counts: entry.counts,
        bypassPaths: ControlTelemetry.ordered(bypassPaths[entry.value] ?? []))
    }
    let risks = slices.entries(of: .risk).map {
      BreakdownEntry(value: Self.riskValues[$0.value], counts: $0.counts)
    }
    let reasons = slices.entries(of: .riskReason).map {
      BreakdownEntry(
        value: TelemetryPolicy.RiskReason.allCases[$0.value].rawValue, counts: $0.counts)
    }
    return ControlTelemetry(
      control: control, total: slices.entries(of: .total).first?.counts ?? OutcomeCounts(),
      daily: days, byApp: breakdown(.app, dimensions.apps),
      byRole: breakdown(.role, dimensions.roles),
      byLocation: breakdown(.location, dimensions.locations),
      byDevice: breakdown(.device, dimensions.devices),
      byAction: breakdown(.action, dimensions.actions),
      byAppAndAction: ControlTelemetry.ordered(appActions),
      byRisk: ControlTelemetry.ordered(risks), byPath: breakdown(.path, dimensions.paths),
      byRiskReason: ControlTelemetry.ordered(reasons),
      uncoveredBypasses: uncoveredBypasses, unregisteredExceptionUses: unregisteredExceptionUses)
  }

  /// The entries of one dimension that has events, in breakdown order.
  private func breakdown(
    _ dimension: SliceTable.Dimension, _ values: DimensionValues
  ) -> [BreakdownEntry] {
    ControlTelemetry.ordered(
      slices.entries(of: dimension).map {
        BreakdownEntry(value: values.text(of: $0.value), counts: $0.counts)
      })
  }
}

/// The values of every event field that the aggregator counts by, each with dense ids.
struct EventDimensions: Sendable {
  var controls = ValueIndex()
  var apps = DimensionValues()
  var roles = DimensionValues()
  var locations: DimensionValues
  var devices: DimensionValues
  var actions = DimensionValues()
  var paths: DimensionValues
  /// The app id and action id of each app-and-action pair id.
  private(set) var appActionPairs: [(app: Int, action: Int)] = []
  /// The pair id of each app id and action id seen together, keyed by the app id above the
  /// action id's 32 bits: a table of the pairs seen, as apps times actions could be far more.
  private var pairIDs = DenseIDTable()
  /// The pair id and path id of each id of an app-and-action pair with a path; only bypasses
  /// are given one.
  private(set) var appActionPaths: [(appAction: Int, path: Int)] = []
  /// The id of each pair id and path id seen together, keyed as `pairIDs` is.
  private var pairPathIDs = DenseIDTable()

  /// The id of the pair of an app and an action, given a new one when the pair is new.
  @inline(__always)
  mutating func appActionID(app: Int, action: Int) -> Int {
    let key = UInt64(truncatingIfNeeded: app) &<< 32 | UInt64(truncatingIfNeeded: action)
    let (id, isNew) = pairIDs.id(for: key)
    if isNew {
      appActionPairs.append((app, action))
    }
    return id
  }

  /// The id of an app-and-action pair id with a path id, given a new one when it is new.
  @inline(__always)
  mutating func appActionPathID(appAction: Int, path: Int) -> Int {
    let key = UInt64(truncatingIfNeeded: appAction) &<< 32 | UInt64(truncatingIfNeeded: path)
    let (id, isNew) = pairPathIDs.id(for: key)
    if isNew {
      appActionPaths.append((appAction, path))
    }
    return id
  }

  /// Dimensions whose values `policy` flags: unmanaged devices, unusual locations and paths
  /// through non-human identities.
  init(policy: TelemetryPolicy) {
    func folded(_ list: [String]) -> Set<[UInt8]> {
      Set(list.map { $0.utf8.foldedForComparison })
    }
    devices = DimensionValues(flag: .listed(folded(policy.unmanagedDevices)))
    locations = DimensionValues(flag: .unlisted(folded(policy.usualLocations)))
    paths = DimensionValues(
      flag: .containing(policy.machineIdentityMarkers.map { $0.utf8.foldedForComparison }))
  }
}
