/// The walk from an OSCAL catalog's XML tree to the `Catalog` value.
struct CatalogConversion {
  let diagnostics: DiagnosticSink
  private(set) var failed = false
  private var firstSeen: [String: SourceLocation] = [:]

  init(diagnostics: DiagnosticSink) {
    self.diagnostics = diagnostics
  }

  mutating func catalog(from root: XMLElementNode, key fallbackKey: String) -> Catalog {
    let metadata = root.child(named: "metadata")
    if metadata == nil {
      diagnostics.warning("catalog has no metadata", at: root.location)
    }
    let props = metadata?.children(named: "prop").map(prop) ?? []
    var key = fallbackKey
    if let declared = props.first(where: {
      $0.name == "framework-key" && $0.namespace == CatalogLoader.controlGapNamespace
    }) {
      if CatalogLoader.isValidKey(declared.value) {
        key = declared.value
      } else {
        diagnostics.warning(
          "framework-key may hold only letters, digits, '-', '.' and '_'; using '\(fallbackKey)'",
          at: metadata?.location)
      }
    }
    let title = metadata?.child(named: "title")?.normalizedText ?? key
    let name =
      props.first {
        $0.name == "framework-name" && $0.namespace == CatalogLoader.controlGapNamespace
      }?
      .value ?? title

    var oscalVersion = metadata?.child(named: "oscal-version")?.normalizedText ?? ""
    if oscalVersion.first == "v" || oscalVersion.first == "V" { oscalVersion.removeFirst() }
    if let element = metadata?.child(named: "oscal-version"), !oscalVersion.hasPrefix("1.") {
      diagnostics.warning(
        "oscal-version '\(element.normalizedText)' is not 1.x; reading it as OSCAL 1.x",
        at: element.location)
    }

    let groups = root.children(named: "group").map { group(from: $0) }
    let controls = root.children(named: "control").map { control(from: $0) }
    let resources =
      root.child(named: "back-matter")?.children(named: "resource").map { resource in
        BackMatterResource(
          uuid: resource[attribute: "uuid"] ?? "",
          title: resource.child(named: "title")?.normalizedText,
          hrefs: resource.children(named: "rlink").compactMap { $0[attribute: "href"] })
      } ?? []

    return Catalog(
      key: key, name: name, title: title,
      version: metadata?.child(named: "version")?.normalizedText ?? "",
      oscalVersion: oscalVersion, uuid: root[attribute: "uuid"] ?? "", metadataProps: props,
      groups: groups, controls: controls, backMatter: resources, location: root.location)
  }

  private mutating func group(from element: XMLElementNode) -> CatalogGroup {
    if let id = element[attribute: "id"] { noteID(id, at: element.location) }
    let params = element.children(named: "param").map(param)
    return CatalogGroup(
      id: element[attribute: "id"], class: element[attribute: "class"],
      title: title(of: element),
      props: element.children(named: "prop").map(prop),
      parts: parts(of: element, params: params),
      groups: element.children(named: "group").map { group(from: $0) },
      controls: element.children(named: "control").map { control(from: $0) },
      location: element.location)
  }

  private mutating func control(from element: XMLElementNode) -> CatalogControl {
    let id = element[attribute: "id"] ?? ""
    if id.isEmpty {
      diagnostics.error("control has no id", at: element.location)
      failed = true
    } else {
      noteID(id, at: element.location)
    }
    let params = element.children(named: "param").map(param)
    return CatalogControl(
      id: id, class: element[attribute: "class"], title: title(of: element),
      props: element.children(named: "prop").map(prop), params: params,
      links: element.children(named: "link").map(link),
      parts: parts(of: element, params: params),
      controls: element.children(named: "control").map { control(from: $0) },
      location: element.location)
  }

  private mutating func noteID(_ id: String, at location: SourceLocation) {
    if let first = firstSeen[id] {
      diagnostics.error(
        "duplicate id '\(id)' (first defined at line \(first.line))", at: location)
      failed = true
    } else {
      firstSeen[id] = location
    }
  }

  private func title(of element: XMLElementNode) -> String {
    guard let title = element.child(named: "title") else {
      diagnostics.warning("'\(element.name)' has no title", at: element.location)
      return element[attribute: "id"] ?? ""
    }
    return title.normalizedText
  }

  private func prop(_ element: XMLElementNode) -> CatalogProp {
    CatalogProp(
      name: element[attribute: "name"] ?? "", value: element[attribute: "value"] ?? "",
      namespace: element[attribute: "ns"], class: element[attribute: "class"])
  }

  private func link(_ element: XMLElementNode) -> CatalogLink {
    CatalogLink(
      href: element[attribute: "href"] ?? "", rel: element[attribute: "rel"],
      text: element.normalizedText)
  }

  private func param(_ element: XMLElementNode) -> CatalogParam {
    let select = element.child(named: "select")
    return CatalogParam(
      id: element[attribute: "id"] ?? "",
      label: element.child(named: "label")?.normalizedText,
      values: element.children(named: "value").map(\.normalizedText),
      choices: select?.children(named: "choice").map {
        ProseRendering(params: [:]).inline($0)
      } ?? [],
      howMany: select?[attribute: "how-many"])
  }

  /// The parts of a group or control, with inserts resolved against its params.
  private func parts(of element: XMLElementNode, params: [CatalogParam]) -> [CatalogPart] {
    let byID = Dictionary(params.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let rendering = ProseRendering(params: byID)
    return element.children(named: "part").map { part(from: $0, rendering: rendering) }
  }

  private func part(from element: XMLElementNode, rendering: ProseRendering) -> CatalogPart {
    CatalogPart(
      id: element[attribute: "id"], name: element[attribute: "name"] ?? "",
      class: element[attribute: "class"],
      title: element.child(named: "title")?.normalizedText,
      props: element.children(named: "prop").map(prop),
      prose: rendering.prose(of: element),
      parts: element.children(named: "part").map { part(from: $0, rendering: rendering) })
  }
}
