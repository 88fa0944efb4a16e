import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

struct FileDecoderTests {
  private func file(_ bytes: [UInt8]) -> String {
    let path = Fixtures.temporaryDirectory(named: "decoder") + "/file.txt"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    return path
  }

  /// Every paragraph of `path` as (line, ordinal, text), and the warning.
  private func paragraphs(
    _ path: String, encoding: TextEncoding? = nil, decoder: FileDecoder
  ) throws -> (paragraphs: [String], warning: CorpusWarning?) {
    var out: [String] = []
    let result = try CorpusReader().paragraphs(ofFile: path, encoding: encoding, decoder: decoder) { line, ordinal, _, text in
      out.append("\(line):\(ordinal):" + String(decoding: text, as: UTF8.self))
    }
    return (out, result.warning)
  }

  @Test func aFIFOIsSkippedWithoutWaitingForAWriter() throws {
    let folder = Fixtures.temporaryDirectory(named: "fifo")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/pipe.txt"
    #expect(mkfifo(path, 0o600) == 0)
    final class Outcome: @unchecked Sendable { var warning: CorpusWarning? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      outcome.warning = try? self.paragraphs(path, decoder: FileDecoder()).warning
      done.signal()
    }
    let inTime = done.wait(timeout: .now() + 10) == .success
    #expect(inTime, "the decoder waited for a writer")
    if !inTime {
      // A writer that comes and goes lets the blocked reader finish.
      close(open(path, O_WRONLY))
      done.wait()
    }
    #expect(outcome.warning?.kind == .notRegular)
    #expect(outcome.warning?.detail == "not a regular file (a FIFO; skipped)")
  }

  @Test func smallChunksGiveTheParagraphsOfTheWholeText() throws {
    // Lines end in LF, CR LF and CR, so that chunk ends fall between CR and LF too.
    var random = SeededGenerator(seed: 11)
    var text = ""
    let pieces = ["我们", "要坚定", "不移推进", "改革开放", "。", " ", "2024年", "GDP"]
    for _ in 0..<200 {
      for _ in 0..<Int.random(in: 0..<8, using: &random) { text += pieces.randomElement(using: &random)! }
      text += ["\n", "\r\n", "\r", "\n\n"].randomElement(using: &random)!
    }
    var expected: [String] = []
    try CorpusReader().paragraphs(in: Array(text.utf8), file: 0) { expected.append("\($0.line):\($0.ordinal):\($0.text)") }
    for chunkSize in [16, 17, 31, 4096] {
      let read = try paragraphs(file(Array(text.utf8)), decoder: FileDecoder(chunkSize: chunkSize, maxPortion: 256))
      #expect(read.paragraphs == expected, "chunk size \(chunkSize)")
      #expect(read.warning == nil)
    }
  }

  @Test func anOverlongLineIsReadInPiecesThatKeepItsLineNumberAndEveryCharacter() throws {
    let line = String(repeating: "国家发展和改革委员会", count: 300)  // 9,000 bytes, no break
    let path = file(Array((line + "\n第二行\n").utf8))
    let read = try paragraphs(path, decoder: FileDecoder(chunkSize: 100, maxPortion: 1000))
    let firstLine = read.paragraphs.filter { $0.hasPrefix("1:") }
    #expect(firstLine.count >= 8)
    #expect(firstLine.map { $0.split(separator: ":", maxSplits: 2)[2] }.joined() == line)
    #expect(read.paragraphs.last?.hasPrefix("2:") == true)
    #expect(read.paragraphs.last?.hasSuffix(":第二行") == true)
  }

  /// The paragraphs of `text` read through `decoder` from a file, and as the whole text
  /// cut at once, each as line:ordinal:text.
  private func readAndWhole(_ text: String, limit: Int, decoder: FileDecoder) throws -> (read: [String], whole: [String]) {
    let path = file(Array(text.utf8))
    defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
    var read: [String] = []
    _ = try CorpusReader(maxParagraphLength: limit).paragraphs(ofFile: path, encoding: nil, decoder: decoder) { line, ordinal, column, text in
      read.append("\(line):\(ordinal):\(column):" + String(decoding: text, as: UTF8.self))
    }
    var whole: [String] = []
    try CorpusReader(maxParagraphLength: limit).paragraphs(in: Array(text.utf8), file: 0) { whole.append("\($0.line):\($0.ordinal):\($0.column):\($0.text)") }
    return (read, whole)
  }

