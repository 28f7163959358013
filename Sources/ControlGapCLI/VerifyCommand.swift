import ControlGapKit
import Foundation

/// `controlgap verify`: checks an evidence bundle against its manifest without extracting it.
struct VerifyCommand {
  /// The largest bundle read: it is checked in memory.
  static let largestBundle = 1 << 30

  let arguments: CommandLineArguments

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(words, valued: [], flags: ["--help", "-h"])
  }

  func run(sink: StandardErrorSink) throws {
    if arguments.has("--help") || arguments.has("-h") {
      Terminal.out(Help.verify)
      return
    }
    guard arguments.positionals.count == 1, let path = arguments.positionals.first else {
      throw CommandLineArguments.UsageError(
        message: "expected one bundle file, got \(arguments.positionals.count)")
    }
    let location = SourceLocation(path: path)

    // Read whole: the archive is checked in memory and nothing is extracted. Only a regular
    // file of a sane size is read, so that a FIFO or a device cannot hang the check.
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard let attributes, attributes[.type] as? FileAttributeType == .typeRegular else {
      sink.report(.error("cannot read the file", at: location))
      throw ControlGapFailure(.missingInput, "cannot read \(path)")
    }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    guard size <= Self.largestBundle else {
      sink.report(
        .error(
          "the bundle is \(size >> 20) MiB; verify reads at most \(Self.largestBundle >> 20) MiB",
          at: location))
      throw ControlGapFailure(.badInput, "\(path) is too large")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      sink.report(.error("cannot read the file", at: location))
      throw ControlGapFailure(.missingInput, "cannot read \(path)")
    }
    let entries: [ZipReader.Entry]
    do {
      entries = try ZipReader().entries(of: Array(data))
    } catch let failure as ControlGapFailure {
      sink.report(.error(failure.message, at: location))
      throw failure
    }

    let verification = BundleVerification(entries: entries, display: path)
    guard verification.problems.isEmpty else {
      verification.problems.forEach(sink.report)
      throw ControlGapFailure(.badInput, "\(path) does not match its manifest")
    }
    Terminal.out("\(path): verified, \(verification.verifiedFiles) files")
  }
}
