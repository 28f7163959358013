import Foundation

/// Runs the built `controlgap` binary the way a user would, capturing what it prints.
struct CommandLineRunner {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String

    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
  }

  /// The binary sits next to the test bundle in the build folder.
  static let binary: URL = {
    let tests = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = tests.deletingLastPathComponent()
    while folder.path != "/" {
      let candidate = folder.appendingPathComponent("controlgap")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    return SharedData.packageRoot.appendingPathComponent(".build/debug/controlgap")
  }()

  /// - Parameters:
  ///   - directory: The working directory; the package root by default.
  ///   - home: Whether to point `CONTROLGAP_HOME` at the package, or let the binary find its
  ///     files from its own location.
  static func run(_ arguments: [String], in directory: URL? = nil, home: Bool = true) throws
    -> Result
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? SharedData.packageRoot
    var environment = ProcessInfo.processInfo.environment
    environment["CONTROLGAP_HOME"] = home ? SharedData.packageRoot.path : nil
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are drained at once so that neither can fill and stall the child.
    nonisolated(unsafe) var stderr = Data()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      stderr = err.fileHandleForReading.readDataToEndOfFile()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}