  @Test func aLongLineReadInPiecesGivesThePassagesOfTheWholeLine() throws {
    // Pieces of 40 KiB, read 8 KiB at a time; each piece leaves its unfinished passage to the
    // next.
    let decoder = FileDecoder(chunkSize: 8 << 10, pieceSize: 40 << 10)
    let corpus = try Fixtures.corpusLines().joined()
    // The bundled corpus's lines run together: about 600 KB of one line.
    for limit in [20, 400] {
      let (read, whole) = try readAndWhole("标题\n" + String(corpus.prefix(200_000)) + "\n末行\n", limit: limit, decoder: decoder)
      #expect(read == whole, "limit \(limit)")
      #expect(whole.count > 500)
    }
    // Random mixes of what the rules tell apart: sentence terminators, periods, closing
    // punctuation, spaces, clause punctuation, letters, digits, combining marks, paragraph
    // separators.
    let pieces = ["国", "家", "。", "！", ".", "．", "）", "”", " ", "\u{3000}", "，", "a", "B", "1", "\u{301}", "\u{2029}", "𠀀", "\t"]
    var random = SeededGenerator(seed: 23)
    for round in 0..<4 {
      var line = ""
      for _ in 0..<60_000 { line += pieces.randomElement(using: &random)! }
      let (read, whole) = try readAndWhole(line + "\r\n" + line, limit: [20, 50, 400, 37][round], decoder: decoder)
      #expect(read == whole, "round \(round)")
    }
    // Lines just under, at and just over the piece size.
    let sentence = Array("我们要坚定不移推进改革开放，加强基础设施建设。".utf8)
    for size in [(40 << 10) - 1, 40 << 10, (40 << 10) + 1, (40 << 10) + 17] {
      var bytes: [UInt8] = []
      while bytes.count + sentence.count <= size { bytes += sentence }
      bytes += Array(repeating: UInt8(ascii: "x"), count: size - bytes.count)
      let text = String(decoding: bytes, as: UTF8.self)
      let (read, whole) = try readAndWhole(text + "\n" + text, limit: 400, decoder: decoder)
      #expect(read == whole, "size \(size)")
    }
  }

  @Test func aLongLineWithoutABreakIsOnePassageReadInPieces() throws {
    // 3 MB of one Han character, and of one letter: no cut anywhere, so the passage is the
    // whole line, however many pieces it is read in.
    for character in ["国", "a"] {
      let count = character == "a" ? 3_000_000 : 1_000_000
      let text = "第一行\n" + String(repeating: character, count: count) + "\n第三行"
      let (read, whole) = try readAndWhole(text, limit: 400, decoder: FileDecoder())
      #expect(read.count == 3 && read == whole, "\(character)")
    }
  }

  @Test func memoryForALineWithoutBreaksIsBoundedByTheMaximumPortion() throws {
    // 90,000 bytes of one line, read in chunks of 100 with portions of at most ~1,000: the
    // decoder never holds the line whole (a 50 MB line or a file of gigabytes the same way).
    let line = String(repeating: "国家发展和改革委员会", count: 3000)
    let bytes = Array((line + "\n尾").utf8)
    var portions: [(count: Int, end: FileDecoder.PortionEnd)] = []
    var joined: [UInt8] = []
    let result = FileDecoder(chunkSize: 100, maxPortion: 1000).decode(file(bytes), encoding: nil) { text, end in
      portions.append((text.count, end))
      joined += text
      // Every piece is whole characters: its text decodes without repair.
      #expect(UTF8Validation.firstInvalid(text) == nil)
      return text.count
    }
    guard case .success = result else { Issue.record("\(result)"); return }
    #expect(joined == bytes)
    #expect(portions.count > 80)
    #expect(portions.map(\.count).max()! <= 1000 + 100)
    #expect(portions.filter { $0.end != .line }.count == portions.count - 1)
  }

