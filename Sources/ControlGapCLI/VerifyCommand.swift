import ControlGapKit
import Foundation

/// `controlgap verify`: checks an evidence bundle against its manifest without extracting it.
struct VerifyCommand {
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

    // Read whole: the archive is checked in memory and nothing is extracted.
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else {
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
