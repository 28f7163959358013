import ControlGapKit
import Foundation

/// Builds ControlGap's catalog of the OWASP Non-Human Identities Top 10 (2025).
///
/// Only the identifiers, codes, ranks and titles come from the OWASP list; the descriptions
/// and guidance are ControlGap's own (`NHIRiskNarrative`). The list is licensed CC BY-SA 4.0,
/// so the catalog carries OWASP's attribution and the same licence.
struct NHITopTenTranslator {
  static let projectURL = "https://owasp.org/www-project-non-human-identities-top-10/2025/"
  static let licenseURL = "https://creativecommons.org/licenses/by-sa/4.0/"
  static let partyUUID = "5e6475b5-0f79-52fd-847a-7ef007b11724"
  static let groupID = "nhi-top10-2025"

  /// One entry of the OWASP list, as far as ControlGap uses it.
  struct Risk: Equatable {
    var id: String
    var code: String
    var rank: Int
    var title: String
  }

  let edition = FrameworkEdition.nhiTopTen
  let displayPath: String
  let diagnostics: DiagnosticSink

  func catalog(fromJSON data: Data) -> OSCALCatalog {
    let risks = self.risks(fromJSON: data).sorted { $0.rank < $1.rank }
    let controls = risks.compactMap(control)
    for narrative in NHIRiskNarrative.all where !risks.contains(where: { $0.id == narrative.id }) {
      diagnostics.error("the list has no risk \(narrative.id)", at: location)
    }

    var metadata = edition.baseMetadata
    metadata.props.append(
      .init("license", "CC-BY-SA-4.0", namespace: FrameworkEdition.propertyNamespace))
    metadata.links = [
      OSCALCatalog.Link(href: Self.projectURL, rel: "source"),
      OSCALCatalog.Link(href: Self.licenseURL, rel: "license"),
    ]
    metadata.roles = [OSCALCatalog.Role(id: "author", title: "Author of the risk list")]
    metadata.parties = [
      OSCALCatalog.Party(
        uuid: Self.partyUUID, type: "organization",
        name: "OWASP Non-Human Identities Top 10 project", shortName: "OWASP NHI Top 10")
    ]
    metadata.responsibleParties = [
      OSCALCatalog.ResponsibleParty(roleID: "author", partyUUID: Self.partyUUID)
    ]
    metadata.remarks = [
      MarkupLine(
        "The risk identifiers, ranks and titles are from the OWASP Top 10 Non-Human Identities"
          + " Risks, 2025 edition, by the OWASP Non-Human Identities Top 10 project"
          + " (\(Self.projectURL)), licensed under CC BY-SA 4.0."),
      MarkupLine(
        "The overviews and guidance are ControlGap's own adaptation, written for this catalog"
          + " rather than copied from OWASP, and are shared under the same licence, CC BY-SA"
          + " 4.0 (\(Self.licenseURL))."),
    ]

    let group = OSCALCatalog.Group(
      id: Self.groupID, class: "risk-list", title: edition.title, controls: controls)
    return OSCALCatalog(uuid: edition.catalogUUID, metadata: metadata, groups: [group])
  }

  private var location: SourceLocation { SourceLocation(path: displayPath) }

  private func control(for risk: Risk) -> OSCALCatalog.Control? {
    guard let narrative = NHIRiskNarrative.all.first(where: { $0.id == risk.id }) else {
      diagnostics.error("ControlGap has no description of risk \(risk.id)", at: location)
      return nil
    }
    let rank = String(risk.rank)
    return OSCALCatalog.Control(
      id: risk.id, class: "risk", title: risk.title,
      props: [
        .init("label", risk.code),
        .init("sort-id", String(repeating: "0", count: max(0, 2 - rank.count)) + rank),
      ],
      parts: [
        OSCALCatalog.Part(
          id: "\(risk.id)_overview", name: "overview", prose: [MarkupLine(narrative.overview)]),
        OSCALCatalog.Part(
          id: "\(risk.id)_guidance", name: "guidance", prose: [MarkupLine(narrative.guidance)]),
      ])
  }

  /// The entries of the list, each checked for the fields ControlGap needs.
  private func risks(fromJSON data: Data) -> [Risk] {
    guard let object = try? JSONSerialization.jsonObject(with: data),
      let document = object as? [String: Any], let entries = document["risks"] as? [Any]
    else {
      diagnostics.error("not a JSON object with a \"risks\" list", at: location)
      return []
    }
    return entries.enumerated().compactMap { index, entry in
      guard let fields = entry as? [String: Any], let id = fields["id"] as? String,
        let code = fields["code"] as? String, let rank = fields["rank"] as? Int,
        let title = fields["title"] as? String, !title.isEmpty
      else {
        diagnostics.error("risk \(index + 1) lacks an id, code, rank or title", at: location)
        return nil
      }
      guard id == "NHI\(rank)", code == "\(id):2025" else {
        diagnostics.error("risk \(id) has code \(code) and rank \(rank)", at: location)
        return nil
      }
      return Risk(id: id, code: code, rank: rank, title: title)
    }
  }
}
