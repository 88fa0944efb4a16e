import Foundation
import Testing

@testable import ZhSearch

struct CorpusReaderTests {
  @Test func foldersAreWalkedForTextFilesInNameOrderSkippingHiddenOnes() throws {
    let root = Fixtures.corpusFolder([
      "b.txt": "乙\n", "a/c.txt": "丙\n", "a/notes.md": "不要\n", ".hidden/d.txt": "丁\n", "UPPER.TXT": "戊\n",
    ])
    let files = try CorpusReader.files(in: [root])
    #expect(files == [root + "/UPPER.TXT", root + "/a/c.txt", root + "/b.txt"])
    // A file named directly is read whatever its extension.
    #expect(try CorpusReader.files(in: [root + "/a/notes.md"]) == [root + "/a/notes.md"])
  }

  @Test func pathsKeepTheFormTheArgumentGaveThem() throws {
    let root = Fixtures.corpusFolder(["x.txt": "甲\n"])
    #expect(try CorpusReader.files(in: [root + "/"]) == [root + "/x.txt"])
  }

  @Test func missingPathsAndEmptyFoldersAreErrors() throws {
    let root = Fixtures.corpusFolder(["a.md": "甲\n"])
    #expect(throws: CorpusError.notFound(path: root + "/nope")) {
      try CorpusReader.files(in: [root + "/nope"])
    }
    #expect(throws: CorpusError.noTextFiles(paths: [root])) { try CorpusReader.files(in: [root]) }
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

  @Test func invalidUTF8BecomesReplacementCharacters() throws {
    var paragraphs: [Paragraph] = []
    try CorpusReader().paragraphs(in: [0xE4, 0xB8, 0xAD, 0xFF, 0x41], file: 0) { paragraphs.append($0) }
    #expect(paragraphs.map(\.text) == ["中\u{FFFD}A"])
  }

  @Test func utf8ValidationAgreesWithTheStandardLibrary() {
    var random = SeededGenerator(seed: 8)
    let samples: [[UInt8]] = [
      Array("中文English2018年😀".utf8), [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
      [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xE4, 0xB8], [0x41, 0xFF], Array(repeating: 0x61, count: 17),
    ] + (0..<300).map { _ in (0..<Int.random(in: 1..<12, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) } }
    for bytes in samples {
      let expected = String(validating: bytes, as: UTF8.self) != nil
      #expect(bytes.withUnsafeBufferPointer(CorpusReader.isValidUTF8) == expected, "\(bytes)")
    }
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
