/// How bypass events are told apart: which bypasses carry risk, and which are routine
/// convenience.
///
/// A bypass is risk-driven when at least one of these holds; otherwise it is convenience-driven:
/// - the action is rated `high`;
/// - the device is one of `unmanagedDevices`;
/// - the location is set and `usualLocations` is not empty and does not hold it;
/// - the path contains one of `machineIdentityMarkers`, i.e. a person went through a service
///   account, an API key or another non-human identity.
///
/// Every comparison ignores ASCII letter case. Only bypasses are classified; other outcomes
/// never count as risk-driven.
public struct TelemetryPolicy: Sendable, Equatable {
  /// Why a bypass counts as risk-driven. One bypass can have several reasons.
  public enum RiskReason: String, Sendable, CaseIterable, Comparable {
    case highRiskAction = "high-risk-action"
    case unmanagedDevice = "unmanaged-device"
    case unusualLocation = "unusual-location"
    case machineIdentity = "machine-identity"

    public var title: String {
      switch self {
      case .highRiskAction: "High-risk action"
      case .unmanagedDevice: "Unmanaged device"
      case .unusualLocation: "Unusual location"
      case .machineIdentity: "Through a non-human identity"
      }
    }

    public static func < (lhs: RiskReason, rhs: RiskReason) -> Bool {
      allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
  }

  /// Device values that name devices the organisation does not manage, matched whole.
  public var unmanagedDevices: [String]
  /// Locations where the work normally happens, matched whole. Empty: no location is unusual.
  public var usualLocations: [String]
  /// Text that marks a bypass path as a non-human identity, matched anywhere in the path.
  public var machineIdentityMarkers: [String]

  public init(
    unmanagedDevices: [String] = [], usualLocations: [String] = [],
    machineIdentityMarkers: [String] = TelemetryPolicy.standardMachineIdentityMarkers
  ) {
    self.unmanagedDevices = unmanagedDevices
    self.usualLocations = usualLocations
    self.machineIdentityMarkers = machineIdentityMarkers
  }

  /// Path text that usually names a non-human identity in identity-provider exports.
  public static let standardMachineIdentityMarkers = [
    "service account", "service-account", "api key", "api-key", "api token", "bot account",
    "machine identity", "workload identity",
  ]

  public static let standard = TelemetryPolicy()
}

/// An approved exception as the event stream sees it: which events of a control it lets
/// through, and for which days.
///
/// A scope field that is `nil` matches any value; a set field matches the event's value whole,
/// ignoring ASCII letter case. An exception is valid on the UTC days from `granted` through
/// `expires`, both included; a missing bound leaves that side open.
public struct ExceptionScope: Sendable, Equatable {
  public var id: String
  public var control: String
  public var app: String?
  public var role: String?
  public var location: String?
  public var device: String?
  public var action: String?
  public var granted: CalendarDate?
  public var expires: CalendarDate?

  public init(
    id: String, control: String, app: String? = nil, role: String? = nil,
    location: String? = nil, device: String? = nil, action: String? = nil,
    granted: CalendarDate? = nil, expires: CalendarDate? = nil
  ) {
    self.id = id
    self.control = control
    self.app = app
    self.role = role
    self.location = location
    self.device = device
    self.action = action
    self.granted = granted
    self.expires = expires
  }
}

/// How the events used one registered exception over the assessed window.
public struct ExceptionUsage: Sendable, Hashable {
  /// The exception's id in the register.
  public var id: String
  /// Bypass and exception events that it covered: in scope, on a day it was valid.
  public var uses: Int
  /// Bypass and exception events in its scope on days after it expired, covered by no other
  /// exception.
  public var usesAfterExpiry: Int
  /// The UTC day of the latest event in its scope, covered or not; `nil` when none.
  public var lastUse: CalendarDate?

  public init(id: String, uses: Int = 0, usesAfterExpiry: Int = 0, lastUse: CalendarDate? = nil) {
    self.id = id
    self.uses = uses
    self.usesAfterExpiry = usesAfterExpiry
    self.lastUse = lastUse
  }
}
