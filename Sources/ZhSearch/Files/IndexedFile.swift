/// A corpus file as the index records it: what `zhsearch files` lists (its size and time
/// are kept so that an index updated in place can tell a changed file; none does yet).
public struct IndexedFile: Sendable, Equatable {
  /// The file's absolute path (`FilePaths.absolute`) in an index of format 4 on; in an
  /// older one, the path as it was reached when indexing (see `isAbsolute`).
  public var path: String
  /// Whether `path` is the absolute path recorded at index time.
  public var isAbsolute: Bool
  /// The name of the encoding the file was read in (`TextEncoding.description`); nil when
  /// it was not read or the index does not say.
  public var encoding: String?
  /// The file's size in bytes when it was read; nil when the index does not say.
  public var bytes: Int?
  /// The file's modification time when it was read, in nanoseconds since 1970 UTC; nil
  /// when the index does not say or the file could not be opened.
  public var modified: Int64?
  /// The paragraphs the file gave.
  public var paragraphs: Int

  public init(path: String, isAbsolute: Bool, encoding: String?, bytes: Int?, modified: Int64?, paragraphs: Int) {
    self.path = path
    self.isAbsolute = isAbsolute
    self.encoding = encoding
    self.bytes = bytes
    self.modified = modified
    self.paragraphs = paragraphs
  }
}
