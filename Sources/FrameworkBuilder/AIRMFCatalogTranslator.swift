import ControlGapKit

/// Translates NIST's OSCAL catalog of the AI Risk Management Framework 1.0 into ControlGap's.
///
/// NIST's file lists the functions alphabetically after GOVERN; ControlGap uses the order the
/// framework itself presents them in. Each subcategory's outcome, which NIST puts in an
/// `overview` part, becomes the `statement`; the AI RMF Playbook's suggested actions, about
/// text and documentation questions become `guidance` parts. The Playbook references stay as
/// links to back-matter resources.
struct AIRMFCatalogTranslator {
  static let functionOrder = ["GOVERN", "MAP", "MEASURE", "MANAGE"]

  let edition = FrameworkEdition.aiRMF
  let source = NISTSource.aiRMF
  let diagnostics: DiagnosticSink

  func catalog(from root: XMLElementNode) -> OSCALCatalog {
    let sourceMetadata = root.child(named: "metadata")
    var metadata = edition.baseMetadata
    source.describeOrigin(
      in: &metadata,
      keeping: "function, category and subcategory statements, and the AI RMF Playbook's"
        + " suggested actions, about text, documentation questions and references")

    let sourceGroups = root.children(named: "group")
    var groups: [OSCALCatalog.Group] = []
    for (index, id) in Self.functionOrder.enumerated() {
      guard let node = sourceGroups.first(where: { $0[attribute: "id"] == id }) else {
        diagnostics.error("function \(id) is missing", at: root.location)
        continue
      }
      groups.append(function(node, position: index + 1))
    }
    for node in sourceGroups where !Self.functionOrder.contains(node[attribute: "id"] ?? "") {
      diagnostics.warning("unknown function is left out", at: node.location)
    }

    let origin = source.resource(
      sourceTitle: sourceMetadata?.titleText ?? edition.title,
      sourceVersion: sourceMetadata?.child(named: "version")?.normalizedText ?? "unknown")
    return OSCALCatalog(
      uuid: edition.catalogUUID, metadata: metadata, groups: groups,
      resources: [origin] + referencedResources(of: groups, in: root))
  }

  private func function(_ node: XMLElementNode, position: Int) -> OSCALCatalog.Group {
    let title = diagnostics.required(node.titleText, "function title", at: node)
    var group = OSCALCatalog.Group(
      id: diagnostics.required(node[attribute: "id"], "function id", at: node),
      class: "function", title: title)
    group.props = [.init("label", title), .init("sort-id", sortID(of: node, position: position))]
    group.parts = node.parts(named: "overview").map {
      OSCALCatalog.Part(id: $0[attribute: "id"], name: "overview", prose: $0.paragraphs)
    }
    group.controls = node.children(named: "control").map { category($0, position: position) }
    return group
  }

  private func category(_ node: XMLElementNode, position: Int) -> OSCALCatalog.Control {
    let title = diagnostics.required(node.titleText, "category title", at: node)
    var control = OSCALCatalog.Control(
      id: diagnostics.required(node[attribute: "id"], "category id", at: node),
      class: "category", title: title)
    control.props = [
      .init("label", title), .init("sort-id", sortID(of: node, position: position)),
    ]
    control.parts = node.parts(named: "statement").map {
      OSCALCatalog.Part(id: $0[attribute: "id"], name: "statement", prose: $0.paragraphs)
    }
    control.controls = node.children(named: "control").map {
      subcategory($0, position: position)
    }
    return control
  }

  private func subcategory(_ node: XMLElementNode, position: Int) -> OSCALCatalog.Control {
    let id = diagnostics.required(node[attribute: "id"], "subcategory id", at: node)
    let title = diagnostics.required(node.titleText, "subcategory title", at: node)
    var control = OSCALCatalog.Control(id: id, class: "subcategory", title: title)
    control.props = [
      .init("label", title), .init("sort-id", sortID(of: node, position: position)),
    ]
    control.links = node.children(named: "link").map {
      OSCALCatalog.Link(
        href: diagnostics.required($0[attribute: "href"], "link href", at: $0),
        rel: diagnostics.required($0[attribute: "rel"], "link rel", at: $0))
    }

    let outcome = node.parts(named: "overview")
    if outcome.count != 1 {
      diagnostics.error("subcategory \(id) has \(outcome.count) outcome parts", at: node.location)
    }
    control.parts = outcome.map {
      OSCALCatalog.Part(id: "\(id)_smt", name: "statement", prose: $0.paragraphs)
    }
    control.parts += node.parts(named: "statement", class: "suggested_action").compactMap {
      list(id: $0[attribute: "id"], class: "suggested-actions", items: $0.parts(named: "item"))
    }
    control.parts += node.parts(named: "guidance", class: "about").map {
      OSCALCatalog.Part(
        id: $0[attribute: "id"], name: "guidance", class: "about", prose: $0.paragraphs)
    }
    let questions = node.parts(named: "guidance", class: "documentation")
    if let documentation = list(id: "D-\(id)", class: "documentation", items: questions) {
      control.parts.append(documentation)
    }
    return control
  }

  /// A guidance part whose entries are `item` parts, or `nil` when there are no entries:
  /// NIST's file has an empty suggested-actions part in MANAGE 4.2.
  private func list(
    id: String?, class listClass: String, items: [XMLElementNode]
  ) -> OSCALCatalog.Part? {
    let entries = items.map {
      OSCALCatalog.Part(id: $0[attribute: "id"], name: "item", prose: $0.paragraphs)
    }
    guard !entries.isEmpty else { return nil }
    return OSCALCatalog.Part(
      id: id, name: "guidance", class: listClass, parts: entries)
  }

  /// NIST's sort-id with the function's place in ControlGap's order as its first component.
  private func sortID(of node: XMLElementNode, position: Int) -> String {
    let nist = diagnostics.required(node.propertyValue("sort-id"), "sort-id", at: node)
    let digits = String(position)
    let first = String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    return ([first] + nist.split(separator: ".").dropFirst().map(String.init))
      .joined(separator: ".")
  }

  /// The source's back-matter resources that the kept links point to, in the source's order.
  private func referencedResources(
    of groups: [OSCALCatalog.Group], in root: XMLElementNode
  ) -> [OSCALCatalog.Resource] {
    let links = groups.flatMap(\.controls).flatMap(\.controls).flatMap(\.links)
    let referenced = Set(links.map { String($0.href.drop { $0 == "#" }) })
    let resources = root.child(named: "back-matter")?.children(named: "resource") ?? []
    let available = Set(resources.compactMap { $0[attribute: "uuid"] })
    for link in links where !available.contains(String(link.href.drop { $0 == "#" })) {
      diagnostics.error("link \(link.href) points to no resource", at: root.location)
    }

    return resources.filter { referenced.contains($0[attribute: "uuid"] ?? "") }.map { node in
      OSCALCatalog.Resource(
        uuid: diagnostics.required(node[attribute: "uuid"], "resource uuid", at: node),
        title: node.child(named: "title").map(MarkupLine.init(folding:)) ?? MarkupLine(""),
        rlinks: node.children(named: "rlink").map {
          OSCALCatalog.ResourceLink(
            href: diagnostics.required($0[attribute: "href"], "rlink href", at: $0),
            mediaType: $0[attribute: "media-type"])
        })
    }
  }
}
