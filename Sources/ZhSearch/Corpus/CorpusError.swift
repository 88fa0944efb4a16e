/// An error reading the files of a corpus.
public enum CorpusError: Error, Equatable, CustomStringConvertible, Sendable {
  /// A path named on the command line does not exist.
  case notFound(path: String)
  /// A file or folder could not be read; `reason` is the system's message.
  case unreadable(path: String, reason: String)
  /// The paths named hold no `.txt` file.
  case noTextFiles(paths: [String])
  /// A file is too large to index (its size in bytes is given).
  case fileTooLarge(path: String, bytes: Int)

  public var description: String {
    switch self {
    case .notFound(let path):
      return "no such file or folder: \(path)"
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .noTextFiles(let paths):
      return "no .txt files found in \(paths.joined(separator: ", "))"
    case .fileTooLarge(let path, let bytes):
      return "\(path) is too large to index (\(bytes) bytes; the limit is 2 GiB per file)"
    }
  }
}
