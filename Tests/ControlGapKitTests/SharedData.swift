import Foundation
import Testing

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
    FileManager.default.fileExists(atPath: root.path)
  }

  /// The reason shown for a skipped test.
  static let absence: Comment = "../shared/data is not present beside this clone"

  static func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }

  static let catalogs = "nist-oscal-content/catalogs"
}
