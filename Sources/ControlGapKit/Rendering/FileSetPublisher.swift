import Foundation

/// Puts a set of files in place together, or leaves the folder as it was.
///
/// Each file is first written whole under a temporary name in the target folder. Existing
/// files are then moved aside, the new ones renamed into place, and the old ones removed;
/// when any step fails, what was already done is undone, so a reader never finds a new report
/// next to an old one, or a half-written file. Interrupts are held until it is over.
/// The interrupt that arrived while a set was being published, raised again once it is done.
nonisolated(unsafe) private var heldInterrupt: Int32 = 0

struct FileSetPublisher {
  let folder: URL
  let files: [(name: String, contents: Data)]

  private var manager: FileManager { .default }

  func publish() throws {
    // An interrupt waits until the set is in place or undone, a few renames away, so that it
    // can never leave old and new files side by side or staged files behind. Handlers are
    // process-wide, so this holds whichever thread the signal reaches.
    heldInterrupt = 0
    let interrupts = [SIGINT, SIGTERM, SIGHUP]
    let previous = interrupts.map { signal($0) { number in heldInterrupt = number } }
    defer {
      for (number, handler) in zip(interrupts, previous) { _ = signal(number, handler) }
      if heldInterrupt != 0 { raise(heldInterrupt) }
    }

    let tag = "\(ProcessInfo.processInfo.processIdentifier)"
    let entries = files.map { file in
      (
        name: file.name, contents: file.contents,
        final: folder.appendingPathComponent(file.name),
        staged: folder.appendingPathComponent(".\(file.name).\(tag).new"),
        previous: folder.appendingPathComponent(".\(file.name).\(tag).old")
      )
    }
    var staged: [URL] = []
    var movedAside: [(previous: URL, final: URL)] = []
    var placed: [URL] = []

    func undo() {
      for url in placed { try? manager.removeItem(at: url) }
      for move in movedAside.reversed() { _ = rename(move.previous.path, move.final.path) }
      for url in staged { try? manager.removeItem(at: url) }
    }

    for entry in entries {
      guard manager.createFile(atPath: entry.staged.path, contents: entry.contents) else {
        undo()
        throw ControlGapFailure(.cannotWrite, "cannot write \(entry.final.path)")
      }
      staged.append(entry.staged)
    }
    for entry in entries where exists(entry.final) {
      var isDirectory: ObjCBool = false
      _ = manager.fileExists(atPath: entry.final.path, isDirectory: &isDirectory)
      guard !isDirectory.boolValue, rename(entry.final.path, entry.previous.path) == 0 else {
        undo()
        throw ControlGapFailure(.cannotWrite, "cannot write \(entry.final.path)")
      }
      movedAside.append((entry.previous, entry.final))
    }
    for entry in entries {
      guard rename(entry.staged.path, entry.final.path) == 0 else {
        undo()
        throw ControlGapFailure(.cannotWrite, "cannot write \(entry.final.path)")
      }
      staged.removeAll { $0 == entry.staged }
      placed.append(entry.final)
    }
    for move in movedAside { try? manager.removeItem(at: move.previous) }
  }

  /// Whether anything, even a dangling link, has this name.
  private func exists(_ url: URL) -> Bool {
    (try? manager.attributesOfItem(atPath: url.path)) != nil
      || (try? manager.destinationOfSymbolicLink(atPath: url.path)) != nil
  }
}
