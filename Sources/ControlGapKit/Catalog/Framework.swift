/// A loaded catalog together with its flattened requirements and a lookup by reference.
public struct Framework: Sendable {
  public let catalog: Catalog
  /// Every requirement in catalog order, withdrawn ones included.
  public let requirements: [Requirement]
  /// Category-level controls, which group requirements but are not assessed themselves.
  public let categories: [Requirement]
  private let byKey: [RequirementKey: Int]
  private let categoryByKey: [RequirementKey: Int]
  /// Which control owns a part id, so that links to statement items resolve to a control.
  private let controlOfPart: [String: String]

  public var key: String { catalog.key }
  public var name: String { catalog.name }

  /// Requirements that count toward coverage.
  public let activeRequirements: [Requirement]

  public init(catalog: Catalog) {
    var flattening = RequirementFlattening(frameworkKey: catalog.key)
    flattening.walk(catalog)
    self.catalog = catalog
    requirements = flattening.requirements
    activeRequirements = flattening.requirements.filter { !$0.isWithdrawn }
    categories = flattening.categories
    controlOfPart = flattening.controlOfPart

    var byKey: [RequirementKey: Int] = [:]
    for (index, requirement) in requirements.enumerated() {
      byKey[RequirementKey(requirement.id)] = byKey[RequirementKey(requirement.id)] ?? index
    }
    // Labels and display ids are matched too, after ids, so an id always wins.
    for (index, requirement) in requirements.enumerated() {
      for alias in [requirement.displayID] where byKey[RequirementKey(alias)] == nil {
        byKey[RequirementKey(alias)] = index
      }
    }
    self.byKey = byKey
    categoryByKey = Dictionary(
      categories.enumerated().map { (RequirementKey($1.id), $0) },
      uniquingKeysWith: { first, _ in first })
  }

  /// What a reference written by a person points at.
  public enum Resolution: Equatable, Sendable {
    case active(Requirement)
    /// A withdrawn requirement and the active requirements it now lives in.
    case withdrawn(Requirement, into: [Requirement])
    case category(Requirement.Heading, members: [Requirement])
    /// A withdrawn category, the ids it moved to, and the requirements now under those.
    case withdrawnCategory(Requirement.Heading, now: [String], members: [Requirement])
    /// A top-level group such as a CSF function.
    case function(Requirement.Heading, members: [Requirement])
    case unknown
  }

  public func resolve(_ reference: String) -> Resolution {
    let key = RequirementKey(reference)
    if let index = byKey[key] {
      let requirement = requirements[index]
      guard requirement.isWithdrawn else { return .active(requirement) }
      return .withdrawn(requirement, into: activeTargets(of: requirement, depth: 0))
    }
    if let index = categoryByKey[key] {
      let category = categories[index]
      let heading = Requirement.Heading(id: category.id, title: category.title)
      guard category.isWithdrawn else {
        return .category(heading, members: members(ofCategory: category.id))
      }
      let now = category.withdrawnTargets
      return .withdrawnCategory(
        heading, now: now, members: now.flatMap { members(ofCategory: $0) })
    }
    let functionMembers = activeRequirements.filter {
      $0.function.map { RequirementKey($0.id) == key } ?? false
    }
    if let first = functionMembers.first, let function = first.function {
      return .function(function, members: functionMembers)
    }
    return .unknown
  }

  private func members(ofCategory id: String) -> [Requirement] {
    activeRequirements.filter { $0.category?.id == id }
  }

  /// The active requirement with exactly this id, if any.
  public func requirement(id: String) -> Requirement? {
    guard let index = byKey[RequirementKey(id)], requirements[index].id == id else { return nil }
    return requirements[index]
  }

  /// Follows withdrawal links until they reach active requirements; a chain is followed at
  /// most a few steps so that a cycle in a catalog cannot loop.
  private func activeTargets(of requirement: Requirement, depth: Int) -> [Requirement] {
    guard depth < 8 else { return [] }
    var found: [Requirement] = []
    for target in requirement.withdrawnTargets {
      let owner = controlOfPart[target] ?? target
      guard let index = byKey[RequirementKey(owner)] else { continue }
      let next = requirements[index]
      let reached = next.isWithdrawn ? activeTargets(of: next, depth: depth + 1) : [next]
      for item in reached where !found.contains(where: { $0.id == item.id }) {
        found.append(item)
      }
    }
    return found
  }
}

/// The walk that lists a catalog's requirements with their function and category.
struct RequirementFlattening {
  let frameworkKey: String
  var requirements: [Requirement] = []
  var categories: [Requirement] = []
  var controlOfPart: [String: String] = [:]
  private var order = 0

  init(frameworkKey: String) {
    self.frameworkKey = frameworkKey
  }

  mutating func walk(_ catalog: Catalog) {
    for group in catalog.groups {
      walk(group, function: heading(of: group))
    }
    for control in catalog.controls {
      walk(control, function: nil, category: nil)
    }
  }

  private mutating func walk(_ group: CatalogGroup, function: Requirement.Heading?) {
    for control in group.controls {
      walk(control, function: function, category: nil)
    }
    for nested in group.groups {
      walk(nested, function: function)
    }
  }

  private mutating func walk(
    _ control: CatalogControl, function: Requirement.Heading?, category: Requirement.Heading?
  ) {
    order += 1
    recordParts(control.parts, owner: control.id)
    let requirement = Requirement(
      frameworkKey: frameworkKey, id: control.id, displayID: displayID(of: control),
      title: control.title, statement: statement(of: control),
      isWithdrawn: control.isWithdrawn, withdrawnTargets: control.withdrawnTargets,
      function: function, category: category, order: order, location: control.location)

    let isCategory = control.class?.lowercased() == "category"
    if isCategory {
      categories.append(requirement)
    } else {
      requirements.append(requirement)
    }
    let childCategory = Requirement.Heading(id: control.id, title: control.title)
    for child in control.controls {
      walk(
        child, function: function, category: isCategory ? childCategory : category ?? childCategory)
    }
  }

  private mutating func recordParts(_ parts: [CatalogPart], owner: String) {
    for part in parts {
      if let id = part.id { controlOfPart[id] = owner }
      recordParts(part.parts, owner: owner)
    }
  }

  private func heading(of group: CatalogGroup) -> Requirement.Heading {
    // A group's label, where it has one, already spells its id: "GOVERN (GV)".
    Requirement.Heading(id: group.id ?? group.title, title: group.label ?? group.title)
  }

  private func displayID(of control: CatalogControl) -> String {
    if let label = control.label, !label.isEmpty { return label }
    if RequirementKey(control.title) == RequirementKey(control.id) { return control.title }
    return control.id
  }

  /// The text that states the requirement. A plain statement comes first; AI RMF keeps the
  /// outcome in its overview and uses classed statements for suggested actions.
  private func statement(of control: CatalogControl) -> String {
    let preferences: [(CatalogPart) -> Bool] = [
      { $0.name == "statement" && $0.class == nil },
      { $0.name == "overview" },
      { $0.name == "statement" },
      { $0.name == "description" },
    ]
    for matches in preferences {
      for part in control.parts where matches(part) {
        let text = part.fullProse
        if !text.isEmpty { return text }
      }
    }
    return ""
  }
}
