import Foundation

/// Paths to the repository and to the public data set that sits beside it in development.
///
/// The public data (`../shared/data`) is not part of a user's clone; tests that need it check
/// `SharedData.isAvailable` and skip with a printed reason when it is absent.
enum SharedData {
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let root: URL = packageRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/data")

  static var isAvailable: Bool {
    let available = FileManager.default.fileExists(atPath: root.path)
    if !available {
      print("skipping: ../shared/data is not present in this clone")
    }
    return available
  }

  static func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }

  static let catalogs = "nist-oscal-content/catalogs"
}
