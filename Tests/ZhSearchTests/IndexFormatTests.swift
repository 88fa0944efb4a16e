import Foundation
import Testing

@testable import ZhSearch

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
      names == ["000002.docs", "000002.paragraphs", "000002.positions", "000002.terms", "000002.text", "lock", "manifest"])
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
    let sizeField = 16 + 2 + IndexFormat.FileKind.terms.fileName(generation: 1).utf8.count
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

/// Skip tables of long lists, checked against the full decoding.
struct DocCursorTests {
  /// Copies the bundled index, edits one data file's payload with `edit`, and seals it again
  /// with valid checksums and an updated manifest: a forged file that every CRC accepts.
  private func forged(_ kind: IndexFormat.FileKind, edit: (inout [UInt8]) -> Void) throws -> String {
    let copy = Fixtures.temporaryDirectory(named: "forged")
    for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.corpusIndex) where name != "lock" {
      try FileManager.default.copyItem(atPath: Fixtures.corpusIndex + "/" + name, toPath: copy + "/" + name)
    }
    func payload(_ file: [UInt8]) -> [UInt8] {
      let length = file[file.count - 20..<file.count - 12].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
      return Array(file[IndexFormat.headerSize..<IndexFormat.headerSize + length])
    }
    let manifest = payload(Array(try Data(contentsOf: URL(fileURLWithPath: copy + "/manifest"))))
    let generation = manifest[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    let name = kind.fileName(generation: generation)
    var data = payload(Array(try Data(contentsOf: URL(fileURLWithPath: copy + "/" + name))))
    edit(&data)
    try Data(IndexFormat.seal(data, kind: kind)).write(to: URL(fileURLWithPath: copy + "/" + name))
    // The manifest, from the files as they now are.
    let files = try IndexFormat.dataKinds.map { kind in
      let sealed = Array(try Data(contentsOf: URL(fileURLWithPath: copy + "/" + kind.fileName(generation: generation))))
      return (bytes: sealed.count, tableChecksum: IndexFormat.tableChecksum(ofSealed: sealed))
    }
    let rebuilt = IndexFormat.manifest(generation: generation, files: files)
    try Data(IndexFormat.seal(rebuilt, kind: .manifest)).write(to: URL(fileURLWithPath: copy + "/manifest"))
    return copy
  }

