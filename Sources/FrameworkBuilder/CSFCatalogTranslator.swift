import ControlGapKit

/// Translates NIST's OSCAL catalog of the Cybersecurity Framework 2.0 into ControlGap's.
///
/// Functions become groups, categories and subcategories become nested controls. The CSF 1.1
/// categories and subcategories that NIST keeps as withdrawn stay where NIST puts them, with
/// their `status` property and their `moved_to` / `incorporated_into` links unchanged.
struct CSFCatalogTranslator {
  static let csfNamespace = "https://csrc.nist.gov/ns/csf"

  let edition = FrameworkEdition.csf
  let source = NISTSource.csf
  let diagnostics: DiagnosticSink

  func catalog(from root: XMLElementNode) -> OSCALCatalog {
    let sourceMetadata = root.child(named: "metadata")
    var metadata = edition.baseMetadata
    source.describeOrigin(
      in: &metadata,
      keeping: "function, category and subcategory titles and statements, and implementation"
        + " examples")
    let resource = source.resource(
      sourceTitle: sourceMetadata?.titleText ?? edition.title,
      sourceVersion: sourceMetadata?.child(named: "version")?.normalizedText ?? "unknown")

    return OSCALCatalog(
      uuid: edition.catalogUUID, metadata: metadata,
      groups: root.children(named: "group").map(function), resources: [resource])
  }

  private func function(_ node: XMLElementNode) -> OSCALCatalog.Group {
    var group = OSCALCatalog.Group(
      id: required(node[attribute: "id"], "function id", at: node), class: "function",
      title: required(node.titleText, "function title", at: node))
    group.props = labelAndSortID(of: node)
    group.parts = node.parts(named: "overview").map { prose(of: $0, name: "overview") }
    group.controls = node.children(named: "control").map(category)
    return group
  }

  private func category(_ node: XMLElementNode) -> OSCALCatalog.Control {
    var control = OSCALCatalog.Control(
      id: required(node[attribute: "id"], "category id", at: node), class: "category",
      title: required(node.titleText, "category title", at: node))
    control.props = labelAndSortID(of: node) + status(of: node)
    control.links = withdrawalLinks(of: node)
    // Withdrawn categories have an empty statement, which says nothing worth keeping.
    control.parts = node.parts(named: "statement").filter { !$0.paragraphs.isEmpty }.map {
      prose(of: $0, name: "statement")
    }
    control.controls = node.children(named: "control").map(subcategory)
    return control
  }

  private func subcategory(_ node: XMLElementNode) -> OSCALCatalog.Control {
    var control = OSCALCatalog.Control(
      id: required(node[attribute: "id"], "subcategory id", at: node), class: "subcategory",
      title: required(node.titleText, "subcategory title", at: node))
    control.props = labelAndSortID(of: node) + status(of: node) + riskParty(of: node)
    control.links = withdrawalLinks(of: node)
    control.parts =
      node.parts(named: "statement").map { prose(of: $0, name: "statement") }
      + node.parts(named: "example").map { prose(of: $0, name: "example") }
    if !node.isWithdrawn && control.parts.first?.name != "statement" {
      diagnostics.error("subcategory \(control.id) has no statement", at: node.location)
    }
    return control
  }

  private func labelAndSortID(of node: XMLElementNode) -> [OSCALCatalog.Property] {
    [
      .init("label", required(node.propertyValue("label"), "label", at: node)),
      .init("sort-id", required(node.propertyValue("sort-id"), "sort-id", at: node)),
    ]
  }

  private func status(of node: XMLElementNode) -> [OSCALCatalog.Property] {
    node.isWithdrawn ? [.init("status", "withdrawn")] : []
  }

  /// NIST's `risk-party` property says whether the risk is the organisation's own or a third
  /// party's; its remarks spell that out.
  private func riskParty(of node: XMLElementNode) -> [OSCALCatalog.Property] {
    node.children(named: "prop").filter { $0[attribute: "name"] == "risk-party" }.map {
      OSCALCatalog.Property(
        "risk-party", required($0[attribute: "value"], "risk-party value", at: $0),
        namespace: $0[attribute: "ns"], remarks: $0.child(named: "remarks")?.paragraphs ?? [])
    }
  }

  /// Links are copied exactly: NIST's hrefs here are bare CSF 2.0 ids, not `#` fragments.
  private func withdrawalLinks(of node: XMLElementNode) -> [OSCALCatalog.Link] {
    let links = node.children(named: "link").map {
      OSCALCatalog.Link(
        href: required($0[attribute: "href"], "link href", at: $0),
        rel: required($0[attribute: "rel"], "link rel", at: $0))
    }
    for link in links where !["moved_to", "incorporated_into"].contains(link.rel) {
      diagnostics.warning("unexpected link relation \(link.rel)", at: node.location)
    }
    if !links.isEmpty && !node.isWithdrawn {
      diagnostics.warning("links on a control that is not withdrawn", at: node.location)
    }
    return links
  }

  private func prose(of node: XMLElementNode, name: String) -> OSCALCatalog.Part {
    OSCALCatalog.Part(
      id: node[attribute: "id"], name: name, namespace: node[attribute: "ns"],
      prose: node.paragraphs)
  }

  private func required(_ value: String?, _ what: String, at node: XMLElementNode) -> String {
    diagnostics.required(value, what, at: node)
  }
}
