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

/// Everything read from a workspace folder.
public struct Workspace: Sendable {
  public var root: String
  public var settings: WorkspaceSettings
  public var controls: [ObservedControl]
  public var findings: [BypassFinding]
  /// The files read, relative to the workspace, in reading order.
  public var files: [String]
}
