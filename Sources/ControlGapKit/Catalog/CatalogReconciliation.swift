/// Checks a catalog loaded from outside against the shipped catalog of the same framework
/// edition, so that ids the framework has withdrawn are not counted by accident.
///
/// NIST published a CSF 2.0 file that lists 79 CSF 1.1 ids with no withdrawn marker. When a
/// catalog declares the same framework edition as a shipped one (the CPRT
/// `framework-version-identifier` prop), any control that the shipped catalog marks withdrawn
/// but this one leaves active is reported and treated as withdrawn, with the shipped links.
public struct CatalogReconciliation: Sendable {
  public let reference: [Framework]

  public init(reference: [Framework]) {
    self.reference = reference
  }

  public func reconcile(_ catalog: Catalog, diagnostics: DiagnosticSink) -> Catalog {
    guard let edition = catalog.metadataProp("framework-version-identifier"),
      let shipped = reference.first(where: {
        $0.catalog.metadataProp("framework-version-identifier") == edition
      })
    else { return catalog }

    var withdrawn: [String: [CatalogLink]] = [:]
    for requirement in shipped.requirements + shipped.categories where requirement.isWithdrawn {
      withdrawn[requirement.id] = requirement.withdrawnTargets.map {
        CatalogLink(href: $0, rel: "moved_to", text: "")
      }
    }
    // The catalog's top level is walked as a group holding its groups and controls.
    let top = mark(
      CatalogGroup(
        id: nil, class: nil, title: catalog.title, props: [], parts: [], groups: catalog.groups,
        controls: catalog.controls, location: catalog.location),
      withdrawn: withdrawn, shipped: shipped, diagnostics: diagnostics)
    var result = catalog
    result.groups = top.groups
    result.controls = top.controls
    return result
  }

  private func mark(
    _ group: CatalogGroup, withdrawn: [String: [CatalogLink]], shipped: Framework,
    diagnostics: DiagnosticSink
  ) -> CatalogGroup {
    var result = group
    result.groups = group.groups.map {
      mark($0, withdrawn: withdrawn, shipped: shipped, diagnostics: diagnostics)
    }
    result.controls = group.controls.map {
      mark($0, withdrawn: withdrawn, shipped: shipped, diagnostics: diagnostics)
    }
    return result
  }

  private func mark(
    _ control: CatalogControl, withdrawn: [String: [CatalogLink]], shipped: Framework,
    diagnostics: DiagnosticSink
  ) -> CatalogControl {
    var result = control
    result.controls = control.controls.map {
      mark($0, withdrawn: withdrawn, shipped: shipped, diagnostics: diagnostics)
    }
    guard !control.isWithdrawn, let links = withdrawn[control.id] else { return result }

    let targets = links.map(\.href).joined(separator: ", ")
    let successor = targets.isEmpty ? "" : " (now \(targets))"
    diagnostics.warning(
      "'\(control.id)' is withdrawn from \(shipped.name)\(successor) but not marked withdrawn here; it is not counted",
      at: control.location)
    result.props.append(CatalogProp(name: "status", value: "withdrawn", namespace: nil, class: nil))
    if control.withdrawnTargets.isEmpty { result.links += links }
    return result
  }
}
