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
  ///   - environment: Replaces the inherited environment when given.
  static func run(
    _ arguments: [String], in directory: URL? = nil, home: Bool = true,
    environment: [String: String]? = nil
  ) throws -> Result {
    var inherited = ProcessInfo.processInfo.environment
    inherited["CONTROLGAP_HOME"] = home ? SharedData.packageRoot.path : nil
    let output = try ChildProcess.run(
      binary, arguments: arguments, environment: environment ?? inherited,
      directory: directory ?? SharedData.packageRoot)
    return Result(
      status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
      stderr: String(decoding: output.stderr, as: UTF8.self))
  }
}
