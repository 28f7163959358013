import Foundation

/// Runs a program to completion with `posix_spawn` and `waitpid`, feeding it standard input
/// and collecting both outputs.
///
/// Tests run in parallel, and Foundation's `Process.waitUntilExit` on Linux has been seen to
/// wait forever when several children finish at once; waiting on the child's own pid cannot
/// miss its exit.
enum ChildProcess {
  struct Output {
    var status: Int32
    var stdout: Data
    var stderr: Data
  }

  private static let spawnLock = NSLock()

  struct SpawnError: Error, CustomStringConvertible {
    var description: String
  }

  static func run(
    _ executable: URL, arguments: [String], environment: [String: String],
    directory: URL? = nil, input: Data = Data()
  ) throws -> Output {
    // A child that exits before reading its input must not take the test process with it.
    signal(SIGPIPE, SIG_IGN)
    // Pipes are made close-on-exec, so that a child started by another test does not inherit
    // them and hold them open: each pipe must reach its end when its own child exits. The
    // child's copies on 0, 1 and 2 come from dup2, which clears the flag. Making a pipe and
    // marking it are two steps, so every spawn happens under one lock.
    spawnLock.lock()
    var inPipe: [Int32] = [0, 0]
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
      spawnLock.unlock()
      throw SpawnError(description: "cannot create pipes")
    }
    for descriptor in inPipe + outPipe + errPipe {
      _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    // Glibc's spawn-time chdir is not visible to Swift; `env -C` changes directory and then
    // runs the program.
    var program = executable.path
    var words = [executable.path] + arguments
    if let directory {
      program = "/usr/bin/env"
      words = ["/usr/bin/env", "-C", directory.path] + words
    }

    let argv = words.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
    close(inPipe[0])
    close(outPipe[1])
    close(errPipe[1])
    spawnLock.unlock()
    guard spawned == 0 else {
      close(inPipe[1])
      close(outPipe[0])
      close(errPipe[0])
      throw SpawnError(description: "cannot start \(executable.path): error \(spawned)")
    }

    // Input is written and both outputs are read at the same time, so that no pipe can fill
    // and stall the child.
    nonisolated(unsafe) var stderr = Data()
    let group = DispatchGroup()
    let (inputWriter, errorReader) = (inPipe[1], errPipe[0])
    DispatchQueue.global().async(group: group) {
      input.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
          let written = write(inputWriter, base + offset, bytes.count - offset)
          if written <= 0 { break }
          offset += written
        }
      }
      close(inputWriter)
    }
    DispatchQueue.global().async(group: group) {
      stderr = readAll(errorReader)
    }
    let stdout = readAll(outPipe[0])
    group.wait()

    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Output(status: exitCode, stdout: stdout, stderr: stderr)
  }

  private static func readAll(_ descriptor: Int32) -> Data {
    defer { close(descriptor) }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = read(descriptor, &buffer, buffer.count)
      if count > 0 {
        data.append(buffer, count: count)
      } else if count == 0 || errno != EINTR {
        return data
      }
    }
  }
}
