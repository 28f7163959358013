import ControlGapKit
import Foundation

/// `controlgap verify`: checks an evidence bundle against its manifest and signature without
/// extracting it.
struct VerifyCommand {
  let arguments: CommandLineArguments

  init(_ words: [String]) throws {
    arguments = try CommandLineArguments(
      words, valued: ["--key"], flags: ["--quiet", "--help", "-h"])
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
    let terminal = Terminal(quiet: arguments.has("--quiet"))
    let location = SourceLocation(path: path)
    let trustedKey = try arguments.value("--key").map { keyPath in
      (
        key: try VerifyingKey(
          pemFile: URL(fileURLWithPath: keyPath), displayPath: keyPath, diagnostics: sink),
        display: keyPath
      )
    }

    // Only a regular file is read, so that a FIFO or a device cannot hang the check; it is
    // streamed, never extracted.
    let descriptor: Int32
    do {
      descriptor = try RegularFile.open(path)
    } catch {
      let reason = error is RegularFile.NotRegular ? "not a regular file" : "\(error)"
      sink.report(.error("cannot read the file: \(reason)", at: location))
      throw ControlGapFailure(.missingInput, "cannot read \(path)")
    }
    defer { close(descriptor) }
    let entries: [ZipReader.Entry]
    do {
      entries = try ZipReader().entries(
        ofFileAt: descriptor, keeping: BundleVerification.reads,
        progress: { terminal.progress("checking \($0)") })
    } catch let failure as ControlGapFailure {
      sink.report(.error(failure.message, at: location))
      throw failure
    }

    let verification = BundleVerification(
      entries: entries, display: path, trustedKey: trustedKey)
    guard verification.problems.isEmpty else {
      verification.problems.forEach(sink.report)
      throw ControlGapFailure(.badInput, "\(path) does not match its manifest")
    }
    let files = ReportCommand.counted(verification.verifiedFiles, "file")
    switch (verification.signer, trustedKey) {
    case (let signer?, .some):
      Terminal.out("\(path): verified, \(files), signed by key \(signer.fingerprint) as given")
    case (let signer?, nil):
      Terminal.out(
        "\(path): verified, \(files), signed by key \(signer.fingerprint); "
          + "pass --key with the signer's public key to check who signed")
    case (nil, _):
      Terminal.out("\(path): verified, \(files), not signed")
    }
  }
}
