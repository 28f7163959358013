import Foundation
import Testing

/// `controlgap bundle` run as a user runs it.
@Suite("The bundle command end to end")
struct BundleCommandTests {
  @Test("the example's bundle is the same bytes in another time zone")
  func sameBytes() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-bundle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("first.zip").path
    let second = folder.appendingPathComponent("second.zip").path

    let here = try CommandLineRunner.run(["bundle", "--output", first, "--quiet"])
    var environment = ProcessInfo.processInfo.environment
    environment["CONTROLGAP_HOME"] = SharedData.packageRoot.path
    environment["TZ"] = "Australia/Sydney"
    let there = try CommandLineRunner.run(
      ["bundle", "--output", second, "--quiet"], environment: environment)

    #expect(here.status == 0)
    #expect(here.stdout == "wrote \(first)\n")
    #expect(there.status == 0)
    #expect(there.stdout == "wrote \(second)\n")
    let bytes = try #require(FileManager.default.contents(atPath: first))
    #expect(FileManager.default.contents(atPath: second) == bytes)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "first.zip", "second.zip",
      ])
  }
}
