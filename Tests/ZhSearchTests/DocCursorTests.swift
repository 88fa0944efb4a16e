import Foundation
import Testing

@testable import ZhSearch

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