  @Test func aForgedSkipEntryIsReportedNotFollowed() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var long: TermEntry? = nil
    try reader.dictionary.forEach { if long == nil && $0.documentFrequency > 3 * IndexFormat.skipBlock { long = $0 } }
    let entry = try #require(long)
    let full = try reader.postings(entry)
    // Each field of the first skip entry in turn: last paragraph, docs bit, position index.
    for field in 0..<3 {
      let index = try forged(.docs) { payload in
        let at = entry.docsRange.lowerBound + 4 * field
        payload[at] ^= 0x01
      }
      let damaged = try IndexReader(directory: index)
      var cursor = try damaged.docCursor(entry)
      #expect(throws: IndexError.self, "field \(field)") {
        for paragraph in full.paragraphs { _ = try cursor.find(paragraph) }
      }
    }
    // The fourth, where the block's positions start, is caught by a full verification.
    let index = try forged(.docs) { payload in payload[entry.docsRange.lowerBound + 12] ^= 0x01 }
    #expect(throws: IndexError.self) { try IndexReader(directory: index).verify() }
  }

  /// Every posting of two iterators, read in lockstep by `DocIterator.decodeAll`.
  private func readInLockstep(_ a: inout DocIterator, _ b: inout DocIterator) throws -> [(UInt32, UInt32)] {
    var postings: [(UInt32, UInt32)] = []
    try DocIterator.decodeAll(&a, &b) { paragraphs, frequencies, count, _ in
      for i in 0..<count { postings.append((paragraphs[i], frequencies[i])) }
    }
    return postings
  }

  @Test func aLongListReadAsTwoHalvesInLockstepGivesItsPostings() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var long: TermEntry? = nil
    try reader.dictionary.forEach { if long == nil && $0.documentFrequency > 5 * IndexFormat.skipBlock { long = $0 } }
    let entry = try #require(long)
    let full = try reader.docList(entry)
    var (first, second) = try #require(try reader.docIteratorHalves(entry))
    let read = try readInLockstep(&first, &second).sorted { $0.0 < $1.0 }
    #expect(read.map(\.0) == full.paragraphs && read.map(\.1) == full.frequencies)
    #expect(first.frequencySum + second.frequencySum == UInt64(entry.occurrences))
    // A skip entry that moves where the second half starts is reported, not followed.
    let middle = (IndexReader.skipCount(entry) + 1) / 2 - 1
    for field in 0..<2 {
      let index = try forged(.docs) { payload in
        payload[entry.docsRange.lowerBound + middle * IndexFormat.skipEntrySize + 4 * field] ^= 0x01
      }
      let damaged = try IndexReader(directory: index)
      #expect(throws: IndexError.self, "field \(field)") {
        guard var (first, second) = try damaged.docIteratorHalves(entry) else { return }
        _ = try readInLockstep(&first, &second)
      }
    }
  }

  /// A list's postings decoded one at a time (`DocIterator.next`): the reference for the
  /// bulk decoders.
  private func postingsOneByOne(_ reader: IndexReader, _ entry: TermEntry) throws -> (paragraphs: [UInt32], frequencies: [UInt32]) {
    var docs = try reader.docIterator(entry)
    var (paragraphs, frequencies): ([UInt32], [UInt32]) = ([], [])
    while let (paragraph, frequency) = try docs.next() {
      paragraphs.append(paragraph)
      frequencies.append(frequency)
    }
    return (paragraphs, frequencies)
  }

  @Test func listsDecodedAsTwoChainsAreTheirPostingsOneByOne() throws {
    // Lists from one posting to the longest, alone (cut near their middle) and in pairs of
    // every mix of lengths (a short list with a long one cut near the middle of both, two
    // long ones, two short ones that are not cut).
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var all: [TermEntry] = []
    try reader.dictionary.forEach { all.append($0) }
    all.sort { $0.documentFrequency < $1.documentFrequency }
    let picks = (0..<12).map { all[(all.count - 1) * $0 * $0 / 121] }
    #expect(picks.last!.documentFrequency > 8 * IndexFormat.skipBlock && picks.first!.documentFrequency == 1)
    for a in picks {
      let alone = try reader.docList(a)
      let reference = try postingsOneByOne(reader, a)
      #expect(alone.paragraphs == reference.paragraphs && alone.frequencies == reference.frequencies)
      for b in picks {
        let (first, second) = try reader.docLists(a, b)
        let other = try postingsOneByOne(reader, b)
        #expect(first.paragraphs == reference.paragraphs && first.frequencies == reference.frequencies)
        #expect(second.paragraphs == other.paragraphs && second.frequencies == other.frequencies)
        #expect(first.positionIndex == alone.positionIndex && first.entry.key == a.key && second.entry.key == b.key)
      }
    }
  }

  @Test func cursorsFindEveryParagraphOfLongListsWithTheirPositions() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    var long: [TermEntry] = []
    try reader.dictionary.forEach {
      if $0.documentFrequency > 3 * IndexFormat.skipBlock && !TermKey.isCharacterList($0.key) { long.append($0) }
    }
    #expect(long.count > 20)
    for entry in long.prefix(60) {
      let full = try reader.postings(entry)
      // Every other paragraph, so that cursors both step inside blocks and jump over them.
      var cursor = try reader.docCursor(entry)
      var positions = try reader.positionReader(entry)
      for i in stride(from: 0, to: full.count, by: 2) {
        let paragraph = full.paragraphs[i]
        if paragraph > 0 && (i == 0 || full.paragraphs[i - 1] != paragraph - 1) {
          #expect(try cursor.find(paragraph - 1) == nil)
        }
        let found = try #require(try cursor.find(paragraph))
        positions.jump(toBit: found.blockPositionsOffset, index: found.blockPositionIndex)
        var values: [UInt32] = []
        try positions.positions(from: found.positionIndex, count: found.frequency, into: &values)
        #expect(values[...] == full.positions(at: i), "term \(entry.key) paragraph \(paragraph)")
      }
    }
  }
}
