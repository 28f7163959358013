import ControlGapKit

/// The part of the OSCAL catalog model that ControlGap's framework catalogs use.
///
/// Each translator builds one of these from its source; `OSCALCatalogRenderer` turns it into
/// XML in the element order the OSCAL catalog schema requires.
struct OSCALCatalog: Equatable {
  var uuid: String
  var metadata: Metadata
  var groups: [Group]
  var resources: [Resource] = []

  struct Metadata: Equatable {
    var title: String
    var lastModified: String
    var version: String
    var props: [Property] = []
    var links: [Link] = []
    var roles: [Role] = []
    var parties: [Party] = []
    var responsibleParties: [ResponsibleParty] = []
    var remarks: [MarkupLine] = []
  }

  struct Property: Equatable {
    var name: String
    var value: String
    var namespace: String?
    var remarks: [MarkupLine] = []

    init(_ name: String, _ value: String, namespace: String? = nil, remarks: [MarkupLine] = []) {
      self.name = name
      self.value = value
      self.namespace = namespace
      self.remarks = remarks
    }
  }

  struct Link: Equatable {
    var href: String
    var rel: String
  }

  struct Role: Equatable {
    var id: String
    var title: String
  }

  struct Party: Equatable {
    var uuid: String
    var type: String
    var name: String
    var shortName: String?
  }

  struct ResponsibleParty: Equatable {
    var roleID: String
    var partyUUID: String
  }

  struct Group: Equatable {
    var id: String
    var `class`: String
    var title: String
    var props: [Property] = []
    var parts: [Part] = []
    var controls: [Control] = []
  }

  struct Control: Equatable {
    var id: String
    var `class`: String
    var title: String
    var props: [Property] = []
    var links: [Link] = []
    var parts: [Part] = []
    var controls: [Control] = []
  }

  /// A part holds prose paragraphs, then nested parts.
  struct Part: Equatable {
    var id: String?
    var name: String
    var namespace: String?
    var `class`: String?
    var title: String?
    var prose: [MarkupLine] = []
    var parts: [Part] = []
  }

  /// A back-matter resource: something a link's `#uuid` points to.
  struct Resource: Equatable {
    var uuid: String
    var title: MarkupLine
    var description: [MarkupLine] = []
    var rlinks: [ResourceLink]
  }

  struct ResourceLink: Equatable {
    var href: String
    var mediaType: String?
  }
}

/// One line of OSCAL prose: text with inline markup such as `q` or `em`.
struct MarkupLine: Equatable {
  var content: [XMLWriter.Element.Content]

  init(_ text: String) {
    content = [.text(text)]
  }

  init(content: [XMLWriter.Element.Content]) {
    self.content = content
  }
}
