/// The fixed facts about one catalog ControlGap ships: its key, names, file and identifiers.
///
/// UUIDs and the timestamp are constants so that every run writes the same bytes. The UUIDs
/// were generated once as version-5 UUIDs from the namespace `urn:controlgap:oscal` and a name
/// such as `catalog/nist-csf-2.0`; change `lastModified` by hand when the content changes.
struct FrameworkEdition: Equatable {
  /// ControlGap's key for the framework, used in workspace files.
  var key: String
  /// The short name shown to users.
  var displayName: String
  var title: String
  var version: String
  var fileName: String
  var catalogUUID: String
  /// NIST's CPRT identifier of the edition, where NIST publishes one. ControlGap uses it to
  /// recognise another file of the same edition and check it against this one.
  var nistEdition: String? = nil

  static let propertyNamespace = "urn:controlgap:oscal"
  static let lastModified = "2026-12-04T00:00:00Z"

  static let csf = FrameworkEdition(
    key: "nist-csf-2.0", displayName: "NIST CSF 2.0",
    title: "NIST Cybersecurity Framework (CSF) 2.0", version: "2.0",
    fileName: "nist-csf-2.0.xml", catalogUUID: "aa292bec-af94-5208-a6a7-421e0892334b",
    nistEdition: "CSF_2_0_0")

  static let aiRMF = FrameworkEdition(
    key: "nist-ai-rmf-1.0", displayName: "NIST AI RMF 1.0",
    title: "NIST Artificial Intelligence Risk Management Framework (AI RMF 1.0)", version: "1.0",
    fileName: "nist-ai-rmf-1.0.xml", catalogUUID: "bc482653-37d0-5783-be92-90055199ec62",
    nistEdition: "AI_100_1_0_0")

  static let nhiTopTen = FrameworkEdition(
    key: "owasp-nhi-2025", displayName: "OWASP NHI Top 10 2025",
    title: "OWASP Non-Human Identities Top 10 (2025)", version: "2025",
    fileName: "owasp-nhi-top10-2025.xml", catalogUUID: "cf7a34d0-be8a-507a-b957-613e2ec7c39d")

  /// The properties every ControlGap catalog carries, naming the framework.
  var identityProperties: [OSCALCatalog.Property] {
    var properties: [OSCALCatalog.Property] = [
      .init("framework-key", key, namespace: Self.propertyNamespace),
      .init("framework-name", displayName, namespace: Self.propertyNamespace),
    ]
    if let nistEdition {
      properties.append(
        .init(
          "framework-version-identifier", nistEdition, namespace: "https://csrc.nist.gov/ns/cprt"))
    }
    return properties
  }

  /// Metadata with the edition's title, version and identity properties filled in.
  var baseMetadata: OSCALCatalog.Metadata {
    OSCALCatalog.Metadata(
      title: title, lastModified: Self.lastModified, version: version,
      props: identityProperties)
  }
}
