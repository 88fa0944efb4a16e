/// An error reading the files of a corpus.
public enum CorpusError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A path named on the command line does not exist.
  case notFound(path: String)
  /// A file or folder could not be read; `reason` is the system's message.
  case unreadable(path: String, reason: String)
  /// The paths named hold no `.txt` file.
  case noTextFiles(paths: [String])
  /// A file is too large to read whole (its size in bytes is given).
  case fileTooLarge(path: String, bytes: Int)
  /// Every file and path was skipped (each with a warning); nothing could be indexed.
  case nothingIndexed(skipped: Int)

  public var description: String {
    switch self {
    case .notFound(let path):
      return "no such file or folder: \(path)"
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .noTextFiles(let paths):
      return "no .txt files found in \(paths.joined(separator: ", "))"
    case .fileTooLarge(let path, let bytes):
      return "\(path) is too large to read whole (\(bytes) bytes; the limit is 2 GiB)"
    case .nothingIndexed(let skipped):
      return "nothing to index: \(skipped) \(skipped == 1 ? "file or path was" : "files and paths were") skipped (see the warnings above); any existing index is unchanged"
    }
  }
}
