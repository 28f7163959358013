/// The workspace's references resolved against the frameworks in scope: which observed
/// controls satisfy which requirement, and which requirements are excluded.
public struct Linkage: Sendable {
  /// A control linked to a requirement, and how the workspace named the requirement.
  public struct Link: Sendable, Equatable {
    public var controlID: String
    /// The reference as written, when it was a withdrawn id that now points elsewhere.
    public var viaWithdrawn: String?
  }

  public struct Exclusion: Sendable, Equatable {
    public var reason: String
    public var location: SourceLocation
  }

  /// Keyed by framework key, then requirement id.
  public var links: [String: [String: [Link]]] = [:]
  public var exclusions: [String: [String: Exclusion]] = [:]

  public func links(framework: String, requirement: String) -> [Link] {
    links[framework]?[requirement] ?? []
  }

  public func exclusion(framework: String, requirement: String) -> Exclusion? {
    exclusions[framework]?[requirement]
  }
}

/// Resolves every requirement reference in a workspace. Unknown references are errors that
/// name the file and line; withdrawn ids are followed to their successors with a warning.
///
/// References to a framework that exists but is not in scope are left out quietly: one
/// control file can serve assessments with different scopes.
public struct RequirementLinker: Sendable {
  public let frameworks: [Framework]
  public let outOfScope: Set<String>

  public init(frameworks: [Framework], outOfScope: Set<String> = []) {
    self.frameworks = frameworks
    self.outOfScope = outOfScope
  }

  public func link(_ workspace: Workspace, diagnostics: DiagnosticSink) -> Linkage {
    var linkage = Linkage()
    var seen = Set<[String]>()
    for control in workspace.controls {
      for reference in control.satisfies {
        for (framework, requirement, via) in resolve(reference, diagnostics: diagnostics)
        where seen.insert([framework, requirement, control.id]).inserted {
          linkage.links[framework, default: [:]][requirement, default: []].append(
            Linkage.Link(controlID: control.id, viaWithdrawn: via))
        }
      }
    }
    for entry in workspace.settings.notApplicable {
      for (framework, requirement, _) in resolve(entry.reference, diagnostics: diagnostics) {
        if let earlier = linkage.exclusions[framework]?[requirement] {
          diagnostics.warning(
            "'\(entry.reference.ref)' is already marked not applicable at line \(earlier.location.line); this reason replaces that one",
            at: entry.reference.location)
        }
        linkage.exclusions[framework, default: [:]][requirement] = Linkage.Exclusion(
          reason: entry.reason, location: entry.reference.location)
      }
    }
    return linkage
  }

  /// ` (first … last)` of a list of requirements, or nothing for an empty list.
  private static func span(_ members: [Requirement]) -> String {
    guard let first = members.first, let last = members.last else { return "" }
    return first.id == last.id
      ? " (\(first.displayID))" : " (\(first.displayID) … \(last.displayID))"
  }

  private func resolve(_ reference: RequirementReference, diagnostics: DiagnosticSink)
    -> [(String, String, String?)]
  {
    if outOfScope.contains(reference.framework) { return [] }
    guard let framework = frameworks.first(where: { $0.key == reference.framework }) else {
      let known = frameworks.map(\.key).sorted().joined(separator: ", ")
      diagnostics.error(
        "unknown framework '\(reference.framework)' (in scope: \(known))", at: reference.location)
      return []
    }
    switch framework.resolve(reference.ref) {
    case .active(let requirement):
      return [(framework.key, requirement.id, nil)]
    case .withdrawn(let withdrawn, let targets):
      guard !targets.isEmpty else {
        diagnostics.error(
          "'\(reference.ref)' is withdrawn from \(framework.name) and has no successor",
          at: reference.location)
        return []
      }
      let names = targets.map(\.displayID).joined(separator: ", ")
      diagnostics.warning(
        "'\(reference.ref)' is withdrawn from \(framework.name); counted toward \(names)",
        at: reference.location)
      return targets.map { (framework.key, $0.id, withdrawn.displayID) }
    case .category(_, let members):
      diagnostics.error(
        "'\(reference.ref)' is a category of \(framework.name); name its requirements"
          + Self.span(members), at: reference.location)
      return []
    case .withdrawnCategory(_, let now, let members):
      let successor =
        now.isEmpty
        ? " and has no successor"
        : " (now \(now.joined(separator: ", "))); name its requirements" + Self.span(members)
      diagnostics.error(
        "'\(reference.ref)' is a withdrawn category of \(framework.name)\(successor)",
        at: reference.location)
      return []
    case .function(_, let members):
      diagnostics.error(
        "'\(reference.ref)' is a function of \(framework.name); name its requirements"
          + Self.span(members), at: reference.location)
      return []
    case .unknown:
      diagnostics.error(
        "unknown requirement '\(reference.ref)' in \(framework.name)", at: reference.location)
      return []
    }
  }
}
