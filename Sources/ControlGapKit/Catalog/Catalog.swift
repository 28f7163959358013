import Foundation

/// A control catalog as ControlGap holds it: one framework, converted once from OSCAL XML.
public struct Catalog: Sendable {
  /// Short stable name used in workspaces and on the command line, e.g. `nist-csf-2.0`.
  public var key: String
  /// Name shown to people, e.g. `NIST CSF 2.0`.
  public var name: String
  public var title: String
  public var version: String
  /// The OSCAL version the file declares, without a leading `v`.
  public var oscalVersion: String
  public var uuid: String
  /// `(namespace, name) → value` for metadata props, which carry framework identity.
  public var metadataProps: [CatalogProp]
  public var groups: [CatalogGroup]
  /// Controls that sit directly under the catalog, outside any group.
  public var controls: [CatalogControl]
  public var backMatter: [BackMatterResource]
  public var location: SourceLocation
  /// The file the catalog was read from, when it was read from one.
  public var file: CatalogFile?

  public init(
    key: String, name: String, title: String, version: String, oscalVersion: String,
    uuid: String, metadataProps: [CatalogProp], groups: [CatalogGroup],
    controls: [CatalogControl], backMatter: [BackMatterResource], location: SourceLocation
  ) {
    self.key = key
    self.name = name
    self.title = title
    self.version = version
    self.oscalVersion = oscalVersion
    self.uuid = uuid
    self.metadataProps = metadataProps
    self.groups = groups
    self.controls = controls
    self.backMatter = backMatter
    self.location = location
  }

  /// The value of a metadata prop by name, in any namespace.
  public func metadataProp(_ name: String) -> String? {
    metadataProps.first { $0.name == name }?.value
  }
}

/// Where a catalog was read from and what the file held, so that an evidence bundle can carry
/// the very file the assessment used and prove it unchanged.
public struct CatalogFile: Sendable, Equatable {
  public var url: URL
  public var bytes: Int
  /// Lowercase hexadecimal.
  public var sha256: String
}

/// A group of controls: a CSF function, an 800-53 family.
public struct CatalogGroup: Sendable {
  public var id: String?
  public var `class`: String?
  public var title: String
  public var props: [CatalogProp]
  public var parts: [CatalogPart]
  public var groups: [CatalogGroup]
  public var controls: [CatalogControl]
  public var location: SourceLocation

  public var label: String? { props.first { $0.name == "label" }?.value }
}

/// One OSCAL control: a CSF category or subcategory, an 800-53 control or enhancement.
public struct CatalogControl: Sendable {
  public var id: String
  public var `class`: String?
  public var title: String
  public var props: [CatalogProp]
  public var params: [CatalogParam]
  public var links: [CatalogLink]
  public var parts: [CatalogPart]
  public var controls: [CatalogControl]
  public var location: SourceLocation

  public var label: String? { props.first { $0.name == "label" }?.value }
  public var sortID: String? { props.first { $0.name == "sort-id" }?.value }

  /// Withdrawn when a `status` prop says so, in any letter case.
  public var isWithdrawn: Bool {
    props.contains { $0.name == "status" && $0.value.lowercased() == "withdrawn" }
  }

  /// Where a withdrawn control went: the targets of its moved-to and incorporated-into links,
  /// without a leading `#`. OSCAL catalogs spell the relation with a hyphen or an underscore.
  public var withdrawnTargets: [String] {
    links.filter { CatalogLink.withdrawalRelations.contains($0.rel?.lowercased() ?? "") }
      .map { $0.href.hasPrefix("#") ? String($0.href.dropFirst()) : $0.href }
  }
}

public struct CatalogProp: Sendable, Equatable {
  public var name: String
  public var value: String
  public var namespace: String?
  public var `class`: String?
}

public struct CatalogLink: Sendable, Equatable {
  public var href: String
  public var rel: String?
  public var text: String

  static let withdrawalRelations: Set<String> = [
    "moved-to", "moved_to", "incorporated-into", "incorporated_into",
  ]
}

/// A parameter that prose refers to through `insert`.
public struct CatalogParam: Sendable, Equatable {
  public var id: String
  public var label: String?
  public var values: [String]
  public var choices: [String]
  public var howMany: String?

  /// What an `insert` of this parameter shows: its values when set, otherwise its label or
  /// choices in the bracketed style NIST uses.
  public var displayText: String {
    if !values.isEmpty { return values.joined(separator: ", ") }
    if !choices.isEmpty {
      let prefix = howMany == "one-or-more" ? "Selection (one or more)" : "Selection"
      return "[\(prefix): \(choices.joined(separator: "; "))]"
    }
    return "[Assignment: \(label ?? id)]"
  }
}

/// A part of a control's text: statement, item, guidance, example, overview.
public struct CatalogPart: Sendable, Equatable {
  public var id: String?
  public var name: String
  public var `class`: String?
  public var title: String?
  public var props: [CatalogProp]
  /// The part's own prose with inserts resolved, paragraphs separated by blank lines.
  public var prose: String
  public var parts: [CatalogPart]

  /// The prose of this part and every part below it, depth first, each led by its label
  /// (`a.`, `1.`) where it has one, so that nested items stay distinguishable.
  public var fullProse: String {
    var own = prose
    if let label = props.first(where: { $0.name == "label" })?.value, !label.isEmpty {
      own = own.isEmpty ? label : "\(label) \(own)"
    }
    return ([own] + parts.map(\.fullProse)).filter { !$0.isEmpty }.joined(separator: "\n\n")
  }
}

public struct BackMatterResource: Sendable, Equatable {
  public var uuid: String
  public var title: String?
  public var hrefs: [String]
}