  @Test func invalidUTF8IsReplacedAndItsFirstOffsetReported() throws {
    let before = Array(String(repeating: "经济运行总体平稳。\n", count: 40).utf8)
    let path = file(before + [0xFF, 0xFE] + Array("坏字节之后\n".utf8) + [0xC0])
    let read = try paragraphs(path, decoder: FileDecoder(chunkSize: 64, maxPortion: 256))
    #expect(read.warning?.kind == .invalidBytes)
    #expect(read.warning?.detail.contains("3 bytes") == true)
    #expect(read.warning?.detail.contains("byte offset \(before.count)") == true)
    #expect(read.paragraphs.contains("41:41:\u{FFFD}\u{FFFD}坏字节之后"))
    #expect(read.paragraphs.last == "42:42:\u{FFFD}")
  }

  @Test func legacyAndUTF16TextIsConvertedAcrossChunkBoundaries() throws {
    let gb = TextEncodingTests.gb18030 + [0x0A]
    let detected = try paragraphs(file(gb + gb), decoder: FileDecoder())
    #expect(detected.paragraphs == ["1:1:" + TextEncodingTests.gb18030Text, "2:2:" + TextEncodingTests.gb18030Text])
    #expect(detected.warning == nil)
    // Chunks of 17 bytes split two-byte characters; the converter carries them over.
    let forced = try paragraphs(file(gb + gb), encoding: .charset("GB18030"), decoder: FileDecoder(chunkSize: 17))
    #expect(forced.paragraphs == detected.paragraphs)
    let big5 = try paragraphs(file(TextEncodingTests.big5), encoding: .charset("Big5"), decoder: FileDecoder(chunkSize: 16))
    #expect(big5.paragraphs == ["1:1:" + TextEncodingTests.big5Text])

    let text = "中华人民共和国宪法\n第一条 𠀋\n"
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    for chunkSize in [17, 1 << 20] {
      let read = try paragraphs(file(utf16), decoder: FileDecoder(chunkSize: chunkSize))
      #expect(read.paragraphs == ["1:1:中华人民共和国宪法", "2:2:第一条 𠀋"], "chunk size \(chunkSize)")
    }
  }

  @Test func malformedLegacyBytesAreCountedWithTheirOffset() throws {
    // 0xFF is not a GB18030 lead byte.
    let bytes = TextEncodingTests.gb18030 + [0x0A, 0xFF] + TextEncodingTests.gb18030
    let read = try paragraphs(file(bytes), encoding: .charset("GB18030"), decoder: FileDecoder(chunkSize: 16))
    #expect(read.warning?.kind == .invalidBytes)
    #expect(read.warning?.detail.contains("byte offset \(TextEncodingTests.gb18030.count + 1)") == true)
    #expect(read.paragraphs.last == "2:2:\u{FFFD}" + TextEncodingTests.gb18030Text)
  }

  @Test func emptyBinaryBlankAndUnreadableFilesAreSkippedWithAReason() throws {
    let decoder = FileDecoder()
    #expect(try paragraphs(file([]), decoder: decoder).warning?.kind == .empty)
    #expect(try paragraphs(file(Array(" \n\r\n\t\n".utf8)), decoder: decoder).warning?.kind == .empty)
    let binary = try paragraphs(file([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0x41, 0x0A]), decoder: decoder)
    #expect(binary.warning?.kind == .binary && binary.paragraphs.isEmpty)
    let folder = Fixtures.temporaryDirectory(named: "folder")
    #expect(try paragraphs(folder, decoder: decoder).warning?.kind == .unreadable)
    #expect(try paragraphs(folder + "/missing.txt", decoder: decoder).warning?.kind == .unreadable)
    #expect([CorpusWarning.Kind.empty, .binary, .unreadable].allSatisfy { CorpusWarning(path: "", kind: $0, detail: "").skipped })
  }
}
