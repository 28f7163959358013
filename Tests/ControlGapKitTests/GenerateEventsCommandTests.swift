import Foundation
import Testing

/// `controlgap generate-events` run as a user would run it.
@Suite("The generate-events command end to end")
struct GenerateEventsCommandTests {
  private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("controlgap-events-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  private func contents(of folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
  }

  @Test("without --output the log goes to stdout, the bytes the library makes")
  func standardOutput() throws {
    let result = try CommandLineRunner.run([
      "generate-events", "--seed", "1", "--events", "3000", "--period", "2026-Q4",
    ])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout == String(decoding: EventGeneratorTests.generate(), as: UTF8.self))
  }

  @Test("--output writes the whole file, in the format its extension names")
  func outputFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("events.jsonl")
    try Data("old\n".utf8).write(to: file)

    let result = try CommandLineRunner.run([
      "generate-events", "--seed", "9", "--events", "500", "--period", "2026-Q4", "--output",
      file.path, "--quiet",
    ])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout == "wrote \(file.path) (500 events)\n")
    #expect(
      Array(try Data(contentsOf: file))
        == EventGeneratorTests.generate(seed: 9, events: 500, format: .jsonLines))
    #expect(try contents(of: folder) == ["events.jsonl"])
  }

  @Test("--format wins over the extension")
  func formatOption() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("events.jsonl")
    let result = try CommandLineRunner.run([
      "generate-events", "--seed=4", "--events=20", "--period=2026-Q4", "--format=csv",
      "--output=\(file.path)",
    ])
    #expect(result.status == 0)
    #expect(Array(try Data(contentsOf: file)) == EventGeneratorTests.generate(seed: 4, events: 20))
  }

  struct UsageCase: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let arguments: [String]
    let message: String
  }

  static let required = ["--seed", "1", "--events", "10", "--period", "2026-Q4"]

  /// `required` with one option's value replaced.
  static func with(_ option: String, _ value: String) -> [String] {
    var words = required
    words[words.firstIndex(of: option)! + 1] = value
    return words
  }

  static let usageCases = [
    UsageCase(
      testDescription: "no options", arguments: [], message: "option '--seed' is required"),
    UsageCase(
      testDescription: "no events", arguments: ["--seed", "1", "--period", "2026-Q4"],
      message: "option '--events' is required"),
    UsageCase(
      testDescription: "no period", arguments: ["--seed", "1", "--events", "10"],
      message: "option '--period' is required"),
    UsageCase(
      testDescription: "a negative seed", arguments: with("--seed", "-1"),
      message: "--seed '-1' is not a whole number from 0 to 18446744073709551615"),
    UsageCase(
      testDescription: "a seed past 64 bits", arguments: with("--seed", "18446744073709551616"),
      message: "--seed '18446744073709551616' is not a whole number from 0 to 18446744073709551615"
    ),
    UsageCase(
      testDescription: "a seed with a sign", arguments: with("--seed", "+5"),
      message: "--seed '+5' is not a whole number from 0 to 18446744073709551615"),
    UsageCase(
      testDescription: "no events to write", arguments: with("--events", "0"),
      message: "--events '0' is not a whole number from 1 to 1000000000"),
    UsageCase(
      testDescription: "too many events", arguments: with("--events", "1000000001"),
      message: "--events '1000000001' is not a whole number from 1 to 1000000000"),
    UsageCase(
      testDescription: "events in exponent form", arguments: with("--events", "1e6"),
      message: "--events '1e6' is not a whole number from 1 to 1000000000"),
    UsageCase(
      testDescription: "events in digits other than ASCII", arguments: with("--events", "٣"),
      message: "--events '٣' is not a whole number from 1 to 1000000000"),
    UsageCase(
      testDescription: "a fifth quarter", arguments: with("--period", "2026-Q5"),
      message: "--period '2026-Q5' is not a quarter (YYYY-Qn)"),
    UsageCase(
      testDescription: "a period without the dash", arguments: with("--period", "2026Q4"),
      message: "--period '2026Q4' is not a quarter (YYYY-Qn)"),
    UsageCase(
      testDescription: "an unknown format", arguments: required + ["--format", "xml"],
      message: "--format 'xml' is not csv or jsonl"),
    UsageCase(
      testDescription: "a misspelt option", arguments: required + ["--sed", "2"],
      message: "unknown option '--sed'"),
    UsageCase(
      testDescription: "a file without --output", arguments: required + ["events.csv"],
      message: "unexpected argument 'events.csv'"),
    UsageCase(
      testDescription: "a value for a flag", arguments: required + ["--quiet=yes"],
      message: "option '--quiet' takes no value"),
  ]

  @Test("usage errors, word for word", arguments: usageCases)
  func usage(_ example: UsageCase) throws {
    let result = try CommandLineRunner.run(["generate-events"] + example.arguments)
    #expect(result.status == 64)
    #expect(result.stdout == "")
    #expect(result.stderr == "controlgap: error: \(example.message) (see 'controlgap --help')\n")
  }

  @Test("--output into a folder that does not exist writes nothing")
  func missingFolder() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.path + "/missing"
    let result = try CommandLineRunner.run(
      ["generate-events"] + Self.required + ["--output", missing + "/events.csv"])
    #expect(result.status == 73)
    #expect(result.stdout == "")
    #expect(
      result.stderr
        == "controlgap: error: cannot write \(missing)/events.csv: folder \(missing) does not exist\n"
    )
    #expect(try contents(of: folder) == [])
  }

  @Test("an output that cannot be put in place leaves no partial file behind")
  func outputIsAFolder() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let taken = folder.appendingPathComponent("events.csv")
    try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: false)
    let result = try CommandLineRunner.run(
      ["generate-events"] + Self.required + ["--output", taken.path])
    #expect(result.status == 73)
    #expect(result.stdout == "")
    #expect(
      result.stderr
        == "controlgap: error: cannot write \(taken.path): it exists and is not a regular file\n")
    #expect(try contents(of: folder) == ["events.csv"])
    #expect(try contents(of: taken) == [])
  }
}
