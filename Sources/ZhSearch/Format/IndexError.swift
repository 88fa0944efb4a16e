/// An error opening, reading or writing an index.
public enum IndexError: Error, Equatable, CustomStringConvertible, Sendable {
  /// There is no index at the path.
  case noIndex(path: String)
  /// The folder exists and holds other things than a zhsearch index, so it is left alone.
  case notAnIndex(path: String)
  /// The folder holds an entry that zhsearch did not write, so it is left alone.
  case foreignEntry(folder: String, name: String)
  /// An index file is damaged: truncated, bit-flipped or inconsistent.
  case corrupt(file: String, detail: String)
  /// An index file was written by a format version this build cannot read.
  case unsupportedVersion(file: String, found: Int, supported: Int)
  /// The index folded traditional characters with another table than this build's (one
  /// derived from another ICU version): its terms and a query's would not agree.
  case otherVariantTable(found: UInt32, expected: UInt32)
  /// A system call failed on a path; `reason` is the system's message.
  case io(path: String, reason: String)
  /// A system call failed after the new index was put in place: it is the index now, but
  /// the folder may not have reached the disk, or old files may be left over.
  case afterCommit(path: String, reason: String)

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
    case .otherVariantTable(let found, let expected):
      return
        "the index folded traditional characters with another table (CRC \(String(found, radix: 16))) than this "
        + "zhsearch's (\(String(expected, radix: 16))); rebuild the index with zhsearch index"
    case .foreignEntry(let folder, let name):
      return "\(folder) holds \(name), which zhsearch did not write; choose an empty or new folder for the index"
    case .io(let path, let reason):
      return "\(path): \(reason)"
    case .afterCommit(let path, let reason):
      return
        "\(path): \(reason); the new index is in place, but the run could not finish (it may not survive a crash "
        + "until the folder is written again; index again to settle it)"
    }
  }
}
