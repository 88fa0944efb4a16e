/// Reading paragraphs: their lengths (for BM25), their text and place in the corpus.
extension IndexReader {
  /// A stored paragraph with its place in the corpus.
  public struct StoredParagraph: Sendable {
    public var id: Int
    /// The file's path as reached when indexing.
    public var file: String
    /// The file's absolute path, when the index records it (format version 4 on).
    public var path: String?
    /// The file's index in the index's name table.
    public var fileIndex: Int
    public var line: Int
    public var ordinal: Int
    /// The 1-based column (code points) where the paragraph starts in its line; 0 when the
    /// index does not say (format versions before 4).
    public var column: Int
    /// Tokens in the paragraph (BM25's document length).
    public var length: Int
    public var text: String
  }


  /// The length of a paragraph in tokens.
  @inline(__always)
  func length(ofParagraph id: Int) throws(IndexError) -> Int {
    guard id >= 0, id < paragraphCount else { throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)") }
    let chunk = id / Self.lengthChunk
    if chunk >= lengthChunkRead.count || !lengthChunkRead[chunk] { try readLengths(chunk) }
    return Int(lengths[id])
  }

  private func readLengths(_ chunk: Int) throws(IndexError) {
    guard chunk >= 0, chunk * Self.lengthChunk < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(chunk * Self.lengthChunk)")
    }
    if lengths.isEmpty {
      lengths = [UInt32](repeating: 0, count: paragraphCount)
      lengthChunkRead = [Bool](repeating: false, count: (paragraphCount + Self.lengthChunk - 1) / Self.lengthChunk)
    }
    for id in chunk * Self.lengthChunk..<min(paragraphCount, (chunk + 1) * Self.lengthChunk) {
      lengths[id] = try paragraphs.uint32(at: ParagraphEntry.offset(of: id) + ParagraphEntry.lengthOffset)
    }
    lengthChunkRead[chunk] = true
  }

  /// A paragraph's text and place.
  public func paragraph(_ id: Int) throws(IndexError) -> StoredParagraph {
    let entry = try entry(id)
    guard entry.textOffset <= UInt64(text.payloadCount),
      UInt64(entry.textLength) <= UInt64(text.payloadCount) - entry.textOffset
    else { throw .corrupt(file: paragraphs.name, detail: "paragraph \(id) points outside the text") }
    let bytes = try text.bytes(Int(entry.textOffset)..<Int(entry.textOffset) + Int(entry.textLength))
    return StoredParagraph(
      id: id, file: try fileName(Int(entry.file)), path: fileTable == nil ? nil : try path(ofFile: Int(entry.file)),
      fileIndex: Int(entry.file), line: Int(entry.line), ordinal: Int(entry.ordinal), column: Int(entry.column),
      length: Int(entry.length), text: String(decoding: bytes, as: UTF8.self))
  }

  private func entry(_ id: Int) throws(IndexError) -> ParagraphEntry {
    guard id >= 0, id < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)")
    }
    let start = ParagraphEntry.offset(of: id)
    return ParagraphEntry(try paragraphs.bytes(start..<start + ParagraphEntry.size), at: 0)
  }

  /// Up to `count` paragraphs before and after paragraph `id` in its own file, nearest
  /// last and first. A file's paragraphs are consecutive ids with consecutive ordinals
  /// (`IndexFormat`), which is checked: a neighbour of another file or ordinal ends the run.
  public func neighbours(of id: Int, count: Int) throws(IndexError) -> (before: [StoredParagraph], after: [StoredParagraph]) {
    let center = try entry(id)
    func run(_ step: Int) throws(IndexError) -> [StoredParagraph] {
      var found: [StoredParagraph] = []
      var next = id + step
      while found.count < count, next >= 0, next < paragraphCount {
        let entry = try entry(next)
        guard entry.file == center.file, Int64(entry.ordinal) == Int64(center.ordinal) + Int64(step * (found.count + 1))
        else { break }
        found.append(try paragraph(next))
        next += step
      }
      return found
    }
    return (try run(-1).reversed(), try run(1))
  }

  /// The ids of the paragraphs of corpus file `file` that start on line `line`, in order
  /// (several for a line cut into passages; none when the line holds no paragraph). A
  /// binary search: paragraphs are in file order and, within a file, in line order.
  public func paragraphs(ofFile file: Int, line: Int) throws(IndexError) -> Range<Int> {
    func key(_ id: Int) throws(IndexError) -> (Int, Int) {
      let entry = try entry(id)
      return (Int(entry.file), Int(entry.line))
    }
    func firstAtLeast(_ wanted: (Int, Int)) throws(IndexError) -> Int {
      var (low, high) = (0, paragraphCount)
      while low < high {
        let middle = (low + high) / 2
        if try key(middle) < wanted { low = middle + 1 } else { high = middle }
      }
      return low
    }
    // Lines are stored as u32: a larger one holds no paragraph (and `line + 1` must not trap).
    guard line <= Int(UInt32.max) else { return 0..<0 }
    return try firstAtLeast((file, line))..<firstAtLeast((file, line + 1))
  }

  /// The path of corpus file `index`.
  public func fileName(_ index: Int) throws(IndexError) -> String {
    guard index >= 0, index < fileCount else {
      throw .corrupt(file: paragraphs.name, detail: "no corpus file \(index)")
    }
    let slot = fileNamesOffset + index * 8
    var reader = ByteReader(try paragraphs.bytes(slot..<slot + 16), file: paragraphs.name)
    let start64 = try reader.read(UInt64.self)
    let end64 = try reader.read(UInt64.self)
    let base = fileNamesOffset + (fileCount + 1) * 8
    guard start64 <= end64, end64 <= UInt64(paragraphs.payloadCount - base) else {
      throw .corrupt(file: paragraphs.name, detail: "file name \(index) points outside the table")
    }
    return String(decoding: try paragraphs.bytes(base + Int(start64)..<base + Int(end64)), as: UTF8.self)
  }
}
