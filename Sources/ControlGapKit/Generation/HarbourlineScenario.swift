extension EventScenario {
  /// Harbourline Logistics, the freight company of the example workspace: 1,500 staff in
  /// finance, engineering, customer service and the depots, and four workload accounts.
  ///
  /// The patterns follow the example's controls, so that a report over a few thousand events
  /// tells a different story for each:
  /// - IAM-01, step-up MFA on the finance portal: routine reports are prompted for all day and
  ///   bypassed for convenience through long-lived sessions; statement downloads run partly
  ///   under a time-boxed exception; payment approvals are almost never bypassed, and each such
  ///   bypass is a high-risk one.
  /// - IAM-02, privileged admin actions: mostly passed, a few failures, break-glass uses.
  /// - IAM-04, service accounts: data analysts export through the AI reporting assistant's
  ///   service account from unmanaged laptops, while the account's own queries pass.
  /// - IAM-06, depot kiosks: brittle, with many failures and abandons, and the standing
  ///   exception used as the default way in.
  /// - SEC-01 and CFG-01: healthy controls, for contrast.
  public static let harbourline = HarbourlineScenario.scenario()
}

/// The people and patterns of `EventScenario.harbourline`, with the shares that shape each
/// control's story named where they are set.
enum HarbourlineScenario {
  // MARK: How each pattern ends

  /// Routine reports are prompted for on every view, so people keep a session open instead.
  static let viewReport = OutcomeShares(
    passed: 0.77, failed: 0.015, abandoned: 0.035, bypassed: 0.18, exception: 0)
  /// Statement downloads from home partly run under the time-boxed exception.
  static let downloadStatement = OutcomeShares(
    passed: 0.83, failed: 0.02, abandoned: 0.03, bypassed: 0.04, exception: 0.08)
  /// Payment approvals are taken seriously; the rare bypass goes through a legacy endpoint.
  static let approvePayment = OutcomeShares(
    passed: 0.955, failed: 0.03, abandoned: 0.01, bypassed: 0.005, exception: 0)
  /// Admin actions pass the gateway; the duty officer's break-glass account is used now and
  /// then.
  static let adminAction = OutcomeShares(
    passed: 0.93, failed: 0.035, abandoned: 0.015, bypassed: 0.005, exception: 0.015)
  /// Data analysts' exports: about one in nine skips MFA through the assistant's account.
  static let exportData = OutcomeShares(
    passed: 0.86, failed: 0.02, abandoned: 0.01, bypassed: 0.11, exception: 0)
  /// A workload's own sign-ins.
  static let workloadQuery = OutcomeShares(
    passed: 0.998, failed: 0.002, abandoned: 0, bypassed: 0, exception: 0)
  /// Kiosk re-authentication fails and is abandoned often, and the handover-screen exception
  /// has become the usual way in.
  static let viewSchedule = OutcomeShares(
    passed: 0.36, failed: 0.14, abandoned: 0.09, bypassed: 0.12, exception: 0.29)
  /// Vault reads by engineers and workloads.
  static let readSecret = OutcomeShares(
    passed: 0.985, failed: 0.012, abandoned: 0.003, bypassed: 0, exception: 0)
  /// Device compliance checked at sign-in; failures are devices out of baseline.
  static let signIn = OutcomeShares(
    passed: 0.972, failed: 0.022, abandoned: 0.006, bypassed: 0, exception: 0)

  // MARK: How much of the log each pattern makes up

  static let viewReportShare = 0.30
  static let downloadStatementShare = 0.08
  static let approvePaymentShare = 0.04
  static let changeConfigurationShare = 0.036
  static let grantRoleShare = 0.015
  static let restartServiceShare = 0.009
  static let exportDataShare = 0.05
  static let assistantQueryShare = 0.03
  static let viewScheduleShare = 0.22
  static let readSecretShare = 0.08
  static let officeSignInShare = 0.07
  static let depotSignInShare = 0.07

  // MARK: How many events one sitting holds

  /// Analysts view report after report, and each view is prompted for.
  static let viewReportSitting = 3...13
  static let downloadStatementSitting = 1...3
  /// Approvals come in small batches.
  static let approvePaymentSitting = 1...4
  static let adminSitting = 1...3
  static let exportDataSitting = 1...3
  /// The assistant runs a query or two for each question it is asked; a workload is never
  /// prompted often enough to count as prompt fatigue.
  static let assistantQuerySitting = 1...2
  /// A look at the schedule at the start of a shift, and again at handover.
  static let viewScheduleSitting = 1...3
  static let readSecretSitting = 1...2
  static let signInSitting = 1...1

  static let habits = EventScenario.Habits(
    homeWorking: 0.2, unusualLocation: 0.003, otherDevice: 0.12, unmanagedDevice: 0.015,
    heavyUsers: 0.35)

  // MARK: Who works there

  /// A group of people with one role, placed in turn at the listed locations.
  struct RoleGroup {
    var role: String
    var count: Int
    var locations: [String]
    var device: String
    var otherDevice: String
    var worksFromHome: Bool
  }

