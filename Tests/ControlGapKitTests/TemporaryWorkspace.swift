import Foundation

/// A workspace folder written by a test, removed when the value is released.
final class TemporaryWorkspace {
  let root: URL

  /// Creates a workspace with the given files (path relative to the workspace → contents).
  /// `workspace.xml` and one valid controls file are added unless the test supplies its own.
  init(_ files: [String: String] = [:], defaults: Bool = true) throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-test-\(UUID().uuidString)")
    var all = defaults ? Self.defaultFiles : [:]
    all.merge(files) { _, new in new }
    for (path, contents) in all {
      try write(path, contents)
    }
  }

  deinit {
    try? FileManager.default.removeItem(at: root)
  }

  func write(_ path: String, _ contents: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(contents.utf8).write(to: url)
  }

  static func settings(frameworks: [String] = ["nist-csf-2.0"], extra: String = "") -> String {
    let list = frameworks.map { "<framework ref=\"\($0)\"/>" }.joined()
    return """
      <?xml version="1.0"?>
      <workspace xmlns="urn:controlgap:workspace:1">
        <organisation>Test Org</organisation>
        <period>2026-Q4</period>
        <frameworks>\(list)</frameworks>
      \(extra)</workspace>

      """
  }

  /// A controls document around the given control elements.
  static func controls(_ body: String) -> String {
    """
    <?xml version="1.0"?>
    <controls xmlns="urn:controlgap:workspace:1">
    \(body)
    </controls>

    """
  }

  static func findings(_ body: String) -> String {
    """
    <?xml version="1.0"?>
    <findings xmlns="urn:controlgap:workspace:1">
    \(body)
    </findings>

    """
  }

  static func control(
    id: String = "C-1", status: String = "implemented",
    requirements: [String] = ["PR.AA-03"], framework: String = "nist-csf-2.0",
    evidence: String = "<evidence path=\"evidence/e.txt\" effective=\"2026-11-01\">log</evidence>"
  ) -> String {
    let refs = requirements.map { "<requirement framework=\"\(framework)\" ref=\"\($0)\"/>" }
      .joined()
    return """
      <control id="\(id)"><title>Control \(id)</title><owner>IAM</owner><status>\(status)</status>\
      <satisfies>\(refs)</satisfies>\(evidence)</control>
      """
  }

  static func finding(
    id: String = "F-1", control: String = "C-1", count: Int = 10, challenges: Int = 1000,
    users: Int = 5, driver: String = "convenience", first: String = "2026-10-01",
    last: String = "2026-12-01", exception: String = ""
  ) -> String {
    """
    <finding id="\(id)" control="\(control)"><first-seen>\(first)</first-seen>\
    <last-seen>\(last)</last-seen><app>Portal</app><role>Analyst</role><location>Office</location>\
    <device>Laptop</device><action-type>view</action-type><count>\(count)</count>\
    <challenges>\(challenges)</challenges><distinct-users>\(users)</distinct-users>\
    <driver>\(driver)</driver>\(exception)</finding>
    """
  }

  static let defaultFiles: [String: String] = [
    "workspace.xml": settings(),
    "controls/controls.xml": controls(control()),
    "evidence/e.txt": "evidence\n",
  ]
}
