/// Counts that describe an index: what `zhsearch stats` prints.
public struct IndexStatistics: Sendable, Equatable {
  /// One index file and its size.
  public struct FileSize: Sendable, Equatable {
    public var name: String
    public var bytes: Int
  }

  public var formatVersion: Int
  public var generation: UInt64
  /// Whether traditional characters were folded to simplified ones.
  public var foldsVariants: Bool
  /// Corpus files indexed.
  public var files: Int
  public var paragraphs: Int
  /// Distinct terms (Han bigrams and unigrams, letter and digit words).
  public var terms: Int
  /// (term, paragraph) pairs: the sum of every term's document frequency.
  public var postings: Int
  /// Token occurrences: the sum of every term's positions.
  public var positions: Int
  /// Bytes of paragraph text stored for snippets.
  public var textBytes: Int
  public var fileSizes: [FileSize]
  /// The paths given to the build, absolute; nil when the index does not say (format 2 or 3).
  public var roots: [String]? = nil
  /// When the index was built, in seconds since 1970 UTC; nil when the index does not say.
  public var builtAt: Int64? = nil

  /// The index's total size on disk.
  public var totalBytes: Int { fileSizes.reduce(0) { $0 + $1.bytes } }
  /// Bytes of dictionary, postings and positions (the inverted index without stored text).
  public var invertedBytes: Int {
    fileSizes.filter {
      !$0.name.hasSuffix(".text") && !$0.name.hasSuffix(".paragraphs") && !$0.name.hasSuffix(".files") && $0.name != "manifest"
    }
      .reduce(0) { $0 + $1.bytes }
  }
}
