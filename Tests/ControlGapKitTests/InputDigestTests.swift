import Foundation
import Testing

@testable import ControlGapKit

/// The input appendix's digests, against a published SHA-256 test vector.
@Suite("Input digests")
struct InputDigestTests {
  @Test("SHA-256 of 'abc' and of an empty file")
  func vectors() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-digest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("abc".utf8).write(to: folder.appendingPathComponent("abc.txt"))
    try Data().write(to: folder.appendingPathComponent("empty.txt"))
    #expect(
      InputDigest.of(folder.appendingPathComponent("abc.txt"), path: "abc.txt")
        == InputDigest(
          path: "abc.txt", bytes: 3,
          sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
    #expect(
      InputDigest.of(folder.appendingPathComponent("empty.txt"), path: "empty.txt")?.sha256
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}
