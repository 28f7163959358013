import ControlGapKit
import Foundation

/// `controlgap generate-events`: writes a made-up access-event log, to try the telemetry stage
/// on data of any size.
struct GenerateEventsCommand {
  let arguments: CommandLineArguments

  static let maximumEvents = 1_000_000_000

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(
      words, valued: ["--seed", "--events", "--period", "--format", "--output"],
      flags: ["--quiet", "--help", "-h"])
  }

  func run() throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(Help.generateEvents)
      return
    }
    if let extra = arguments.positionals.first {
      throw CommandLineArguments.UsageError(message: "unexpected argument '\(extra)'")
    }
    let seedText = try required("--seed")
    guard seedText.allSatisfy({ $0.isASCII && $0.isNumber }), let seed = UInt64(seedText) else {
      throw CommandLineArguments.UsageError(
        message: "--seed '\(seedText)' is not a whole number from 0 to \(UInt64.max)")
    }
    let eventsText = try required("--events")
    guard eventsText.allSatisfy({ $0.isASCII && $0.isNumber }), let events = Int(eventsText),
      (1...Self.maximumEvents).contains(events)
    else {
      throw CommandLineArguments.UsageError(
        message: "--events '\(eventsText)' is not a whole number from 1 to \(Self.maximumEvents)")
    }
    let periodText = try required("--period")
    guard let period = Quarter(parsing: periodText) else {
      throw CommandLineArguments.UsageError(
        message: "--period '\(periodText)' is not a quarter (YYYY-Qn)")
    }
    let output = arguments.value("--output")
    var format = output.flatMap { AccessEventReader.Format(path: $0) } ?? .csv
    if let text = arguments.value("--format") {
      switch text {
      case "csv": format = .csv
      case "jsonl": format = .jsonLines
      default:
        throw CommandLineArguments.UsageError(message: "--format '\(text)' is not csv or jsonl")
      }
    }

    let generator = EventGenerator(seed: seed, events: events, period: period, format: format)
    let terminal = Terminal(quiet: arguments.has("--quiet"))
    terminal.progress("generating \(events) events for \(period)")
    // One line per tenth of the way, so that a long run shows it is moving.
    var shownTenths = 0
    let progress = { (written: Int) in
      let tenths = written * 10 / events
      guard tenths > shownTenths, written < events else { return }
      shownTenths = tenths
      terminal.progress("\(written) of \(events) events")
    }

    guard let output else {
      do {
        try generator.write(toFileDescriptor: STDOUT_FILENO, progress: progress)
      } catch {
        throw ControlGapFailure(.cannotWrite, "cannot write to standard output: \(error)")
      }
      return
    }
    try write(generator, to: output, progress: progress)
    Terminal.out("wrote \(output) (\(events) events)")
  }

  private func required(_ option: String) throws -> String {
    guard let value = arguments.value(option) else {
      throw CommandLineArguments.UsageError(message: "option '\(option)' is required")
    }
    return value
  }

  /// Writes the whole log so that the output is either complete or, on failure, not there.
  private func write(
    _ generator: EventGenerator, to path: String, progress: (Int) -> Void
  ) throws {
    try OutputFile.write(to: path) { descriptor in
      try generator.write(toFileDescriptor: descriptor, progress: progress)
    }
  }
}
