import Foundation

/// Reads an input file whole, after checking that it is a regular file of a sane size.
///
/// Catalogs and workspace files are a few megabytes at most; refusing anything far larger up
/// front keeps a hostile or mistaken input (a sparse file, a device) from exhausting memory.
public enum InputFile {
  /// The largest XML input ControlGap reads: 64 MiB.
  public static let sizeLimit = 64 << 20

  /// The file's bytes, or `nil` after reporting why they cannot be read.
  public static func contents(
    of url: URL, displayPath: String, limit: Int = sizeLimit, diagnostics: DiagnosticSink
  ) -> Data? {
    let location = SourceLocation(path: displayPath)
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
      let type = attributes[.type] as? FileAttributeType
    else {
      diagnostics.error("cannot read file", at: location)
      return nil
    }
    guard type == .typeRegular else {
      diagnostics.error("not a regular file", at: location)
      return nil
    }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    guard size <= limit else {
      diagnostics.error(
        "file is \(size >> 20) MiB; ControlGap reads XML files of at most \(limit >> 20) MiB",
        at: location)
      return nil
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      diagnostics.error("cannot read file", at: location)
      return nil
    }
    return data
  }
}
