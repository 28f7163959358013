/// A place in an input file that a diagnostic or a record points back to.
///
/// Lines and columns count from 1. A column of 0 means the column is not known,
/// and a line of 0 means the whole file.
public struct SourceLocation: Hashable, Sendable, Comparable {
  /// The file as the user named it, relative to the workspace where possible.
  public var path: String
  public var line: Int
  public var column: Int

  public init(path: String, line: Int = 0, column: Int = 0) {
    self.path = path
    self.line = line
    self.column = column
  }

  /// `path:line:col`, dropping the parts that are not known.
  public var description: String {
    guard line > 0 else { return path }
    guard column > 0 else { return "\(path):\(line)" }
    return "\(path):\(line):\(column)"
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
  }
}
