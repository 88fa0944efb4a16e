/// An error opening, reading or writing an index.
public enum IndexError: Error, Equatable, CustomStringConvertible, Sendable {
  /// There is no index at the path.
  case noIndex(path: String)
  /// The folder exists and holds other things than a zhsearch index, so it is left alone.
  case notAnIndex(path: String)
  /// An index file is damaged: truncated, bit-flipped or inconsistent.
  case corrupt(file: String, detail: String)
  /// An index file was written by a format version this build cannot read.
  case unsupportedVersion(file: String, found: Int, supported: Int)
  /// A system call failed on a path; `reason` is the system's message.
  case io(path: String, reason: String)

  public var description: String {
    switch self {
    case .noIndex(let path):
      return "no index at \(path); build one with: zhsearch index FOLDER --index \(path)"
    case .notAnIndex(let path):
      return "\(path) exists but is not a zhsearch index; choose an empty or new folder"
    case .corrupt(let file, let detail):
      return "the index is damaged: \(file): \(detail); rebuild it with zhsearch index"
    case .unsupportedVersion(let file, let found, let supported):
      return
        "\(file) has index format version \(found), this zhsearch reads version \(supported); rebuild the index"
    case .io(let path, let reason):
      return "\(path): \(reason)"
    }
  }
}
