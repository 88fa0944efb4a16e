/// Reading what the index records of its corpus files and of the build (`FileTable`), with
/// what an index of format 2 or 3, which has no `files` file, can still say.
extension IndexReader {
  /// Whether the index records its files' absolute paths, encodings, sizes and times, and
  /// its roots and build time (format version 4 on).
  public var recordsFiles: Bool { fileTable != nil }

  /// The paths given to the build, absolute; nil when the index does not say.
  public func roots() throws(IndexError) -> [String]? { try fileTable?.roots() }

  /// When the index was built, in seconds since 1970 UTC; nil when the index does not say.
  public var builtAt: Int64? { fileTable?.builtAt }

  /// The path of corpus file `index`: absolute when the index records it, else as reached
  /// when indexing (`fileName`).
  public func path(ofFile index: Int) throws(IndexError) -> String {
    guard let fileTable else { return try fileName(index) }
    guard index >= 0, index < fileCount else {
      throw .corrupt(file: fileTable.file.name, detail: "no corpus file \(index)")
    }
    if filePaths.isEmpty { filePaths = [String?](repeating: nil, count: fileCount) }
    if let path = filePaths[index] { return path }
    let path = try fileTable.path(index)
    filePaths[index] = path
    return path
  }

  /// Every corpus file, in index order. An index without a `files` file gives the paths as
  /// reached when indexing and each file's paragraphs (counted in the paragraph table),
  /// with no encoding, size or time.
  public func files() throws(IndexError) -> [IndexedFile] {
    if let fileTable {
      var files: [IndexedFile] = []
      files.reserveCapacity(fileCount)
      for index in 0..<fileCount { files.append(try fileTable.entry(index)) }
      return files
    }
    var counts = [Int](repeating: 0, count: fileCount)
    for id in 0..<paragraphCount {
      let file = Int(try paragraphs.uint32(at: ParagraphEntry.offset(of: id) + ParagraphEntry.fileOffset))
      guard file < fileCount else { throw .corrupt(file: paragraphs.name, detail: "paragraph \(id) names no corpus file") }
      counts[file] += 1
    }
    var files: [IndexedFile] = []
    for index in 0..<fileCount {
      files.append(
        IndexedFile(
          path: try fileName(index), isAbsolute: false, encoding: nil, bytes: nil, modified: nil, paragraphs: counts[index]))
    }
    return files
  }
}
