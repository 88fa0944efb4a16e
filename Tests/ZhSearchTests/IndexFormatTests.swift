import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

struct IndexFormatTests {
  private static let files = [
    "b/speech.txt": "各位代表：\n现在，我代表国务院，向大会报告政府工作。\n\n  2018年GDP增长6.6%。  \n",
    "a.txt": "中华人民共和国\r\n人民万岁\r\n",
  ]

  private func buildIndex() throws -> String {
    let folder = Fixtures.corpusFolder(Self.files)
    let index = Fixtures.temporaryDirectory(named: "index")
    _ = try IndexBuilder().build(paths: [folder], into: index)
    return index
  }

  @Test func varintsRoundTrip() throws {
    var buffer = ByteBuffer()
    let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), .max]
    for value in values { buffer.appendVarInt(value) }
    #expect(Array(buffer.bytes[3...4]) == [0x80, 0x01])
    // Decodes one value more than was written: that one must fail.
    let decoded: [UInt64?] = buffer.bytes.withUnsafeBytes { raw in
      var reader = ByteReader(raw, file: "test")
      var decoded: [UInt64?] = []
      for _ in 0...values.count { decoded.append(try? reader.readVarInt()) }
      return decoded
    }
    #expect(decoded == values + [nil])
  }

  @Test func radixSortIsStableAndOrdersByKey() {
    var random = SeededGenerator(seed: 7)
    var keys = (0..<5000).map { _ in UInt64.random(in: 0..<64, using: &random) << 40 | 0x10_0000 }
    var values = (0..<5000).map { UInt64($0) }
    let expected = zip(keys, values).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    RadixSort.sort(keys: &keys, values: &values)
    #expect(keys == expected.map(\.0))
    #expect(values == expected.map(\.1))
  }

  @Test func theOverflowStreamSortsStablyByKeyWordsAfterHanKeys() {
    // Words (dense ranks, counted into place) mixed with Han keys (radix-sorted apart), and
    // a stream of words only.
    var random = SeededGenerator(seed: 11)
    for hanShare in [0, 1, 5] {
      var sink = RecordSink()
      for i in 0..<4000 {
        let key =
          Int.random(in: 0..<10, using: &random) < hanShare
          ? TermKey.han(UInt32.random(in: 0x4E00..<0x4E40, using: &random), UInt32.random(in: 0..<0x20, using: &random))
          : TermKey.wordFlag | UInt64.random(in: 0..<300, using: &random)
        sink.overflowKeys.append(key)
        sink.overflowPlaces.append(UInt64(i))
      }
      let expected = zip(sink.overflowKeys, sink.overflowPlaces).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
      // (Scratch memory with records in it already.)
      let scratch = RecordBuffer()
      for record: UInt64 in [1, 2, 3] { scratch.append(record) }
      sink.sortOverflow(scratch: scratch)
      #expect(sink.overflowKeys == expected.map(\.0), "\(hanShare)")
      #expect(sink.overflowPlaces == expected.map(\.1), "\(hanShare)")
    }
  }

  @Test func sortingListsTheTermsOfOneRecordOrNone() throws {
    // One Han character alone in English text: a single packed record.
    let analyzer = try Analyzer()
    for (text, terms) in [("hello world 中", 1), ("hello world", 0)] {
      var sink = RecordSink()
      var bytes = Array(text.utf8)
      bytes.withUnsafeMutableBufferPointer { analyzer.scan(UnsafeBufferPointer($0), foldedText: false, offsets: false, into: &sink) }
      sink.sortOverflow(scratch: RecordBuffer())
      var packedTerms: [UInt64] = []
      sink.forEachTerm(buffer: RecordBuffer(), temp: RecordBuffer()) { key, _, inPacked, _ in
        if !inPacked.isEmpty { packedTerms.append(key) }
      }
      #expect(packedTerms.count == terms, "\(text)")
    }
  }

  @Test func termsComeOnceEachInKeyOrderWithBothStreams() throws {
    // 中国 and 国中 past position 4096 too (records in both streams), Han terms of other
    // buckets, and words, which come last.
    let analyzer = try Analyzer()
    var sink = RecordSink()
    var bytes = Array((String(repeating: "中国", count: 2100) + "人民2024年abc，一丁").utf8)
    bytes.withUnsafeMutableBufferPointer { analyzer.scan(UnsafeBufferPointer($0), foldedText: false, offsets: false, into: &sink) }
    _ = sink.remapWordsToRanks()
    sink.sortOverflow(scratch: RecordBuffer())
    var keys: [UInt64] = []
    var inBoth: [UInt64] = []
    var records = 0
    sink.forEachTerm(buffer: RecordBuffer(), temp: RecordBuffer()) { key, packed, inPacked, inOverflow in
      keys.append(key)
      if !inPacked.isEmpty && !inOverflow.isEmpty { inBoth.append(key) }
      records += inPacked.count + inOverflow.count
      #expect(inPacked.allSatisfy { PackedRecord.key(of: packed[$0]) == key })
    }
    #expect(keys == keys.sorted() && Set(keys).count == keys.count)
    #expect(Set(inBoth) == [TermKey.han(0x4E2D, 0x56FD), TermKey.han(0x56FD, 0x4E2D)])
    #expect(keys.filter { $0 & TermKey.wordFlag != 0 }.count == 3)
    #expect(keys.last.map { $0 & TermKey.wordFlag != 0 } == true)
    #expect(records == sink.count)
  }

  @Test func anIndexRoundTripsParagraphsFilesAndCounts() throws {
    let reader = try IndexReader(directory: buildIndex())
    #expect(reader.paragraphCount == 5)
    #expect(reader.fileCount == 2)
    let paragraphs = try (0..<reader.paragraphCount).map { try reader.paragraph($0) }
    #expect(paragraphs.map(\.text) == ["中华人民共和国", "人民万岁", "各位代表：", "现在，我代表国务院，向大会报告政府工作。", "2018年GDP增长6.6%。"])
    #expect(paragraphs.map(\.line) == [1, 2, 1, 2, 4])
    #expect(paragraphs.map(\.ordinal) == [1, 2, 1, 2, 3])
    #expect(paragraphs[0].file.hasSuffix("/a.txt"))
    #expect(paragraphs[4].file.hasSuffix("/b/speech.txt"))
    // 中华人民共和国: 7 Han tokens; 2018年GDP增长6.6%: 2018, 年, gdp, 增长, 长, 6, 6 (the
    // joined terms 2018年 and gdp增 are indexed too, but are not part of the length).
    #expect(paragraphs[0].length == 7)
    #expect(paragraphs[4].length == 7)
    let statistics = try reader.statistics()
    #expect(statistics.paragraphs == 5)
    #expect(statistics.positions == reader.totalLength + 2)
    let joined = try (0..<reader.dictionary.wordCount).map { try Array(reader.dictionary.word(at: $0)) }.filter { $0.contains(0) }
    #expect(joined == [TermKey.joinedWord(Array("2018".utf8), 0x5E74), TermKey.joinedWord(Array("gdp".utf8), 0x589E)])
    #expect(statistics.formatVersion == Int(IndexFormat.version))
    try reader.verify()
  }

  @Test func postingsRoundTripWithPositions() throws {
    let reader = try IndexReader(directory: buildIndex())
    let key = TermKey.han(0x4EBA, 0x6C11)  // 人民
    let entry = try #require(try reader.dictionary.entry(for: key))
    let list = try reader.postings(entry)
    #expect(list.paragraphs == [0, 1])
    #expect(Array(list.positions(at: 0)) == [2])
    #expect(Array(list.positions(at: 1)) == [0])
    #expect(try reader.dictionary.wordKey(Array("gdp".utf8)) != nil)
    #expect(try reader.dictionary.wordKey(Array("gdpr".utf8)) == nil)
  }

  @Test func rebuildingReplacesTheGenerationAndRemovesOldFiles() throws {
    let index = try buildIndex()
    let folder = Fixtures.corpusFolder(["c.txt": "新的内容\n"])
    _ = try IndexBuilder().build(paths: [folder], into: index)
    let reader = try IndexReader(directory: index)
    #expect(reader.generation == 2)
    #expect(reader.paragraphCount == 1)
    let names = try FileManager.default.contentsOfDirectory(atPath: index).sorted()
    #expect(
      names == [
        "000002.docs", "000002.files", "000002.paragraphs", "000002.positions", "000002.terms", "000002.text", "lock",
        "manifest",
      ])
  }

  @Test func aFolderWithOtherFilesIsNeverUsedAsAnIndex() throws {
    let folder = Fixtures.corpusFolder(["notes.txt": "重要\n"])
    #expect(throws: IndexBuilder.Failure.index(.foreignEntry(folder: folder, name: "notes.txt"))) {
      try IndexBuilder().build(paths: [folder], into: folder)
    }
    #expect(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8) == "重要\n")
  }

  @Test func aMissingIndexIsReportedAsSuch() {
    let path = Fixtures.temporaryDirectory(named: "empty") + "/nothing"
    #expect(throws: IndexError.noIndex(path: path)) { try IndexReader(directory: path) }
  }

  @Test func filesOfAnotherFormatVersionAreRefusedByName() throws {
    // Bytes 4-5 of every file hold its format version: a version this build does not read
    // (a newer one, or one before 2) is reported as such, never read as garbage.
    let copy = try copyIndex(try buildIndex())
    let url = URL(fileURLWithPath: copy + "/manifest")
    var data = try Data(contentsOf: url)
    for version: UInt16 in [1, IndexFormat.readableVersions.upperBound + 1] {
      data[4] = UInt8(version & 0xFF)
      data[5] = UInt8(version >> 8)
      try data.write(to: url)
      #expect(throws: IndexError.unsupportedVersion(file: "manifest", found: Int(version), supported: Int(IndexFormat.version))) {
        try IndexReader(directory: copy)
      }
    }
  }

  @Test func everyFlippedByteIsReportedAsDamage() throws {
    let original = try buildIndex()
    // Every byte of every file but the lock (whose content does not matter), one bit each,
    // edited in place and put back.
    let names = try FileManager.default.contentsOfDirectory(atPath: original).filter { $0 != "lock" }
    let copy = try copyIndex(original)
    for name in names {
      let url = URL(fileURLWithPath: copy + "/" + name)
      let data = try Data(contentsOf: url)
      for offset in data.indices {
        var damaged = data
        damaged[offset] ^= 1 << UInt8(offset % 8)
        try damaged.write(to: url)
        try expectDamageReported(copy, "\(name) byte \(offset)")
      }
      try data.write(to: url)
    }
    try IndexReader(directory: copy).verify()
  }

  @Test func aManifestSizeBeyondIntIsDamageNotATrap() throws {
    // Found by the FuzzIndex fuzzer: a sealed manifest whose first file size is 2^64 - 1.
    let index = try copyIndex(buildIndex())
    let files = try IndexFormat.dataKinds.map { kind in
      let sealed = Array(try Data(contentsOf: URL(fileURLWithPath: index + "/" + kind.fileName(generation: 1))))
      return (bytes: sealed.count, tableChecksum: IndexFormat.tableChecksum(ofSealed: sealed))
    }
    var manifest = IndexFormat.manifest(generation: 1, files: files)
    let sizeField = 24 + 2 + IndexFormat.FileKind.terms.fileName(generation: 1).utf8.count
    for i in sizeField..<sizeField + 8 { manifest[i] = 0xFF }
    try Data(IndexFormat.seal(manifest, kind: .manifest)).write(to: URL(fileURLWithPath: index + "/manifest"))
    #expect(throws: IndexError.self) { try IndexReader(directory: index) }
  }

  @Test func everyTruncationIsReportedAsDamage() throws {
    let original = try buildIndex()
    let copy = try copyIndex(original)
    for name in try FileManager.default.contentsOfDirectory(atPath: original) where name != "lock" {
      let url = URL(fileURLWithPath: copy + "/" + name)
      let data = try Data(contentsOf: url)
      // About a hundred lengths through the file, and each of its last 40.
      let step = max(1, data.count / 97)
      var lengths = Array(stride(from: 0, to: data.count, by: step))
      lengths += Array(max(0, data.count - 40)..<data.count)
      for length in lengths {
        try data.prefix(length).write(to: url)
        try expectDamageReported(copy, "\(name) cut to \(length)")
      }
      try data.write(to: url)
    }
  }

  /// Opening, searching or verifying the index must throw `IndexError`, never crash; a
  /// full verification must always find the damage.
  private func expectDamageReported(_ index: String, _ what: String) throws {
    do {
      let reader = try IndexReader(directory: index)
      let searcher = try Searcher(reader: reader)
      for query in ["人民", "民", "gdp", "2018年", "\"现在，我\""] {
        _ = try? searcher.search(query)
      }
      #expect(!reader.problems().isEmpty, "damage not detected: \(what)")
      try reader.verify()
    } catch is IndexError {
      // Reported as it should be.
    }
  }

  private func copyIndex(_ index: String) throws -> String {
    let copy = Fixtures.temporaryDirectory(named: "copy")
    for name in try FileManager.default.contentsOfDirectory(atPath: index) {
      try FileManager.default.copyItem(atPath: index + "/" + name, toPath: copy + "/" + name)
    }
    return copy
  }
}
