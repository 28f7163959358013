import Foundation
import Testing

@testable import ControlGapKit

/// The ZIP writer's output, read back from its central directory.
@Suite("ZIP writer")
struct ZipWriterTests {
  /// One central directory record: the fields that make an archive reproducible.
  struct CentralEntry: Equatable {
    var path: String
    var method: Int
    var dosTime: Int
    var dosDate: Int
    var size: Int
    var mode: Int
  }

  static let entries: [String: [UInt8]] = [
    "reports/summary.md": Array("# Summary\n".utf8),
    "manifest.json": Array("{}\n".utf8),
    "evidence/log.txt": Array(repeating: UInt8(ascii: "a"), count: 4096),
  ]

  @Test("entries are sorted by path, deflated, 0644, dated 1980-01-01 00:00")
  func entries() throws {
    let archive = try ZipWriter.archive(Self.entries)
    // 00:00:00 is DOS time 0; 1980-01-01 is ((1980 - 1980) << 9) | (1 << 5) | 1.
    let date = (0 << 9) | (1 << 5) | 1
    #expect(
      Self.centralDirectory(archive) == [
        CentralEntry(
          path: "evidence/log.txt", method: 8, dosTime: 0, dosDate: date, size: 4096,
          mode: 0o100644),
        CentralEntry(
          path: "manifest.json", method: 8, dosTime: 0, dosDate: date, size: 3, mode: 0o100644),
        CentralEntry(
          path: "reports/summary.md", method: 8, dosTime: 0, dosDate: date, size: 10,
          mode: 0o100644),
      ])
  }

  @Test("the same entries give byte-identical archives")
  func deterministic() throws {
    let first = try ZipWriter.archive(Self.entries)
    let second = try ZipWriter.archive(Self.entries)
    #expect(first == second)
  }

  @Test("an empty archive is just the end of central directory record")
  func empty() throws {
    let archive = try ZipWriter.archive([:])
    #expect(archive.count == 22)
    #expect(Self.centralDirectory(archive) == [])
  }

  /// The central directory records of `archive`, in archive order.
  static func centralDirectory(_ archive: [UInt8]) -> [CentralEntry] {
    func integer(_ offset: Int, _ width: Int) -> Int {
      (0..<width).reduce(0) { $0 | Int(archive[offset + $1]) << (8 * $1) }
    }
    var found: [CentralEntry] = []
    var offset = 0
    while offset + 46 <= archive.count {
      guard integer(offset, 4) == 0x0201_4b50 else {
        offset += 1
        continue
      }
      let nameLength = integer(offset + 28, 2)
      let name = String(
        decoding: archive[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
      found.append(
        CentralEntry(
          path: name, method: integer(offset + 10, 2), dosTime: integer(offset + 12, 2),
          dosDate: integer(offset + 14, 2), size: integer(offset + 24, 4),
          mode: integer(offset + 38, 4) >> 16))
      offset += 46 + nameLength + integer(offset + 30, 2) + integer(offset + 32, 2)
    }
    return found
  }
}

/// An archive that expands beyond what the reader allows is refused, never read to the end.
@Suite("Reading archives within a budget")
struct ZipReaderBudgetTests {
  @Test("entries expanding past the budget stop the read with one clear reason")
  func expansionBudget() throws {
    let archive = try ZipWriter.archive([
      "a.txt": Array(repeating: 0x61, count: 600_000),
      "b.txt": Array(repeating: 0x62, count: 600_000),
    ])
    #expect(
      throws: ControlGapFailure(
        .badInput, "cannot read the archive: it expands to more than 1 MiB; refusing to read on")
    ) {
      _ = try ZipReader(maxExpandedBytes: 1 << 20).entries(of: archive)
    }
    #expect(try ZipReader(maxExpandedBytes: 2 << 20).entries(of: archive).count == 2)
  }
}
