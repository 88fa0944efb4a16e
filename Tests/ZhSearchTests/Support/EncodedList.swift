@testable import ZhSearch
import ZhSearchBench

/// One term's list written by the final format's encoders and read back by its decoders:
/// the round trips of `DocEncoderTests`, `PositionAppenderTests` and `ShortListTests`.
struct EncodedList {
  /// A posting: its paragraph and its positions (ascending, at least one).
  typealias Posting = (paragraph: UInt64, positions: [UInt64])

  /// The docs list (skip entries, then doc bits) and the positions (low bits, high bits).
  var docs: [UInt8]
  var positions: [UInt8]
  let gapBits: Int
  let lowBits: Int
  let paragraphCount: Int
  let documentFrequency: Int
  let occurrences: Int

  /// How the postings reach the encoders: the three ways the merge feeds them.
  enum Path {
    /// One posting at a time (`DocEncoder.add`, `PositionAppender.append(value:)`).
    case onePosting
    /// Packed records of a scratch run in memory (`DocEncoder.encodePacked`).
    case packed
    /// Doc codes one at a time, then the positions from varints as a scratch run on disk
    /// holds them (`PositionAppender.appendVarInts`).
    case varInts
  }

  /// The values of the positions stream: each posting's first position, then the gaps.
  static func values(_ postings: [Posting]) -> [UInt64] {
    postings.flatMap { posting in posting.positions.indices.map { i in posting.positions[i] - (i == 0 ? 0 : posting.positions[i - 1]) } }
  }

  /// Packed records (paragraph << 12 | position) of postings whose paragraphs are below
  /// 2^21 and positions below 4096.
  static func records(_ postings: [Posting]) -> [UInt64] {
    postings.flatMap { posting in posting.positions.map { posting.paragraph << 12 | $0 } }
  }