  static let headOffice = "Head office"
  static let portOffice = "Rotterdam, NL"
  static let depot = "Depot"
  static let laptop = "Managed laptop"
  static let phone = "Managed phone"

  static let roleGroups = [
    RoleGroup(
      role: "Finance analyst", count: 64,
      locations: [headOffice, headOffice, headOffice, portOffice],
      device: laptop, otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Accounts payable clerk", count: 24, locations: [headOffice], device: laptop,
      otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Finance manager", count: 12, locations: [headOffice, headOffice, portOffice],
      device: laptop, otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Platform administrator", count: 10, locations: [headOffice],
      device: "Privileged access workstation", otherDevice: laptop, worksFromHome: false),
    RoleGroup(
      role: "Data analyst", count: 18, locations: [headOffice, portOffice], device: laptop,
      otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Software engineer", count: 60, locations: [headOffice, headOffice, portOffice],
      device: laptop, otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Customer service agent", count: 120, locations: [headOffice, portOffice],
      device: laptop, otherDevice: phone, worksFromHome: true),
    RoleGroup(
      role: "Planner", count: 42, locations: [depot, headOffice], device: laptop,
      otherDevice: phone, worksFromHome: false),
    RoleGroup(
      role: "Warehouse supervisor", count: 90, locations: [depot], device: phone,
      otherDevice: laptop, worksFromHome: false),
    RoleGroup(
      role: "Depot operator", count: 640, locations: [depot], device: phone, otherDevice: phone,
      worksFromHome: false),
    RoleGroup(
      role: "Driver", count: 420, locations: [depot], device: phone, otherDevice: phone,
      worksFromHome: false),
  ]

  /// Workload accounts. The AI reporting assistant's is the one data analysts borrow.
  static let workloads = [
    "svc-ai-reporting", "svc-backup", "svc-edi-gateway", "svc-payroll-export",
  ]

  /// Names that people's ids are made of; 40 × 40 pairs give every person a different one.
  static let firstNames = [
    "Anna", "Ben", "Chloé", "Daan", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jonas", "Kai",
    "Lena", "Mila", "Noah", "Olivia", "Pieter", "Quinn", "Ruth", "Sem", "Tess", "Umar", "Vera",
    "Wout", "Xavier", "Yara", "Zoë", "Ali", "Björn", "Carlos", "Dilan", "Elif", "Fatima", "Gijs",
    "Hana", "Ines", "José", "Karin", "Łukasz", "Maja", "Søren",
  ]
  static let lastNames = [
    "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
    "Dijkstra", "Smits", "Müller", "Schmidt", "García", "Nowak", "Kowalski", "Öztürk", "Yılmaz",
    "O'Brien", "Murphy", "Dubois", "Lefèvre", "Rossi", "Costa", "Silva", "Haddad", "Okafor",
    "Mensah", "Nguyen", "Kim", "Ødegaard",
  ]

  /// `firstname.lastname@harbourline.example`, lower case, spaces left out. Person `n` takes
  /// first name `n mod 40` and last name `(n / 40 + n mod 40) mod 40`, so no two of the first
  /// 1,600 share an id.
  static func userID(_ number: Int) -> String {
    let first = firstNames[number % firstNames.count]
    let last = lastNames[(number / firstNames.count + number % firstNames.count) % lastNames.count]
    let local = (first + "." + last).lowercased().filter { $0 != " " }
    return local + "@harbourline.example"
  }

  // MARK: Building the scenario

