import Foundation

/// Puts a set of files in place together, or leaves the folder as it was.
///
/// Each file is first written whole under a temporary name in the target folder. Existing
/// files are then moved aside, the new ones renamed into place, and the old ones removed;
/// when any step fails, what was already done is undone, so a reader never finds a new report
/// next to an old one, or a half-written file.
struct FileSetPublisher {
  let folder: URL
  let files: [(name: String, contents: Data)]

  private var manager: FileManager { .default }

  func publish() throws {
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
