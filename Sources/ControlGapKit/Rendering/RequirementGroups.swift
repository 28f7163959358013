/// A framework's requirements grouped for reading: by function, then by category.
///
/// Groups are runs of neighbouring requirements, so every requirement appears once and in
/// catalog order, the same order as the framework's flat `requirements` list.
struct RequirementGroups {
  /// One entry per function: `title` (null for requirements outside any function), `counts`,
  /// `countText` and `categories`.
  let functions: [MustacheValue]

  init(
    _ requirements: [RequirementAssessment],
    render: (RequirementAssessment) -> MustacheValue
  ) {
    functions = Self.runs(requirements) { $0.requirement.function }.map { function, members in
      .object([
        "title": function.map { .string($0.title) } ?? .null,
        "counts": .list(Self.counts(members)),
        "countText": .string(Self.countText(members)),
        "categories": .list(Self.categories(members, render: render)),
      ])
    }
  }

  private static func categories(
    _ members: [RequirementAssessment],
    render: (RequirementAssessment) -> MustacheValue
  ) -> [MustacheValue] {
    // Where a function has categories, a requirement without one heads its own group (an
    // 800-53 control above its enhancements), so no table follows another without a heading.
    let hasCategories = members.contains { $0.requirement.category != nil }
    let groups = runs(members) { assessed -> Requirement.Heading? in
      let requirement = assessed.requirement
      guard hasCategories else { return nil }
      return requirement.category
        ?? Requirement.Heading(id: requirement.id, title: requirement.title)
    }
    return groups.map { category, requirements in
      .object([
        "title": category.map { .string(title(of: $0, in: requirements)) } ?? .null,
        "counts": .list(counts(requirements)),
        "countText": .string(countText(requirements)),
        "requirements": .list(requirements.map(render)),
      ])
    }
  }

  /// A category's heading; a requirement that is its own category names it with the id people
  /// read, since the catalog id of a control (`ac-2`) is not.
  private static func title(of category: Requirement.Heading, in group: [RequirementAssessment])
    -> String
  {
    group.first { $0.requirement.id == category.id }?.requirement.displayName
      ?? category.displayName
  }

  /// Neighbouring requirements that share a key, with that key.
  private static func runs(
    _ requirements: [RequirementAssessment],
    by key: (RequirementAssessment) -> Requirement.Heading?
  ) -> [(Requirement.Heading?, [RequirementAssessment])] {
    var runs: [(Requirement.Heading?, [RequirementAssessment])] = []
    for assessed in requirements {
      let heading = key(assessed)
      if let last = runs.indices.last, runs[last].0 == heading {
        runs[last].1.append(assessed)
      } else {
        runs.append((heading, [assessed]))
      }
    }
    return runs
  }

  /// The statuses that occur in a group, worst first, each with its number of requirements.
  private static func counts(_ requirements: [RequirementAssessment]) -> [MustacheValue] {
    tally(requirements).map { status, count in
      .object([
        "status": .string(status.rawValue), "title": .string(status.title), "count": .int(count),
      ])
    }
  }

  /// The counts as one line, e.g. `Gap 2 · Partial 1 · Covered 3`.
  private static func countText(_ requirements: [RequirementAssessment]) -> String {
    tally(requirements).map { "\($0.0.title) \($0.1)" }.joined(separator: " · ")
  }

  private static func tally(_ requirements: [RequirementAssessment])
    -> [(RequirementStatus, Int)]
  {
    RequirementStatus.allCases.compactMap { status in
      let count = requirements.filter { $0.status == status }.count
      return count == 0 ? nil : (status, count)
    }
  }
}
