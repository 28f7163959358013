/// What the access events say, diagnosed: per control, why people route around it and what to
/// change; across controls, where bypass happens most.
public struct TelemetryAssessment: Sendable {
  /// The files the events came from, in reading order.
  public var sources: [TelemetrySource]
  /// The first and last UTC day whose events were counted.
  public var firstDay: CalendarDate
  public var lastDay: CalendarDate
  /// Events left out because they fell outside the window.
  public var outsideWindow: Int
  /// Controls that events name but no controls file defines, with their event counts, in id
  /// order; their events are not assessed.
  public var unknownControls: [(control: String, events: Int)]
  /// One diagnosis per workspace control with events, in control id order.
  public var controls: [ControlDiagnosis]
  /// Where bypasses happen most, per dimension, over every control.
  public var hotspots: [Hotspots]
  /// The paths people took around the controls, most bypasses first.
  public var paths: [Hotspot]
  /// How many paths had bypasses, of which `paths` lists the first.
  public var pathsWithBypasses: Int
  /// Where bypasses happen most by app and action together, most bypasses first.
  public var appActionHotspots: [Hotspot]
  /// How many pairs of app and action had bypasses, of which `appActionHotspots` lists the
  /// first.
  public var appActionsWithBypasses: Int
  /// Bypasses of every control, split by what drove them.
  public var split: BypassSplit
  /// Every recommendation, highest priority first.
  public var recommendations: [Recommendation]
  /// Whether exception coverage could be measured: only raw events show which bypass falls
  /// under which exception; pre-aggregated files do not.
  public var measuresExceptionCoverage: Bool
  /// How the events used each registered exception; `nil` when coverage is not measured.
  public var exceptionUsage: [ExceptionUsage]?

  /// Events read from every source, those outside the window included.
  public var eventsRead: Int { sources.reduce(0) { $0.saturatingAdding($1.events) } }
  /// Events counted: those read, less those outside the window.
  public var events: Int { max(0, eventsRead - outsideWindow) }
  /// Bad rows reported in every source.
  public var badRows: Int { sources.reduce(0) { $0.saturatingAdding($1.badRows) } }
}

/// One file of events or aggregates that the telemetry was read from.
public struct TelemetrySource: Sendable, Equatable {
  public enum Kind: String, Sendable {
    case events
    case aggregate
  }

  /// The path relative to the workspace.
  public var path: String
  public var kind: Kind
  /// Events read (for an aggregate file, the challenges it sums up).
  public var events: Int
  /// Rows reported and left out.
  public var badRows: Int
}

/// Bypasses by what drove them.
public struct BypassSplit: Sendable, Equatable {
  public var bypasses: Int
  public var riskDriven: Int
  public var convenience: Int { bypasses - riskDriven }
  /// Risk-driven bypasses per reason, in reason order; one bypass can have several reasons.
  public var reasons: [(reason: TelemetryPolicy.RiskReason, count: Int)]

  public static func == (lhs: BypassSplit, rhs: BypassSplit) -> Bool {
    lhs.bypasses == rhs.bypasses && lhs.riskDriven == rhs.riskDriven
      && lhs.reasons.map(\.reason) == rhs.reasons.map(\.reason)
      && lhs.reasons.map(\.count) == rhs.reasons.map(\.count)
  }
}

/// The places along one dimension where bypasses happen most.
public struct Hotspots: Sendable {
  public enum Dimension: String, Sendable, CaseIterable {
    case app, role, location, device, action

    public var title: String {
      switch self {
      case .app: "App"
      case .role: "Role"
      case .location: "Location"
      case .device: "Device"
      case .action: "Action"
      }
    }
  }

  public var dimension: Dimension
  /// The values with bypasses, most first, at most `TelemetryDiagnoser.hotspotLimit`.
  public var entries: [Hotspot]
  /// How many values had bypasses, of which `entries` lists the first.
  public var valuesWithBypasses: Int
}

/// Bypass counts for one value (or app and action) summed over every control.
public struct Hotspot: Sendable, Equatable {
  public var value: String
  /// The action, for app × action hotspots; empty otherwise.
  public var action: String
  public var challenges: Int
  public var bypasses: Int
  public var riskDriven: Int
  /// The controls bypassed there, in id order.
  public var controls: [String]

  public var rate: Double { challenges == 0 ? 0 : Double(bypasses) / Double(challenges) }
}

/// Why one control is avoided, measured, and what to change.
public struct ControlDiagnosis: Sendable {
  /// A reason a control gets routed around.
  public enum Cause: String, Sendable, CaseIterable {
    /// It prompts too often on routine, low-risk work.
    case tooFrequent = "too-frequent"
    /// Its challenges fail or are abandoned too often.
    case brittle
    /// People bypass it and it offers no sanctioned way around.
    case noExceptionPath = "no-exception-path"
    /// Exceptions have become the normal way through it.
    case exceptionsAsDefault = "exceptions-as-default"

    public var title: String {
      switch self {
      case .tooFrequent: "Too frequent"
      case .brittle: "Brittle"
      case .noExceptionPath: "No usable exception path"
      case .exceptionsAsDefault: "Exceptions as the default"
      }
    }
  }

  /// A cause found, with the numbers behind it.
  public struct Diagnosis: Sendable, Equatable {
    public var cause: Cause
    public var explanation: String
  }

  public var controlID: String
  public var controlTitle: String
  public var telemetry: ControlTelemetry
  /// Prompts per person per day on low-risk actions; `nil` without low-risk events.
  public var lowRiskPromptsPerUserDay: Double?
  public var causes: [Diagnosis]
  /// The telemetry findings raised for the control, in id order.
  public var findingIDs: [String]
  /// Bypasses that no valid exception covered; `nil` when not measurable.
  public var uncoveredBypasses: Int?
  /// Events recorded as exceptions that no registered exception covered; `nil` likewise.
  public var unregisteredExceptionUses: Int?

  /// Failures and abandons per challenge.
  public var brittleRate: Double {
    let total = telemetry.total
    return total.challenges == 0
      ? 0 : Double(total.failures + total.abandons) / Double(total.challenges)
  }

  /// Exception uses per challenge.
  public var exceptionRate: Double {
    let total = telemetry.total
    return total.challenges == 0 ? 0 : Double(total.exceptionUses) / Double(total.challenges)
  }
}

/// A change to a control that follows from its diagnosis.
public struct Recommendation: Sendable, Equatable {
  /// How urgent the change is; reports list high first.
  public enum Priority: Int, Sendable, Comparable, CaseIterable {
    case high = 1
    case medium = 2
    case low = 3

    public var title: String {
      switch self {
      case .high: "High"
      case .medium: "Medium"
      case .low: "Low"
      }
    }

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  public var controlID: String
  public var priority: Priority
  /// What to do, in one sentence.
  public var action: String
  /// The measurement that calls for it.
  public var because: String
  /// Where the remedy comes from, e.g. `OWASP NHI10`; empty when it is ControlGap's own advice.
  public var reference: String
}

/// Numbers with one decimal, written the same way everywhere, independent of locale.
public enum OneDecimal {
  /// `5.83` → `5.8`.
  public static func text(_ value: Double) -> String {
    guard value.isFinite else { return "0.0" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
  }
}
