/// One assessable requirement of a framework: a CSF subcategory, an AI RMF subcategory, an
/// NHI risk, an 800-53 control or enhancement.
///
/// Controls of class `category` are the grouping level of the CSF-style catalogs; they are
/// kept as `category` context but are not requirements themselves.
public struct Requirement: Sendable, Equatable {
  public var frameworkKey: String
  public var id: String
  /// The identifier people read: the `label` prop, or a title that spells the id, or the id.
  public var displayID: String
  public var title: String
  public var statement: String
  public var isWithdrawn: Bool
  public var withdrawnTargets: [String]
  /// The top-level group the requirement sits in, e.g. the CSF function.
  public var function: Heading?
  /// The nearest enclosing control of class `category`, or the parent control.
  public var category: Heading?
  /// Position in the catalog, used for stable ordering.
  public var order: Int
  public var location: SourceLocation

  /// An id and a title of an enclosing level.
  public struct Heading: Sendable, Equatable, Hashable {
    public var id: String
    public var title: String

    /// The id and title, once each: `PR.AA Identity Management…`, but `GOVERN 1` and
    /// `GOVERN (GV)` alone, since those titles already spell the id.
    public var displayName: String {
      if RequirementKey(title) == RequirementKey(id) || title.contains(id) { return title }
      return "\(id) \(title)"
    }
  }

  /// The display id and title, once each when the title only repeats the id.
  public var displayName: String {
    RequirementKey(title) == RequirementKey(displayID) ? displayID : "\(displayID) \(title)"
  }
}
