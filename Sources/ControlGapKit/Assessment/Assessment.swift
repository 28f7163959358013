/// The one result model every renderer reads: each requirement's status with its reasons,
/// and the bypass picture behind them.
public struct Assessment: Sendable {
  public var organisation: String
  public var period: Quarter
  /// The day the assessment is made as of: the period's last day unless overridden.
  public var asOf: CalendarDate
  public var timeZone: String
  public var thresholds: WorkspaceSettings.Thresholds
  public var frameworks: [FrameworkAssessment]
  /// Every observed control, in workspace order.
  public var controls: [ControlSummary]
  public var findings: [FindingAssessment]
  public var exceptions: [ExceptionAssessment]
  public var breakdowns: [BypassBreakdown]
  /// The diagnosis of the access events; `nil` when the workspace has none.
  public var telemetry: TelemetryAssessment?
  public var inputFiles: [String]
  /// The size and SHA-256 of every input file, in the order of `inputFiles`; empty until the
  /// pipeline has measured them.
  public var inputDigests: [InputDigest] = []
}

/// What ControlGap concludes about one requirement.
public enum RequirementStatus: String, Sendable, CaseIterable, Comparable {
  case ineffective
  case gap
  case partial
  case covered
  case notApplicable = "not-applicable"

  /// Worst first, the order reports list them in.
  public var rank: Int { Self.allCases.firstIndex(of: self)! }

  public var title: String {
    switch self {
    case .ineffective: "Ineffective"
    case .gap: "Gap"
    case .partial: "Partial"
    case .covered: "Covered"
    case .notApplicable: "Not applicable"
    }
  }

  public static func < (lhs: RequirementStatus, rhs: RequirementStatus) -> Bool {
    lhs.rank < rhs.rank
  }
}

public struct FrameworkAssessment: Sendable {
  public var key: String
  public var name: String
  public var title: String
  public var version: String
  public var requirements: [RequirementAssessment]

  public func count(_ status: RequirementStatus) -> Int {
    requirements.filter { $0.status == status }.count
  }
}

public struct RequirementAssessment: Sendable {
  public var requirement: Requirement
  public var status: RequirementStatus
  /// One sentence per step of the reasoning, most decisive first.
  public var reasons: [String]
  public var controls: [ControlTrace]
  /// Why the workspace excludes the requirement; `nil` when it applies.
  public var exclusionReason: String? = nil
}

/// A control linked to a requirement, with its evidence and findings as assessed.
public struct ControlTrace: Sendable {
  public var control: ObservedControl
  public var viaWithdrawn: String?
  public var evidence: [EvidenceAssessment]
  public var findingIDs: [String]
}

/// An observed control with its evidence as assessed, its findings and what it claims.
public struct ControlSummary: Sendable {
  public var control: ObservedControl
  public var evidence: [EvidenceAssessment]
  public var findingIDs: [String]
  /// Requirements (framework name and display id) the control is linked to.
  public var requirements: [String]
}

public struct EvidenceAssessment: Sendable {
  public enum State: String, Sendable {
    case current
    case stale
    case missing
    case future
  }

  public var item: EvidenceItem
  public var ageDays: Int
  public var state: State
}

public struct FindingAssessment: Sendable {
  public var finding: BypassFinding
  public var controlTitle: String
  public var exceedsThreshold: Bool
  /// Whether the finding alone makes its control ineffective.
  public var makesIneffective: Bool { exceedsThreshold || finding.driver == .risk }
  /// Requirements (framework key, display id) that the finding's control is linked to.
  public var requirements: [String]
}

public struct ExceptionAssessment: Sendable {
  public enum State: String, Sendable, Comparable {
    case expired
    case noExpiry = "no-expiry"
    case expiring
    case active

    private var rank: Int {
      switch self {
      case .expired: 0
      case .noExpiry: 1
      case .expiring: 2
      case .active: 3
      }
    }

    public static func < (lhs: State, rhs: State) -> Bool { lhs.rank < rhs.rank }
  }

  /// Where the exception is recorded.
  public enum Source: String, Sendable {
    /// The exceptions register.
    case register
    /// A hand-written finding's `exception` element.
    case finding
  }

  /// The register id, or for a finding's exception the finding's id.
  public var id: String
  public var source: Source
  public var controlID: String
  /// What the exception lets through, in words.
  public var scope: String
  /// Why it was granted; empty for a finding's exception.
  public var reason: String
  public var exception: ControlException
  public var state: State
  /// Days from the assessment date to expiry; negative once expired.
  public var daysToExpiry: Int?
  /// The exception was still used after it expired.
  public var usedAfterExpiry: Bool
  /// Events it covered, and events in its scope after it expired; `nil` when not measured.
  public var uses: Int?
  public var usesAfterExpiry: Int?
  /// The UTC day of the latest event in its scope; `nil` when none or not measured.
  public var lastUse: CalendarDate?
}

/// Bypass totals along one dimension (app, role, location, device, action type).
public struct BypassBreakdown: Sendable {
  public enum Dimension: String, Sendable, CaseIterable {
    case app, role, location, device
    case actionType = "action-type"

    public var title: String {
      switch self {
      case .app: "App"
      case .role: "Role"
      case .location: "Location"
      case .device: "Device"
      case .actionType: "Action type"
      }
    }
  }

  public struct Row: Sendable {
    public var value: String
    public var findings: Int
    public var bypasses: Int
    public var challenges: Int
    public var riskDriven: Int

    public var rate: Double { challenges == 0 ? 0 : Double(bypasses) / Double(challenges) }
  }

  public var dimension: Dimension
  public var rows: [Row]
}
