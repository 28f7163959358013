/// A NIST OSCAL catalog that one of ControlGap's catalogs is generated from.
///
/// It supplies what the generated catalog says about its origin: the `source` link and its
/// back-matter resource, NIST as author, and the public-domain note.
struct NISTSource: Equatable {
  /// The file's path below the shared data directory.
  var path: String
  /// Where NIST publishes the file, at the commit the shared copy corresponds to.
  var url: String
  var resourceTitle: String
  var resourceUUID: String

  static let partyUUID = "fc17e630-a384-56cd-9dce-2fdbc9f6135b"

  static let csf = NISTSource(
    path: "nist-oscal-content/catalogs/NIST_CSF_v2.0_catalog.xml",
    url: "https://github.com/usnistgov/oscal-content/blob/"
      + "78650f02ad9321bb7b817846f8fbd4f2bcd620de/nist.gov/CSF/v2.0/xml/NIST_CSF_v2.0_catalog.xml",
    resourceTitle: "NIST CSF 2.0 OSCAL catalog (usnistgov/oscal-content)",
    resourceUUID: "4085ddf9-e180-5e2a-9a65-8035abb22511")

  static let aiRMF = NISTSource(
    path: "nist-oscal-content/catalogs/NIST_AI-RMF_v1_catalog.xml",
    url: "https://github.com/usnistgov/oscal-content/blob/"
      + "880a6011cf19b2b876869e7da94cc436d86e2956/src/nist.gov/AI100-1/ver1/xml/"
      + "NIST_AI-RMF_v1_catalog.xml",
    resourceTitle: "NIST AI RMF 1.0 OSCAL catalog (usnistgov/oscal-content)",
    resourceUUID: "39581881-003d-5a77-b8df-61effd34cbb9")

  /// The back-matter resource the metadata's `source` link points to.
  func resource(sourceTitle: String, sourceVersion: String) -> OSCALCatalog.Resource {
    OSCALCatalog.Resource(
      uuid: resourceUUID, title: MarkupLine(resourceTitle),
      description: [
        MarkupLine("\(sourceTitle), version \(sourceVersion), published by NIST in OSCAL.")
      ],
      rlinks: [OSCALCatalog.ResourceLink(href: url, mediaType: "application/xml")])
  }

  /// Adds the source link, NIST as author, and the licence note to `metadata`.
  func describeOrigin(in metadata: inout OSCALCatalog.Metadata, keeping kept: String) {
    metadata.links.append(OSCALCatalog.Link(href: "#\(resourceUUID)", rel: "source"))
    metadata.roles.append(OSCALCatalog.Role(id: "author", title: "Author of the framework"))
    metadata.parties.append(
      OSCALCatalog.Party(
        uuid: Self.partyUUID, type: "organization",
        name: "National Institute of Standards and Technology", shortName: "NIST"))
    metadata.responsibleParties.append(
      OSCALCatalog.ResponsibleParty(roleID: "author", partyUUID: Self.partyUUID))
    metadata.remarks.append(contentsOf: [
      MarkupLine(
        "The framework text in this catalog (\(kept)) is NIST's, taken unchanged from NIST's"
          + " OSCAL catalog named in the source link. It is a work of the United States"
          + " Government and in the public domain in the United States; NIST's oscal-content"
          + " repository also dedicates it to the public domain worldwide under CC0 1.0."),
      MarkupLine(
        "ControlGap generates this file with its FrameworkBuilder tool. Only the structure"
          + " around the text is ControlGap's: identifiers, metadata and the OSCAL version"
          + " this file declares."),
    ])
  }
}