  /// Encodes `postings` with the G of their count, or `gapBits` when given.
  init(_ postings: [Posting], paragraphCount: Int, lowBits: Int, path: Path, gapBits: Int? = nil) throws {
    self.paragraphCount = paragraphCount
    self.lowBits = lowBits
    documentFrequency = postings.count
    occurrences = postings.reduce(0) { $0 + $1.positions.count }
    self.gapBits = gapBits ?? IndexFormat.docGapBits(documentFrequency: postings.count, paragraphCount: paragraphCount)
    var scratch = DocScratch()
    var streams = PositionStreams(lowBits: lowBits)
    var list = DocEncoder(gapBits: self.gapBits, tally: nil)
    var docBits = scratch.docs.lend()
    var appender = streams.lend()
    switch path {
    case .onePosting:
      for posting in postings {
        if list.startsBlock {
          try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: appender.highBitCount, skips: &scratch.skips)
        }
        try list.add(posting.paragraph, UInt64(posting.positions.count), docs: &docBits, file: "test")
        for value in Self.values([posting]) { appender.append(value: value) }
      }
    case .packed:
      let records = Self.records(postings)
      try records.withUnsafeBufferPointer { records in
        try DocEncoder.encodePacked(
          records, 0..<records.count, base: 0, list: &list, docBits: &docBits, skips: &scratch.skips, positions: &appender)
      }
    case .varInts:
      var values = 0
      for posting in postings {
        if list.startsBlock { try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: values, skips: &scratch.skips) }
        try list.add(posting.paragraph, UInt64(posting.positions.count), docs: &docBits, file: "test")
        values += posting.positions.count
      }
      var places = ByteBuffer()
      for value in Self.values(postings) { places.appendVarInt(value) }
      try places.bytes.withUnsafeBytes { places in
        try appender.appendVarInts(places, count: values, skips: &scratch.skips, from: 0)
      }
    }
    docBits.alignToByte()
    scratch.docs.settle(docBits)
    streams.settle(appender)
    docs = scratch.skips.bytes + scratch.docs.bytes
    var out = RawByteBuffer(capacity: 16)
    defer { out.deallocate() }
    _ = streams.write(into: &out)
    positions = Array(out.bytes)
  }

  /// The list's dictionary entry, as if it were the first in its files.
  var entry: TermEntry {
    TermEntry(
      key: 1, docsRange: 0..<docs.count, positionsRange: 0..<positions.count, documentFrequency: documentFrequency,
      occurrences: occurrences)
  }

  /// The bytes of the skip table.
  var skipBytes: Int { (documentFrequency - 1) / IndexFormat.skipBlock * IndexFormat.skipEntrySize }

  /// Every posting, decoded in order by a `DocIterator` (in bulk) with its positions read by
  /// a `PositionReader`.
  func decoded() throws -> [Posting] {
    var postings: [Posting] = []
    try docs.withUnsafeBytes { raw in
      try positions.withUnsafeBytes { positionBytes in
        let bits = UnsafeRawBufferPointer(rebasing: raw[skipBytes...])
        var iterator = DocIterator(
          decoder: DocDecoder(bits, gapBits: gapBits, paragraphCount: paragraphCount), entry: entry, file: "test")
        var reader = try PositionReader(positionBytes, occurrences: occurrences, lowBits: lowBits, file: "test")
        var index = 0
        try iterator.decodeAll { (paragraphs, frequencies, count) throws(IndexError) in
          for i in 0..<count {
            var out: [UInt32] = []
            try reader.positions(from: index, count: Int(frequencies[i]), into: &out)
            index += Int(frequencies[i])
            postings.append((UInt64(paragraphs[i]), out.map(UInt64.init)))
          }
        }
        try iterator.checkFrequencySum()
      }
    }
    return postings
  }

  /// The postings of `paragraphs` (ascending) found through the skip table by a
  /// `DocCursor`, with their positions read from where their blocks start; nil for a
  /// paragraph the list does not hold.
  func found(_ paragraphs: [UInt32]) throws -> [Posting?] {
    try docs.withUnsafeBytes { raw in
      try positions.withUnsafeBytes { positionBytes in
        var cursor = DocCursor(
          entry: entry, skips: UnsafeRawBufferPointer(rebasing: raw[..<skipBytes]),
          docs: UnsafeRawBufferPointer(rebasing: raw[skipBytes...]), gapBits: gapBits, paragraphCount: paragraphCount,
          file: "test")
        var reader = try PositionReader(positionBytes, occurrences: occurrences, lowBits: lowBits, file: "test")
        return try paragraphs.map { paragraph in
          guard let found = try cursor.find(paragraph) else { return nil }
          reader.jump(toBit: found.blockPositionsOffset, index: found.blockPositionIndex)
          var out: [UInt32] = []
          try reader.positions(from: found.positionIndex, count: found.frequency, into: &out)
          return (UInt64(paragraph), out.map(UInt64.init))
        }
      }
    }
  }

  /// Random postings: `count` paragraphs below `paragraphCount` with 1 to `maxFrequency`
  /// positions each below `positionLimit`, and now and then a long gap or a large
  /// frequency when `long` is set (the encoders' and decoders' slow paths).
  static func random(
    count: Int, paragraphCount: Int, maxFrequency: Int, positionLimit: UInt64, long: Bool, seed: UInt64
  ) -> [Posting] {
    var random = SeededGenerator(seed: seed)
    var paragraphs = Set<UInt64>()
    while paragraphs.count < count { paragraphs.insert(UInt64.random(in: 0..<UInt64(paragraphCount), using: &random)) }
    return paragraphs.sorted().enumerated().map { i, paragraph in
      let frequency = long && i % 41 == 7 ? min(Int(positionLimit), 300) : Int.random(in: 1...maxFrequency, using: &random)
      var positions = Set<UInt64>()
      while positions.count < frequency { positions.insert(UInt64.random(in: 0..<positionLimit, using: &random)) }
      return (paragraph, positions.sorted())
    }
  }
}

/// Postings compared as values (tuples of arrays are not `Equatable`).
func same(_ a: [EncodedList.Posting], _ b: [EncodedList.Posting]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { $0.paragraph == $1.paragraph && $0.positions == $1.positions }
}
