import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

struct CorpusReaderTests {
  @Test func foldersAreWalkedForTextFilesInNameOrderSkippingHiddenOnes() throws {
    let root = Fixtures.corpusFolder([
      "b.txt": "乙\n", "a/c.txt": "丙\n", "a/notes.md": "不要\n", ".hidden/d.txt": "丁\n", "UPPER.TXT": "戊\n",
    ])
    let files = try CorpusReader.files(in: [root])
    #expect(files == [root + "/UPPER.TXT", root + "/a/c.txt", root + "/b.txt"])
    // A file named directly is read whatever its extension.
    #expect(try CorpusReader.files(in: [root + "/a/notes.md"]) == [root + "/a/notes.md"])
    // Each with its size in bytes (three UTF-8 bytes and a newline), as the build shares them
    // out by it.
    let sized = CorpusReader.scanSized([root, root + "/a/notes.md"]).files
    #expect(sized.map(\.path) == files + [root + "/a/notes.md"])
    #expect(sized.map(\.bytes) == [4, 4, 4, 7])
  }

  @Test func pathsKeepTheFormTheArgumentGaveThem() throws {
    let root = Fixtures.corpusFolder(["x.txt": "甲\n"])
    #expect(try CorpusReader.files(in: [root + "/"]) == [root + "/x.txt"])
  }

  @Test func pathsThatCannotBeFollowedAreWarningsNotStops() throws {
    let root = Fixtures.corpusFolder(["a/x.txt": "甲\n", "b.txt": "乙\n"])
    try FileManager.default.createSymbolicLink(atPath: root + "/broken.txt", withDestinationPath: root + "/nowhere")
    try FileManager.default.createSymbolicLink(atPath: root + "/self.txt", withDestinationPath: root + "/self.txt")
    try FileManager.default.createSymbolicLink(atPath: root + "/a/up", withDestinationPath: root)
    // A name that is not UTF-8 (one 0xFF byte in it).
    let badName = Array((root + "/bad").utf8) + [0xFF] + Array(".txt".utf8) + [0]
    let descriptor = badName.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
    #expect(descriptor >= 0)
    close(descriptor)

    let (files, warnings) = CorpusReader.scan([root, root + "/nope"])
    #expect(files == [root + "/a/x.txt", root + "/b.txt"])
    let kinds = Dictionary(warnings.map { ($0.path, $0.kind) }, uniquingKeysWith: { a, _ in a })
    #expect(kinds[root + "/broken.txt"] == .brokenLink)
    #expect(kinds[root + "/self.txt"] == .linkLoop)
    #expect(kinds[root + "/a/up"] == .linkLoop)
    #expect(kinds[root + "/bad\u{FFFD}.txt"] == .badName)
    #expect(kinds[root + "/nope"] == .notFound)
    #expect(warnings.count == 5)
    #expect(warnings.allSatisfy { $0.skipped })
  }

  @Test func aFileReachedTwiceIsListedOnceWhereItWasFirstReached() throws {
    let root = Fixtures.corpusFolder(["a.txt": "甲\n", "b.txt": "乙\n", "sub/c.txt": "丙\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    // A symlink to a file of the folder is the same file; a hard-linked copy is another.
    try FileManager.default.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: root + "/a.txt")
    try FileManager.default.linkItem(atPath: root + "/b.txt", toPath: root + "/hard.txt")
    let files = try CorpusReader.files(in: [root + "/b.txt", root, root + "/./a.txt", root + "/sub/../sub/c.txt"])
    #expect(files == [root + "/b.txt", root + "/a.txt", root + "/hard.txt", root + "/sub/c.txt"])
    // Sizes stay with their files.
    #expect(CorpusReader.scanSized([root + "/sub/c.txt", root]).files.map(\.bytes) == [4, 4, 4, 4])
  }

  @Test func fifosSocketsAndDevicesAreSkippedWithAWarning() throws {
    let root = Fixtures.corpusFolder(["good.txt": "甲\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(mkfifo(root + "/pipe.txt", 0o600) == 0)
    // (Not a .txt file: left out without a word, as other files are.)
    #expect(mkfifo(root + "/pipe", 0o600) == 0)
    let (files, warnings) = CorpusReader.scan([root, root + "/pipe", "/dev/null"])
    #expect(files == [root + "/good.txt"])
    #expect(warnings.map(\.path) == [root + "/pipe.txt", root + "/pipe", "/dev/null"])
    #expect(warnings.allSatisfy { $0.kind == .notRegular && $0.skipped })
    #expect(warnings.first?.description == "\(root)/pipe.txt: not a regular file (a FIFO; skipped)")
    #expect(warnings.last?.detail == "not a regular file (a character device; skipped)")
  }

  @Test func noTextFilesAtAllIsAnError() throws {
    let root = Fixtures.corpusFolder(["a.md": "甲\n"])
    #expect(throws: CorpusError.noTextFiles(paths: [root])) { try CorpusReader.files(in: [root]) }
    #expect(throws: CorpusError.noTextFiles(paths: [root + "/nope"])) { try CorpusReader.files(in: [root + "/nope"]) }
  }

  @Test func paragraphsAreTrimmedNonEmptyLinesWithLineNumbersAndOrdinals() throws {
    let text = "\u{FEFF}标题\r\n\r\n\u{3000}\u{3000}第一段。  \n \t \n第二段\r第三段"
    var paragraphs: [Paragraph] = []
    try CorpusReader().paragraphs(in: Array(text.utf8), file: 3) { paragraphs.append($0) }
    #expect(paragraphs.map(\.text) == ["标题", "第一段。", "第二段", "第三段"])
    #expect(paragraphs.map(\.line) == [1, 3, 5, 6])
    #expect(paragraphs.map(\.ordinal) == [1, 2, 3, 4])
    #expect(paragraphs.allSatisfy { $0.file == 3 })
  }

  @Test func codePointsAreCountedAsTheStandardLibraryCountsThem() {
    let pieces = ["中", "文", "a", "1", "é", "😀", "\u{E000}", " "]
    var random = SeededGenerator(seed: 12)
    for length in 0..<40 {
      let text = (0..<length).map { _ in pieces.randomElement(using: &random)! }.joined()
      var utf8 = text
      #expect(utf8.withUTF8 { CorpusReader.codePointCount($0) } == text.unicodeScalars.count, "\(text)")
    }
  }

  @Test func invalidUTF8BecomesReplacementCharacters() throws {
    var paragraphs: [Paragraph] = []
    try CorpusReader().paragraphs(in: [0xE4, 0xB8, 0xAD, 0xFF, 0x41], file: 0) { paragraphs.append($0) }
    #expect(paragraphs.map(\.text) == ["中\u{FFFD}A"])
  }


  @Test func longLinesBecomePassagesOnTheSameLine() throws {
    let line = String(repeating: "我们要坚定不移推进改革开放。", count: 10)
    var paragraphs: [Paragraph] = []
    try CorpusReader(maxParagraphLength: 50).paragraphs(in: Array(("标题\n" + line).utf8), file: 0) {
      paragraphs.append($0)
    }
    #expect(paragraphs.count > 3)
    #expect(paragraphs.dropFirst().allSatisfy { $0.line == 2 })
    #expect(paragraphs.map(\.ordinal) == Array(1...paragraphs.count))
  }
}
