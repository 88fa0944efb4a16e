/// Reads the `files` file of an index: per corpus file its absolute path, encoding, size,
/// modification time and paragraphs, and the build's roots and time (`IndexFormat`, section
/// files; written by `FileTableWriter`).
///
/// The counts in the header are checked against the file's size, and the number of files
/// against the `paragraphs` file's, before any arithmetic on them; each string's offsets
/// are checked when it is read.
final class FileTable {
  let file: IndexFile
  let fileCount: Int
  let rootCount: Int
  /// When the build started, in seconds since 1970 UTC.
  let builtAt: Int64
  private let offsetsStart: Int
  private let stringsStart: Int

  /// Opens the table of `file`, which must list `fileCount` files (the `paragraphs` file's
  /// count).
  init(_ file: IndexFile, fileCount expected: Int) throws(IndexError) {
    self.file = file
    let headerSize = FileTableWriter.headerSize
    guard file.payloadCount >= headerSize else {
      throw .corrupt(file: file.name, detail: "counts do not fit the file")
    }
    var header = ByteReader(try file.bytes(0..<headerSize), file: file.name)
    let files64 = try header.read(UInt64.self)
    let roots64 = try header.read(UInt64.self)
    builtAt = Int64(bitPattern: try header.read(UInt64.self))
    let size = UInt64(file.payloadCount)
    let entrySize = UInt64(FileTableWriter.entrySize)
    guard files64 <= size / entrySize, roots64 <= size / 8,
      UInt64(headerSize) + files64 * entrySize + (2 * files64 + roots64 + 1) * 8 <= size
    else { throw .corrupt(file: file.name, detail: "counts do not fit the file") }
    guard files64 == UInt64(expected) else {
      throw .corrupt(file: file.name, detail: "lists \(files64) files, the paragraph table \(expected)")
    }
    fileCount = Int(files64)
    rootCount = Int(roots64)
    offsetsStart = headerSize + fileCount * FileTableWriter.entrySize
    stringsStart = offsetsStart + (2 * fileCount + rootCount + 1) * 8
  }

  /// The record of file `index`.
  func entry(_ index: Int) throws(IndexError) -> IndexedFile {
    guard index >= 0, index < fileCount else { throw .corrupt(file: file.name, detail: "no corpus file \(index)") }
    let start = FileTableWriter.headerSize + index * FileTableWriter.entrySize
    var reader = ByteReader(try file.bytes(start..<start + FileTableWriter.entrySize), file: file.name)
    let bytes = try reader.read(UInt64.self)
    let modified = Int64(bitPattern: try reader.read(UInt64.self))
    let paragraphs = try reader.read(UInt32.self)
    let encoding = try string(fileCount + index)
    return IndexedFile(
      path: try path(index), isAbsolute: true, encoding: encoding.isEmpty ? nil : encoding,
      bytes: Int(exactly: bytes).flatMap { $0 <= Int.max / 2 ? $0 : nil },
      modified: modified == 0 ? nil : modified, paragraphs: Int(paragraphs))
  }

  /// The absolute path of file `index`.
  func path(_ index: Int) throws(IndexError) -> String {
    guard index >= 0, index < fileCount else { throw .corrupt(file: file.name, detail: "no corpus file \(index)") }
    return try string(index)
  }

  /// The paths given to the build, absolute.
  func roots() throws(IndexError) -> [String] {
    var roots: [String] = []
    for root in 0..<rootCount { roots.append(try string(2 * fileCount + root)) }
    return roots
  }

  /// Reads every entry and string, throwing the first that points outside the table.
  func verify() throws(IndexError) {
    for index in 0..<fileCount { _ = try entry(index) }
    _ = try roots()
  }

  /// String `index` of the table (paths, then encodings, then roots).
  private func string(_ index: Int) throws(IndexError) -> String {
    let slot = offsetsStart + index * 8
    var reader = ByteReader(try file.bytes(slot..<slot + 16), file: file.name)
    let start = try reader.read(UInt64.self)
    let end = try reader.read(UInt64.self)
    guard start <= end, end <= UInt64(file.payloadCount - stringsStart) else {
      throw .corrupt(file: file.name, detail: "string \(index) points outside the table")
    }
    return String(decoding: try file.bytes(stringsStart + Int(start)..<stringsStart + Int(end)), as: UTF8.self)
  }
}
