/// One time a person met a control, as an identity provider or a SIEM exported it: who, which
/// control, where, and how it ended.
///
/// Events are the raw material of bypass telemetry; later stages count them by app, role,
/// location, device and action to find where people route around a control.
public struct AccessEvent: Hashable, Sendable {
  /// How risky the export judged the access.
  public enum Risk: String, Sendable, CaseIterable {
    case low, medium, high

    /// Matches `low`, `Medium`, `HIGH` and so on, without regard to letter case.
    public init?(caseInsensitive text: String) {
      var text = text
      guard let risk = text.withUTF8({ Risk(matching: UnsafeRawBufferPointer($0)) }) else {
        return nil
      }
      self = risk
    }

    init?(matching text: UnsafeRawBufferPointer) {
      if text.equalsIgnoringASCIICase("low") {
        self = .low
      } else if text.equalsIgnoringASCIICase("medium") {
        self = .medium
      } else if text.equalsIgnoringASCIICase("high") {
        self = .high
      } else {
        return nil
      }
    }
  }

  /// How the meeting with the control ended.
  public enum Outcome: String, Sendable, CaseIterable {
    /// The person met the control and satisfied it.
    case passed
    /// The person met the control and did not satisfy it.
    case failed
    /// The person gave up when the control challenged them.
    case abandoned
    /// The access went through without the control, by another path.
    case bypassed
    /// The access went through without the control under an approved exception.
    case exception

    /// Matches `passed`, `Bypassed`, `FAILED` and so on, without regard to letter case.
    public init?(caseInsensitive text: String) {
      var text = text
      guard let outcome = text.withUTF8({ Outcome(matching: UnsafeRawBufferPointer($0)) }) else {
        return nil
      }
      self = outcome
    }

    init?(matching text: UnsafeRawBufferPointer) {
      switch text.count {
      case 6 where text.equalsIgnoringASCIICase("passed"): self = .passed
      case 6 where text.equalsIgnoringASCIICase("failed"): self = .failed
      case 8 where text.equalsIgnoringASCIICase("bypassed"): self = .bypassed
      case 9 where text.equalsIgnoringASCIICase("abandoned"): self = .abandoned
      case 9 where text.equalsIgnoringASCIICase("exception"): self = .exception
      default: return nil
      }
    }
  }

  /// The parts of an event, named as exports usually name their columns.
  public enum Field: String, Sendable, CaseIterable, Comparable {
    case timestamp, user, control, app, role, location, device, action, risk, outcome, path

    /// Whether an event cannot be read without this field.
    public var isRequired: Bool {
      switch self {
      case .timestamp, .user, .control, .app, .action, .outcome: true
      case .role, .location, .device, .risk, .path: false
      }
    }

    public static func < (lhs: Field, rhs: Field) -> Bool {
      lhs.index < rhs.index
    }

    /// The position in `allCases`, used to keep one slot per field in fixed-size tables.
    var index: Int {
      switch self {
      case .timestamp: 0
      case .user: 1
      case .control: 2
      case .app: 3
      case .role: 4
      case .location: 5
      case .device: 6
      case .action: 7
      case .risk: 8
      case .outcome: 9
      case .path: 10
      }
    }
  }

  public var timestamp: Timestamp
  /// The person or identity that met the control.
  public var user: String
  /// The control's id, as the workspace names it (`C-1`).
  public var control: String
  public var app: String
  /// `nil` when the export has no role for the event; likewise `location` and `device`.
  public var role: String?
  public var location: String?
  public var device: String?
  /// What the person was doing (`view`, `export`, `admin`…).
  public var action: String
  /// `nil` when the export does not rate the event. An unrated event is not read as `low`, so
  /// that activity nobody rated is never counted as safe.
  public var risk: Risk?
  public var outcome: Outcome
  /// How the control was avoided, for bypasses: a service account, a shared credential, a
  /// legacy endpoint. `nil` when the export does not say.
  public var path: String?
  /// The line of the export where the event starts.
  public var line: Int

  public init(
    timestamp: Timestamp, user: String, control: String, app: String, role: String? = nil,
    location: String? = nil, device: String? = nil, action: String, risk: Risk? = nil,
    outcome: Outcome, path: String? = nil, line: Int = 0
  ) {
    self.timestamp = timestamp
    self.user = user
    self.control = control
    self.app = app
    self.role = role
    self.location = location
    self.device = device
    self.action = action
    self.risk = risk
    self.outcome = outcome
    self.path = path
    self.line = line
  }
}
