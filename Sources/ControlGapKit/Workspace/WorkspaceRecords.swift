/// The organisation's settings for one assessment, from `workspace.xml`.
public struct WorkspaceSettings: Sendable, Equatable {
  public var organisation: String
  public var period: Quarter
  /// The zone in which date-only values are read. Only the identifier is kept; ControlGap
  /// compares dates as calendar days, so the zone matters where timestamps meet dates.
  public var timeZone: String
  /// Framework keys in scope, in the order written; empty means every shipped framework.
  public var frameworks: [FrameworkSelection]
  public var thresholds: Thresholds
  public var telemetry: TelemetrySettings
  public var notApplicable: [NotApplicable]
  public var location: SourceLocation

  public struct FrameworkSelection: Sendable, Equatable {
    public var key: String
    public var location: SourceLocation
  }

  public struct Thresholds: Sendable, Equatable {
    /// Bypasses per challenge above which a control is ineffective.
    public var bypassRate: Double = 0.05
    /// Evidence older than this at the period's end no longer proves coverage on its own.
    public var evidenceAgeDays: Int = 180
    /// Exceptions expiring within this many days of the period's end are flagged.
    public var exceptionWarningDays: Int = 30
    /// Prompts per person per day on low-risk actions above which a control asks too often.
    public var promptsPerUserDay: Double = 3
    /// Failures and abandons per challenge above which a control is brittle.
    public var brittleRate: Double = 0.15
    /// Exception uses per challenge above which exceptions have become the default.
    public var exceptionRate: Double = 0.10
    /// The share of a hotspot's bypasses that must be risk-driven for its finding to be.
    public var riskDrivenShare: Double = 0.5
    /// The fewest bypasses in one app and action that make a telemetry finding.
    public var minimumBypasses: Int = 5

    public init() {}
  }

  /// How the workspace's access events are read and classified.
  public struct TelemetrySettings: Sendable, Equatable {
    /// The file, relative to the workspace, holding the secret that user ids are hashed under.
    public var pseudonymSecretPath: String?
    /// Where `pseudonymSecretPath` is written, for diagnostics about it.
    public var pseudonymSecretLocation: SourceLocation?
    /// Bad rows tolerated in one event file before the run fails.
    public var maxBadRows: Int = 100
    public var columns: EventColumnMap = .standard
    public var policy: TelemetryPolicy = .standard

    public init() {}
  }

  public struct NotApplicable: Sendable, Equatable {
    public var reference: RequirementReference
    public var reason: String
  }
}

/// A requirement as a workspace file names it, before it is resolved against a catalog.
public struct RequirementReference: Sendable, Equatable {
  public var framework: String
  public var ref: String
  public var location: SourceLocation
}

/// A control the organisation runs, as its owners describe it.
public struct ObservedControl: Sendable, Equatable {
  public enum Status: String, Sendable, CaseIterable {
    case implemented, partial, planned
  }

  public var id: String
  public var title: String
  public var owner: String
  public var status: Status
  public var enforcementPoint: String?
  public var satisfies: [RequirementReference]
  public var evidence: [EvidenceItem]
  public var exceptionPath: String?
  public var location: SourceLocation
}

/// A file that shows a control working, cited by path inside the workspace.
public struct EvidenceItem: Sendable, Equatable {
  /// The path as written, relative to the workspace.
  public var path: String
  public var effective: CalendarDate
  public var description: String
  /// Whether the file exists inside the workspace; evidence that does not never proves coverage.
  public var isPresent: Bool
  public var location: SourceLocation
}

/// Where and how often people route around a control.
public struct BypassFinding: Sendable, Equatable {
  public enum Driver: String, Sendable, CaseIterable {
    /// Routine work made faster by skipping the control.
    case convenience
    /// A path that carries risk: a high-risk action, an unmanaged device, a machine identity.
    case risk
  }

  public var id: String
  public var controlID: String
  public var summary: String?
  public var firstSeen: CalendarDate
  public var lastSeen: CalendarDate
  public var app: String
  public var role: String
  public var location: String
  public var device: String
  public var actionType: String
  public var count: Int
  public var challenges: Int
  public var distinctUsers: Int
  public var driver: Driver
  public var bypassPath: String?
  public var exception: ControlException?
  public var sourceLocation: SourceLocation
  /// Where the finding comes from.
  public var origin: Origin = .workspace

  public enum Origin: String, Sendable {
    /// Written by hand in a findings file.
    case workspace
    /// Raised by ControlGap from access events; role, location and device are then empty,
    /// since the finding covers all of them.
    case telemetry
  }

  /// Bypasses per challenge of the control in the same scope.
  public var rate: Double {
    challenges == 0 ? 0 : Double(count) / Double(challenges)
  }
}

/// An approved exception that lets a finding's bypass continue for a while.
public struct ControlException: Sendable, Equatable {
  /// The role or team that approved it.
  public var approver: String
  public var granted: CalendarDate?
  public var expires: CalendarDate?
  public var location: SourceLocation
}

/// An entry of the exceptions register: a time-boxed permission to pass a control by another
/// path, for the events in its scope.
public struct RegisteredException: Sendable, Equatable {
  public var id: String
  public var controlID: String
  /// Scope values; `nil` matches any value.
  public var app: String?
  public var role: String?
  public var location: String?
  public var device: String?
  public var action: String?
  /// The role or person who approved it.
  public var approver: String
  public var granted: CalendarDate
  /// `nil` when the register gives no expiry, which is itself a finding.
  public var expires: CalendarDate?
  public var reason: String
  public var sourceLocation: SourceLocation

  /// The exception as the event stream matches it.
  public var scope: ExceptionScope {
    ExceptionScope(
      id: id, control: controlID, app: app, role: role, location: location, device: device,
      action: action, granted: granted, expires: expires)
  }

  /// The scope in words, e.g. `app Finance portal, action download-statement`; `all events`
  /// when the exception covers the whole control.
  public var scopeDescription: String {
    let parts = [
      ("app", app), ("role", role), ("location", location), ("device", device),
      ("action", action),
    ].compactMap { name, value in value.map { "\(name) \($0)" } }
    return parts.isEmpty ? "all events" : parts.joined(separator: ", ")
  }
}

/// Everything read from a workspace folder.
public struct Workspace: Sendable {
  public var root: String
  public var settings: WorkspaceSettings
  public var controls: [ObservedControl]
  public var findings: [BypassFinding]
  /// The exceptions register, in file and row order.
  public var exceptions: [RegisteredException]
  /// Access event files in `events/`, relative to the workspace, sorted by name.
  public var eventFiles: [String]
  /// Aggregated event files in `aggregates/`, relative to the workspace, sorted by name.
  public var aggregateFiles: [String]
  /// The files read, relative to the workspace, in reading order.
  public var files: [String]
}