  static func scenario() -> EventScenario {
    var texts = ScenarioTexts()
    // Outcomes and risks first, so that their positions do not depend on the data below.
    let outcomeTexts = AccessEvent.Outcome.allCases.map { texts.add($0.rawValue) }
    let riskTexts = AccessEvent.Risk.allCases.map { texts.add($0.rawValue) }

    var people: [Person] = []
    var byRole: [String: [Int]] = [:]
    for group in roleGroups {
      for member in 0..<group.count {
        byRole[group.role, default: []].append(people.count)
        people.append(
          Person(
            user: texts.add(userID(people.count)), role: texts.add(group.role),
            location: texts.add(group.locations[member % group.locations.count]),
            device: texts.add(group.device), otherDevice: texts.add(group.otherDevice),
            worksFromHome: group.worksFromHome, isMachine: false))
      }
    }
    let humans = Array(people.indices)
    let depotText = texts.add(depot)
    var accounts: [String: Int] = [:]
    for name in workloads {
      accounts[name] = people.count
      people.append(
        Person(
          user: texts.add(name), role: texts.add("Service account"),
          location: texts.add("Data centre"), device: texts.add("Workload"),
          otherDevice: texts.add("Workload"), worksFromHome: false, isMachine: true))
    }
    func staff(_ roles: String...) -> [Int] {
      roles.flatMap { byRole[$0] ?? [] }
    }

    func pattern(
      _ control: String, _ app: String, _ action: String, _ risk: AccessEvent.Risk,
      share: Double, sitting: ClosedRange<Int>, people: [Int], outcomes: OutcomeShares,
      rhythm: Rhythm = .office,
      setting: (location: String, device: String)? = nil, bypass: String? = nil,
      bypassFrom location: String? = nil, on device: String? = nil, exception: String? = nil
    ) -> EventPattern {
      EventPattern(
        control: texts.add(control), app: texts.add(app), action: texts.add(action), risk: risk,
        share: share, sittingLength: sitting, people: people, outcomes: outcomes, rhythm: rhythm,
        setting: setting.map { (texts.add($0.location), texts.add($0.device)) },
        bypass: bypass.map {
          BypassRoute(
            path: texts.add($0), location: location.map { texts.add($0) },
            device: device.map { texts.add($0) })
        },
        exceptionPath: exception.map { texts.add($0) })
    }

    let finance = "Finance portal"
    let admin = "Admin console"
    let warehouse = "Reporting warehouse"
    let breakGlass = "break-glass account"
    let privileged = staff("Platform administrator")
    let patterns = [
      pattern(
        "IAM-01", finance, "view-report", .low, share: viewReportShare, sitting: viewReportSitting,
        people: staff("Finance analyst", "Accounts payable clerk", "Finance manager"),
        outcomes: viewReport, bypass: "long-lived browser session"),
      pattern(
        "IAM-01", finance, "download-statement", .medium, share: downloadStatementShare,
        sitting: downloadStatementSitting,
        people: staff("Accounts payable clerk", "Finance analyst"), outcomes: downloadStatement,
        bypass: "mobile app session", bypassFrom: "Home", on: phone,
        exception: "time-boxed finance exception"),
      pattern(
        "IAM-01", finance, "approve-payment", .high, share: approvePaymentShare,
        sitting: approvePaymentSitting, people: staff("Finance manager"),
        outcomes: approvePayment, bypass: "legacy approval endpoint"),
      pattern(
        "IAM-02", admin, "change-configuration", .high, share: changeConfigurationShare,
        sitting: adminSitting, people: privileged, outcomes: adminAction,
        bypass: "direct database console", exception: breakGlass),
      pattern(
        "IAM-02", admin, "grant-role", .high, share: grantRoleShare, sitting: adminSitting,
        people: privileged, outcomes: adminAction, bypass: "direct database console",
        exception: breakGlass),
      pattern(
        "IAM-02", admin, "restart-service", .high, share: restartServiceShare,
        sitting: adminSitting, people: privileged, outcomes: adminAction,
        bypass: "direct database console", exception: breakGlass),
      pattern(
        "IAM-04", warehouse, "export-data", .medium, share: exportDataShare,
        sitting: exportDataSitting, people: staff("Data analyst"), outcomes: exportData,
        bypass: "service account svc-ai-reporting", bypassFrom: "Remote",
        on: "Unmanaged laptop"),
      pattern(
        "IAM-04", warehouse, "run-query", .low, share: assistantQueryShare,
        sitting: assistantQuerySitting,
        people: [accounts["svc-ai-reporting"]!], outcomes: workloadQuery, rhythm: .roundTheClock),
      pattern(
        "IAM-06", "Depot scheduling", "view-schedule", .low, share: viewScheduleShare,
        sitting: viewScheduleSitting,
        people: staff("Warehouse supervisor", "Depot operator"), outcomes: viewSchedule,
        rhythm: .depotShifts, setting: (depot, "Shared kiosk"), bypass: "shared kiosk session",
        exception: "depot shift handover screen"),
      pattern(
        "SEC-01", "Secrets vault", "read-secret", .medium, share: readSecretShare,
        sitting: readSecretSitting,
        people: staff("Software engineer", "Platform administrator")
          + ["svc-backup", "svc-edi-gateway", "svc-payroll-export"].map { accounts[$0]! },
        outcomes: readSecret),
      pattern(
        "CFG-01", "Staff portal", "sign-in", .low, share: officeSignInShare, sitting: signInSitting,
        people: humans.filter { people[$0].location != depotText }, outcomes: signIn),
      pattern(
        "CFG-01", "Staff portal", "sign-in", .low, share: depotSignInShare, sitting: signInSitting,
        people: humans.filter { people[$0].location == depotText }, outcomes: signIn,
        rhythm: .depotShifts),
    ]

    let homeLocation = texts.add("Home")
    let unusualLocations = ["São Paulo, BR", "Lagos, NG", "Singapore, SG", "Unknown network"]
      .map { texts.add($0) }
    let unmanagedDevices = ["Personal phone", "Unmanaged laptop"].map { texts.add($0) }
    return EventScenario(
      name: "harbourline", texts: texts.texts, people: people, patterns: patterns,
      outcomeTexts: outcomeTexts, riskTexts: riskTexts, homeLocation: homeLocation,
      unusualLocations: unusualLocations, unmanagedDevices: unmanagedDevices, habits: habits)
  }
}
