import Foundation
import Testing

@testable import ControlGapKit

/// One test from the Mustache specification's JSON files.
struct MustacheSpecCase: CustomTestStringConvertible, Sendable {
  /// The spec files this engine follows. The optional lambda module needs code in the data,
  /// which a JSON-driven engine cannot have, so it is left out.
  static let modules = [
    "comments", "delimiters", "interpolation", "inverted", "partials", "sections",
    "~inheritance", "~dynamic-names",
  ]

  /// The specification, a sibling of the package root, as in the project's shared workspace.
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("../shared/data/mustache-spec/specs")
    .standardized

  /// Swift Testing prints this as the reason when it skips the spec tests.
  static let missingReason: Comment =
    "the Mustache spec files are not at ../shared/data/mustache-spec/specs beside the package"

  static var isAvailable: Bool {
    FileManager.default.fileExists(atPath: folder.appendingPathComponent("sections.json").path)
  }

  /// Every case of every module, or none when the specification is not there.
  static let all: [MustacheSpecCase] = modules.flatMap(load)

  let module: String
  let name: String
  let template: String
  let data: MustacheValue
  let partials: [String: String]
  let expected: String

  var testDescription: String { "\(module): \(name)" }

  private static func load(_ module: String) -> [MustacheSpecCase] {
    let url = folder.appendingPathComponent("\(module).json")
    guard let data = try? Data(contentsOf: url),
      let file = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let tests = file["tests"] as? [[String: Any]]
    else { return [] }

    var seen: [String: Int] = [:]
    return tests.map { test in
      // The inheritance module has two tests with the same name; number the repeats.
      let name = test["name"] as? String ?? "unnamed"
      seen[name, default: 0] += 1
      let count = seen[name] ?? 1
      return MustacheSpecCase(
        module: module,
        name: count == 1 ? name : "\(name) (\(count))",
        template: test["template"] as? String ?? "",
        data: MustacheValue(jsonObject: test["data"] ?? NSNull()),
        partials: test["partials"] as? [String: String] ?? [:],
        expected: test["expected"] as? String ?? "")
    }
  }
}

@Suite("Mustache specification")
struct MustacheSpecTests {
  @Test(
    "spec case renders as expected",
    .enabled(if: MustacheSpecCase.isAvailable, MustacheSpecCase.missingReason),
    arguments: MustacheSpecCase.all)
  func specCase(_ spec: MustacheSpecCase) throws {
    let template = try MustacheTemplate(source: spec.template, name: "template")
    var partials: [String: MustacheTemplate] = [:]
    for (name, source) in spec.partials {
      partials[name] = try MustacheTemplate(source: source, name: name)
    }

    let output = try template.render(spec.data, partials: partials, escape: HTMLEscaping.escape)

    #expect(output == spec.expected)
  }

  @Test(
    "every module of the specification is found",
    .enabled(if: MustacheSpecCase.isAvailable, MustacheSpecCase.missingReason))
  func modulesFound() {
    let counts = Dictionary(grouping: MustacheSpecCase.all, by: \.module).mapValues(\.count)
    #expect(
      counts == [
        "comments": 12, "delimiters": 14, "interpolation": 42, "inverted": 22, "partials": 12,
        "sections": 34, "~inheritance": 27, "~dynamic-names": 21,
      ])
  }
}
