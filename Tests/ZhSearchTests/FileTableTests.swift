import Foundation
import Testing

@testable import ZhSearch

/// The `files` file: written by `FileTableWriter`, read by `FileTable`, and what a build
/// records in it.
struct FileTableTests {
  static let files = [
    IndexedFile(path: "/c/a.txt", isAbsolute: true, encoding: "UTF-8", bytes: 10, modified: 1_500_000_000, paragraphs: 2),
    IndexedFile(path: "/c/书/b.txt", isAbsolute: true, encoding: nil, bytes: 7, modified: nil, paragraphs: 0),
  ]

  /// The table of `payload`, sealed and opened as a reader opens it.
  private func table(_ payload: [UInt8], fileCount: Int) throws -> FileTable {
    let path = Fixtures.temporaryDirectory(named: "files") + "/000001.files"
    try Data(IndexFormat.seal(payload, kind: .files)).write(to: URL(fileURLWithPath: path))
    return try FileTable(IndexFile(path: path, name: "000001.files", kind: .files), fileCount: fileCount)
  }

  @Test func whatIsWrittenIsReadBack() throws {
    let payload = FileTableWriter.payload(files: Self.files, roots: ["/c", "/d/e.txt"], builtAt: 1_765_000_000)
    let table = try table(payload, fileCount: 2)
    #expect(try (0..<2).map { try table.entry($0) } == Self.files)
    #expect(try table.roots() == ["/c", "/d/e.txt"])
    #expect(table.builtAt == 1_765_000_000)
    try table.verify()
  }

  @Test func theWorkedExampleOfTheFormatHoldsByteForByte() {
    let payload = FileTableWriter.payload(files: [Self.files[0]], roots: ["/c"], builtAt: 100)
    var expected = ByteBuffer()
    for value: UInt64 in [1, 1, 100, 10, 1_500_000_000] { expected.append(value) }
    expected.append(UInt32(2))
    expected.append(UInt32(0))
    for offset: UInt64 in [0, 8, 13, 15] { expected.append(offset) }
    expected.append(contentsOf: "/c/a.txtUTF-8/c".utf8)
    #expect(payload == expected.bytes)
    #expect(payload.count == 95)
  }

  @Test func aFileCountOtherThanTheParagraphTablesIsDamage() throws {
    let payload = FileTableWriter.payload(files: Self.files, roots: [], builtAt: 0)
    #expect {
      _ = try table(payload, fileCount: 3)
    } throws: { error in
      guard case .corrupt(let file, _) = error as? IndexError else { return false }
      return file == "000001.files"
    }
  }

  @Test func aStringOffsetOutsideTheTableIsDamageFoundByVerify() throws {
    var payload = FileTableWriter.payload(files: Self.files, roots: ["/c"], builtAt: 0)
    // The end of the last string (the root), pointed past the bytes.
    let last = FileTableWriter.headerSize + 2 * FileTableWriter.entrySize + 5 * 8
    payload.replaceSubrange(last..<last + 8, with: [0xFF, 0, 0, 0, 0, 0, 0, 0])
    let table = try table(payload, fileCount: 2)
    #expect(try table.entry(1) == Self.files[1])
    #expect(throws: IndexError.self) { try table.roots() }
    #expect(throws: IndexError.self) { try table.verify() }
  }

  @Test func aBuildRecordsEachFilesPathEncodingSizeTimeAndParagraphs() throws {
    let corpus = Fixtures.corpusFolder(["a.txt": "国家发展。\n\n人民生活。\n", "sub/b.txt": "改革开放。\n"])
    // A UTF-16 file with its byte order mark, and a binary file (skipped).
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in "脱贫攻坚。\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    try Data(utf16).write(to: URL(fileURLWithPath: corpus + "/c.txt"))
    try Data([0x41, 0, 0x42, 0]).write(to: URL(fileURLWithPath: corpus + "/d.txt"))
    let index = Fixtures.temporaryDirectory(named: "index")
    let before = Int64(Date().timeIntervalSince1970)
    // Given with `.` and `..` and a doubled slash: recorded normalized.
    let report = try IndexBuilder(threads: 2).build(paths: [corpus + "/./sub/..//"], into: index)
    let reader = try IndexReader(directory: index)
    #expect(reader.recordsFiles)
    #expect(try reader.roots() == [corpus])
    #expect(report.statistics.roots == [corpus])
    let builtAt = try #require(reader.builtAt)
    #expect(builtAt >= before && builtAt <= Int64(Date().timeIntervalSince1970))
    let files = try reader.files()
    #expect(files.map(\.path) == ["a.txt", "c.txt", "d.txt", "sub/b.txt"].map { corpus + "/" + $0 })
    #expect(files.map(\.encoding) == ["UTF-8", "UTF-16LE", nil, "UTF-8"])
    #expect(files.map(\.paragraphs) == [2, 1, 0, 1])
    for file in files {
      let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
      #expect(file.bytes == (attributes[.size] as? Int))
      let modified = try #require(attributes[.modificationDate] as? Date).timeIntervalSince1970
      #expect(abs(Double(try #require(file.modified)) / 1e9 - modified) < 0.001)
    }
    // Each paragraph names its file's absolute path.
    #expect(try reader.paragraph(0).path == corpus + "/a.txt")
    #expect(try reader.paragraph(reader.paragraphCount - 1).path == corpus + "/sub/b.txt")
    #expect(reader.problems().isEmpty)
  }

  @Test func anIndexWithoutAFilesFileIsReadWithItsStoredNames() throws {
    // An index of format 3 lists five files in its manifest; what the files file would
    // say is then unknown.
    let corpus = Fixtures.corpusFolder(["a.txt": "国家发展。\n人民生活。\n", "b.txt": "改革开放。\n"])
    let index = Fixtures.temporaryDirectory(named: "index")
    _ = try IndexBuilder(threads: 1).build(paths: [corpus], into: index)
    let sealed = try IndexFormat.legacyDataKinds.map { kind in
      Array(try Data(contentsOf: URL(fileURLWithPath: index + "/" + kind.fileName(generation: 1))))
    }
    let manifest = IndexFormat.manifest(
      generation: 1, files: sealed.map { ($0.count, IndexFormat.tableChecksum(ofSealed: $0)) }, kinds: IndexFormat.legacyDataKinds)
    try Data(IndexFormat.seal(manifest, kind: .manifest)).write(to: URL(fileURLWithPath: index + "/manifest"))
    try FileManager.default.removeItem(atPath: index + "/" + IndexFormat.FileKind.files.fileName(generation: 1))
    let reader = try IndexReader(directory: index)
    #expect(!reader.recordsFiles)
    #expect(try reader.roots() == nil)
    #expect(reader.builtAt == nil)
    #expect(
      try reader.files()
        == [corpus + "/a.txt", corpus + "/b.txt"].enumerated().map {
          IndexedFile(path: $0.element, isAbsolute: false, encoding: nil, bytes: nil, modified: nil, paragraphs: 2 - $0.offset)
        })
    #expect(try reader.paragraph(0).path == nil)
    #expect(try reader.statistics().roots == nil)
    #expect(reader.problems().isEmpty)
  }
}
