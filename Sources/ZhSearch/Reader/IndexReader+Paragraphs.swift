/// Reading paragraphs: their lengths (for BM25), their text and place in the corpus.
extension IndexReader {
  /// A stored paragraph with its place in the corpus.
  public struct StoredParagraph: Sendable {
    public var id: Int
    /// The file's path as reached when indexing.
    public var file: String
    /// The file's absolute path, when the index records it (format version 4 on).
    public var path: String?
    public var line: Int
    public var ordinal: Int
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
    guard id >= 0, id < paragraphCount else {
      throw .corrupt(file: paragraphs.name, detail: "no paragraph \(id)")
    }
    let start = ParagraphEntry.offset(of: id)
    let entry = ParagraphEntry(try paragraphs.bytes(start..<start + ParagraphEntry.size), at: 0)
    guard entry.textOffset <= UInt64(text.payloadCount),
      UInt64(entry.textLength) <= UInt64(text.payloadCount) - entry.textOffset
    else { throw .corrupt(file: paragraphs.name, detail: "paragraph \(id) points outside the text") }
    let bytes = try text.bytes(Int(entry.textOffset)..<Int(entry.textOffset) + Int(entry.textLength))
    return StoredParagraph(
      id: id, file: try fileName(Int(entry.file)), path: fileTable == nil ? nil : try path(ofFile: Int(entry.file)),
      line: Int(entry.line), ordinal: Int(entry.ordinal),
      length: Int(entry.length), text: String(decoding: bytes, as: UTF8.self))
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
