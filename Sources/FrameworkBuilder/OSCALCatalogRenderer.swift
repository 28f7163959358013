import ControlGapKit
import Foundation

/// Turns an `OSCALCatalog` into OSCAL catalog XML.
///
/// Children are written in the order the OSCAL 1.2.1 catalog schema requires, which is why
/// each assembly has its own function rather than a generic walk.
enum OSCALCatalogRenderer {
  typealias Element = XMLWriter.Element

  static let namespace = "http://csrc.nist.gov/ns/oscal/1.0"
  static let oscalVersion = "1.2.1"

  /// The catalog document as UTF-8 bytes.
  ///
  /// - Throws: `ControlGapFailure` when the writer refuses a value.
  static func document(_ catalog: OSCALCatalog) throws -> Data {
    try XMLWriter().document(element(catalog))
  }

  static func element(_ catalog: OSCALCatalog) -> Element {
    var root = Element("catalog", namespace: namespace, ["uuid": catalog.uuid])
    root.append(metadata(catalog.metadata))
    root.append(contentsOf: catalog.groups.map(group))
    if !catalog.resources.isEmpty {
      root.append(Element("back-matter", children: catalog.resources.map(resource)))
    }
    return root
  }

  private static func metadata(_ metadata: OSCALCatalog.Metadata) -> Element {
    var element = Element(
      "metadata",
      children: [
        Element("title", text: metadata.title),
        Element("last-modified", text: metadata.lastModified),
        Element("version", text: metadata.version),
        Element("oscal-version", text: oscalVersion),
      ])
    element.append(contentsOf: metadata.props.map(property))
    element.append(contentsOf: metadata.links.map(link))
    element.append(
      contentsOf: metadata.roles.map {
        Element("role", ["id": $0.id], children: [Element("title", text: $0.title)])
      })
    element.append(contentsOf: metadata.parties.map(party))
    element.append(
      contentsOf: metadata.responsibleParties.map {
        Element(
          "responsible-party", ["role-id": $0.roleID],
          children: [Element("party-uuid", text: $0.partyUUID)])
      })
    if !metadata.remarks.isEmpty {
      element.append(remarks(metadata.remarks))
    }
    return element
  }

  private static func party(_ party: OSCALCatalog.Party) -> Element {
    var element = Element(
      "party", ["uuid": party.uuid, "type": party.type],
      children: [Element("name", text: party.name)])
    if let shortName = party.shortName {
      element.append(Element("short-name", text: shortName))
    }
    return element
  }

  private static func group(_ group: OSCALCatalog.Group) -> Element {
    var element = Element(
      "group", ["id": group.id, "class": group.class],
      children: [Element("title", text: group.title)])
    element.append(contentsOf: group.props.map(property))
    element.append(contentsOf: group.parts.map(part))
    element.append(contentsOf: group.controls.map(control))
    return element
  }

  private static func control(_ control: OSCALCatalog.Control) -> Element {
    var element = Element(
      "control", ["id": control.id, "class": control.class],
      children: [Element("title", text: control.title)])
    element.append(contentsOf: control.props.map(property))
    element.append(contentsOf: control.links.map(link))
    element.append(contentsOf: control.parts.map(part))
    element.append(contentsOf: control.controls.map(self.control))
    return element
  }

  private static func part(_ part: OSCALCatalog.Part) -> Element {
    var element = Element(
      "part", ["id": part.id, "name": part.name, "ns": part.namespace, "class": part.class])
    if let title = part.title {
      element.append(Element("title", text: title))
    }
    element.append(contentsOf: part.prose.map(paragraph))
    element.append(contentsOf: part.parts.map(self.part))
    return element
  }

  private static func property(_ property: OSCALCatalog.Property) -> Element {
    var element = Element(
      "prop", ["name": property.name, "ns": property.namespace, "value": property.value])
    if !property.remarks.isEmpty {
      element.append(remarks(property.remarks))
    }
    return element
  }

  private static func link(_ link: OSCALCatalog.Link) -> Element {
    Element("link", ["href": link.href, "rel": link.rel])
  }

  private static func resource(_ resource: OSCALCatalog.Resource) -> Element {
    var element = Element(
      "resource", ["uuid": resource.uuid],
      children: [Element("title", content: resource.title.content)])
    if !resource.description.isEmpty {
      element.append(Element("description", children: resource.description.map(paragraph)))
    }
    element.append(
      contentsOf: resource.rlinks.map {
        Element("rlink", ["href": $0.href, "media-type": $0.mediaType])
      })
    return element
  }

  private static func remarks(_ lines: [MarkupLine]) -> Element {
    Element("remarks", children: lines.map(paragraph))
  }

  private static func paragraph(_ line: MarkupLine) -> Element {
    Element("p", content: line.content)
  }
}
