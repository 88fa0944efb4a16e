/// The corpus file of every paragraph of an index, read in one pass over the paragraph
/// table, and each file's path: what `--in` filters by and `count` groups by.
///
/// The table is read only when a command asks for it, so a plain search costs nothing.
public struct ParagraphFiles: Sendable {
  /// `files[p]`: the index of paragraph `p`'s file in `paths`.
  public let files: [UInt32]
  /// Each corpus file's path: absolute when the index records it, else as reached when
  /// indexing (`IndexReader.path(ofFile:)`).
  public let paths: [String]
  /// How many paragraphs each file has.
  public let paragraphCounts: [Int]

  public init(reader: IndexReader) throws(IndexError) {
    var paths: [String] = []
    paths.reserveCapacity(reader.fileCount)
    for index in 0..<reader.fileCount { paths.append(try reader.path(ofFile: index)) }
    let count = reader.paragraphCount
    let table = reader.paragraphs
    let bytes = try table.bytes(ParagraphEntry.offset(of: 0)..<ParagraphEntry.offset(of: count))
    var files = [UInt32](repeating: 0, count: count)
    var counts = [Int](repeating: 0, count: paths.count)
    for id in 0..<count {
      let file = ParagraphEntry(bytes, at: id * ParagraphEntry.size).file
      guard Int(file) < paths.count else { throw .corrupt(file: table.name, detail: "no corpus file \(file)") }
      files[id] = file
      counts[Int(file)] += 1
    }
    self.files = files
    self.paths = paths
    paragraphCounts = counts
  }

  /// Paragraph `p` in file `files[p]` of `paths` (for tests).
  init(files: [UInt32], paths: [String]) {
    self.files = files
    self.paths = paths
    var counts = [Int](repeating: 0, count: paths.count)
    for file in files { counts[Int(file)] += 1 }
    paragraphCounts = counts
  }

  /// The paragraphs of the files `allowed` lets through, as ranges (each file's paragraphs
  /// are contiguous in an index zhsearch writes, but nothing here depends on it).
  public func scope(allowing allowed: [Bool]) -> ParagraphScope {
    var ranges: [Range<UInt32>] = []
    var start: Int? = nil
    for (id, file) in files.enumerated() {
      if allowed[Int(file)] {
        if start == nil { start = id }
      } else if let first = start {
        ranges.append(UInt32(first)..<UInt32(id))
        start = nil
      }
    }
    if let first = start { ranges.append(UInt32(first)..<UInt32(files.count)) }
    return ParagraphScope(ranges: ranges)
  }
}
