import Testing

@testable import ZhSearch
import ZhSearchBench

/// The position streams: bits written by `BitWriter`, read back by `PositionReader`.
struct BitStreamTests {
  /// Writes position values (first absolute, then deltas, per paragraph) as the merger does.
  private func encode(_ values: [UInt64], lowBits: Int) -> [UInt8] {
    var low = BitWriter()
    var high = BitWriter()
    for value in values {
      low.append(value, width: lowBits)
      high.appendUnary(value >> UInt64(lowBits))
    }
    low.alignToByte()
    high.alignToByte()
    return low.bytes + high.bytes
  }

  @Test func theFormatsWorkedExampleHoldsByteForByte() throws {
    // IndexFormat: positions 200 (one paragraph), then 4, 9, 30 (another), K = 6.
    let bytes = encode([200, 4, 5, 21], lowBits: 6)
    #expect(bytes == [0x08, 0x51, 0x54, 0x78])
    try bytes.withUnsafeBytes { raw in
      var reader = try PositionReader(raw, occurrences: 4, lowBits: 6, file: "test")
      var out: [UInt32] = []
      try reader.positions(from: 0, count: 1, into: &out)
      try reader.positions(from: 1, count: 3, into: &out)
      #expect(out == [200, 4, 9, 30])
    }
  }

  /// Writes postings as the merger does: Rice-coded gaps, gamma-coded frequencies.
  private func encodeDocs(_ postings: [(paragraph: UInt64, frequency: UInt64)], gapBits: Int) -> [UInt8] {
    var writer = BitWriter()
    var previous: UInt64? = nil
    for (paragraph, frequency) in postings {
      let gap = previous.map { paragraph - $0 - 1 } ?? paragraph
      writer.appendUnary(gap >> UInt64(gapBits))
      writer.append(gap, width: gapBits)
      let n = UInt64.bitWidth - 1 - frequency.leadingZeroBitCount
      writer.appendUnary(UInt64(n))
      writer.append(frequency, width: n)
      previous = paragraph
    }
    writer.alignToByte()
    return writer.bytes
  }

  @Test func theDocsWorkedExampleHoldsByteForByte() throws {
    // IndexFormat: paragraph 7 once, paragraph 11 three times, 64 paragraphs (G = 4).
    #expect(IndexFormat.docGapBits(documentFrequency: 2, paragraphCount: 64) == 4)
    let bytes = encodeDocs([(7, 1), (11, 3)], gapBits: 4)
    #expect(bytes == [0xEF, 0x31])
    bytes.withUnsafeBytes { raw in
      var decoder = DocDecoder(raw, gapBits: 4, paragraphCount: 64)
      let first = decoder.next(after: nil)
      #expect(first?.paragraph == 7 && first?.frequency == 1)
      let second = decoder.next(after: 7)
      #expect(second?.paragraph == 11 && second?.frequency == 3)
    }
  }

  @Test func bitsLoadedPastTheListAreNeverDecoded() throws {
    // The list [(7, 1), (11, 3)] is 2 bytes; the next list's bytes follow it in the file.
    // Whatever they hold, the decoder sees the same two postings and then the end (read
    // into the window, the all-one bytes would make a third posting, paragraph 59).
    let list = encodeDocs([(7, 1), (11, 3)], gapBits: 4)
    for filler: UInt8 in [0x00, 0xFF, 0x5A] {
      let file = list + [UInt8](repeating: filler, count: 8)
      file.withUnsafeBytes { raw in
        var decoder = DocDecoder(
          UnsafeRawBufferPointer(rebasing: raw[0..<2]), loadable: raw, gapBits: 4, paragraphCount: 64)
        let first = decoder.next(after: nil)
        #expect(first?.paragraph == 7 && first?.frequency == 1)
        let second = decoder.next(after: 7)
        #expect(second?.paragraph == 11 && second?.frequency == 3)
        #expect(decoder.next(after: 11) == nil)
      }
    }
  }

  @Test func longGapsAndLargeFrequenciesDecodeOnTheSlowPath() throws {
    // G = 0: a gap of 5,000 is 5,000 zero bits; frequencies up to 100,000 take 33 bits.
    let postings: [(paragraph: UInt64, frequency: UInt64)] = [(0, 1), (5_001, 100_000), (5_002, 2), (90_000, 7), (90_001, 1)]
    let bytes = encodeDocs(postings, gapBits: 0)
    bytes.withUnsafeBytes { raw in
      var decoder = DocDecoder(raw, gapBits: 0, paragraphCount: 100_000)
      var previous: UInt64? = nil
      for expected in postings {
        let posting = decoder.next(after: previous)
        #expect(posting?.paragraph == expected.paragraph && posting?.frequency == expected.frequency)
        previous = posting?.paragraph
      }
      // Past the end, or beyond the index's paragraphs: reported, not read.
      #expect(decoder.next(after: previous) == nil)
      var small = DocDecoder(raw, gapBits: 0, paragraphCount: 6_000)
      _ = small.next(after: nil)
      _ = small.next(after: 0)
      _ = small.next(after: 5_001)
      #expect(small.next(after: 5_002) == nil)
    }
  }

  @Test func bulkDecodingAgreesWithOnePostingAtATime() throws {
    // Mostly short codes (the bulk path), some long gaps and large frequencies (the slow
    // path), with bytes of another list after them; decoded in chunks of every size.
    var random = SeededGenerator(seed: 17)
    var postings: [(paragraph: UInt64, frequency: UInt64)] = []
    var paragraph: UInt64 = 0
    for i in 0..<2_000 {
      paragraph += i % 97 == 5 ? UInt64.random(in: 500...5_000, using: &random) : UInt64.random(in: 1...12, using: &random)
      let frequency = i % 89 == 3 ? UInt64.random(in: 70_000...900_000, using: &random) : UInt64.random(in: 1...4, using: &random)
      postings.append((paragraph, frequency))
    }
    let count = Int(paragraph) + 1
    let list = encodeDocs(postings, gapBits: 2)
    let file = list + [UInt8](repeating: 0xFF, count: 8)
    file.withUnsafeBytes { raw in
      let bits = UnsafeRawBufferPointer(rebasing: raw[0..<list.count])
      for chunk in [1, 7, 128, 2_000] {
        var decoder = DocDecoder(bits, loadable: raw, gapBits: 2, paragraphCount: count)
        let paragraphs = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
        let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
        defer { paragraphs.deallocate(); frequencies.deallocate() }
        var done = 0
        while done < postings.count {
          let size = min(chunk, postings.count - done)
          let decoded = decoder.decode(
            size, after: done == 0 ? nil : UInt64(paragraphs[done - 1]),
            paragraphs: paragraphs + done, frequencies: frequencies + done)
          #expect(decoded == size)
          done += size
        }
        #expect((0..<postings.count).map { UInt64(paragraphs[$0]) } == postings.map(\.paragraph), "chunk \(chunk)")
        #expect((0..<postings.count).map { UInt64(frequencies[$0]) } == postings.map(\.frequency), "chunk \(chunk)")
        // The filler after the list is never decoded as a posting.
        var one: (UInt32, UInt32) = (0, 0)
        #expect(decoder.decode(1, after: paragraph, paragraphs: &one.0, frequencies: &one.1) == 0)
      }
      // A paragraph beyond the index stops the decoding where it lies.
      var short = DocDecoder(bits, loadable: raw, gapBits: 2, paragraphCount: Int(postings[1_000].paragraph))
      let paragraphs = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
      let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
      defer { paragraphs.deallocate(); frequencies.deallocate() }
      #expect(short.decode(postings.count, after: nil, paragraphs: paragraphs, frequencies: frequencies) == 1_000)
    }
  }

  @Test func twoListsDecodedInLockstepAgreeWithEachAlone() throws {
    // Long gaps and large frequencies (the slow path) at different places in each list.
    func postings(seed: UInt64, every: Int) -> [(paragraph: UInt64, frequency: UInt64)] {
      var random = SeededGenerator(seed: seed)
      var paragraph: UInt64 = 0
      return (0..<1_500).map { i in
        paragraph += i % every == 2 ? UInt64.random(in: 300...3_000, using: &random) : UInt64.random(in: 1...9, using: &random)
        return (paragraph, i % (every + 4) == 1 ? UInt64.random(in: 50_000...90_000, using: &random) : 1)
      }
    }
    let a = postings(seed: 3, every: 61)
    let b = postings(seed: 4, every: 37)
    let count = Int(max(a.last!.paragraph, b.last!.paragraph)) + 1
    let bytesA = encodeDocs(a, gapBits: 2) + [UInt8](repeating: 0, count: 8)
    let bytesB = encodeDocs(b, gapBits: 3) + [UInt8](repeating: 0xFF, count: 8)
    bytesA.withUnsafeBytes { rawA in
      bytesB.withUnsafeBytes { rawB in
        var decoderA = DocDecoder(
          UnsafeRawBufferPointer(rebasing: rawA[0..<rawA.count - 8]), loadable: rawA, gapBits: 2, paragraphCount: count)
        var decoderB = DocDecoder(
          UnsafeRawBufferPointer(rebasing: rawB[0..<rawB.count - 8]), loadable: rawB, gapBits: 3, paragraphCount: count)
        let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * 1_500)
        defer { out.deallocate() }
        #expect(DocDecoder.decode(1_500, &decoderA, after: nil, into: out, out + 1_500, &decoderB, after: nil, into: out + 3_000, out + 4_500))
        #expect((0..<1_500).map { UInt64(out[$0]) } == a.map(\.paragraph))
        #expect((0..<1_500).map { UInt64(out[1_500 + $0]) } == a.map(\.frequency))
        #expect((0..<1_500).map { UInt64(out[3_000 + $0]) } == b.map(\.paragraph))
        #expect((0..<1_500).map { UInt64(out[4_500 + $0]) } == b.map(\.frequency))
      }
    }
  }

  @Test func positionsFarBeyondTheLowBitsAndSkippedParagraphsReadBack() throws {
    // Paragraphs of 1 to 5 positions, some far apart (unary codes longer than a word).
    var random = SeededGenerator(seed: 9)
    var paragraphs: [[UInt32]] = []
    for _ in 0..<300 {
      var position = UInt32.random(in: 0..<20_000, using: &random)
      var list = [position]
      for _ in 0..<Int.random(in: 0..<5, using: &random) {
        position += UInt32.random(in: 1..<(Bool.random(using: &random) ? 40 : 9_000), using: &random)
        list.append(position)
      }
      paragraphs.append(list)
    }
    var values: [UInt64] = []
    for list in paragraphs {
      values.append(UInt64(list[0]))
      for i in 1..<list.count { values.append(UInt64(list[i] - list[i - 1])) }
    }
    let bytes = encode(values, lowBits: 5)
    try bytes.withUnsafeBytes { raw in
      var reader = try PositionReader(raw, occurrences: values.count, lowBits: 5, file: "test")
      var index = 0
      for (p, list) in paragraphs.enumerated() {
        defer { index += list.count }
        guard p % 3 == 0 else { continue }  // the others are skipped over
        var out: [UInt32] = []
        try reader.positions(from: index, count: list.count, into: &out)
        #expect(out == list, "paragraph \(p)")
      }
    }
  }

  @Test func allValuesAtOnceAreTheStoredValues() throws {
    // The whole list read in one call (as a phrase of two long lists does): each paragraph's
    // first position and gaps, as written, long unary parts included; a value beyond 32
    // bits is damage.
    var random = SeededGenerator(seed: 5)
    let values = (0..<3_000).map { i in UInt64.random(in: 0..<(i % 97 == 3 ? 100_000 : 300), using: &random) }
    let bytes = encode(values, lowBits: 5)
    try bytes.withUnsafeBytes { raw in
      var reader = try PositionReader(raw, occurrences: values.count, lowBits: 5, file: "test")
      let out = UnsafeMutablePointer<UInt32>.allocate(capacity: values.count)
      defer { out.deallocate() }
      try reader.values(from: 0, count: values.count, to: out)
      #expect(Array(UnsafeBufferPointer(start: out, count: values.count)) == values.map { UInt32($0) })
      var tail = try PositionReader(raw, occurrences: values.count, lowBits: 5, file: "test")
      try tail.values(from: 1_000, count: 2_000, to: out)
      #expect(Array(UnsafeBufferPointer(start: out, count: 2_000)) == values[1_000...].map { UInt32($0) })
    }
    let huge = encode([1, UInt64(UInt32.max) + 1], lowBits: 16)
    try huge.withUnsafeBytes { raw in
      var reader = try PositionReader(raw, occurrences: 2, lowBits: 16, file: "test")
      let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
      defer { out.deallocate() }
      #expect(throws: IndexError.self) { try reader.values(from: 0, count: 2, to: out) }
    }
  }

  @Test func aReadBehindTheReaderIsReportedAsDamage() throws {
    // A forged skip entry can send the reader backwards: an error, not a trap.
    let bytes = encode([3, 700, 2, 5], lowBits: 4)
    try bytes.withUnsafeBytes { raw in
      var reader = try PositionReader(raw, occurrences: 4, lowBits: 4, file: "test")
      var out: [UInt32] = []
      try reader.positions(from: 2, count: 2, into: &out)
      #expect(throws: IndexError.self) { try reader.positions(from: 0, count: 1, into: &out) }
    }
  }

  @Test func truncatedOrOvercountedStreamsAreReportedAsDamage() throws {
    let bytes = encode([3, 700, 2], lowBits: 4)
    try bytes.withUnsafeBytes { raw in
      #expect(throws: IndexError.self) {
        _ = try PositionReader(UnsafeRawBufferPointer(rebasing: raw[0..<1]), occurrences: 3, lowBits: 4, file: "test")
      }
      var short = try PositionReader(UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 3]), occurrences: 3, lowBits: 4, file: "test")
      var out: [UInt32] = []
      #expect(throws: IndexError.self) { try short.positions(from: 0, count: 3, into: &out) }
      var reader = try PositionReader(raw, occurrences: 3, lowBits: 4, file: "test")
      #expect(throws: IndexError.self) { try reader.positions(from: 1, count: 5, into: &out) }
    }
  }

  @Test func reservedAppendsWriteWhatCheckedAppendsWrite() throws {
    // Fixed-width values and unary codes, some longer than a word (the merge's positions),
    // into a writer far smaller than what is written: room is made once per batch.
    var random = SeededGenerator(seed: 21)
    let values = (0..<5_000).map { i in
      UInt64.random(in: 0..<(i % 53 == 7 ? 4_096 : 64), using: &random)
    }
    let lowBits = 3
    var checkedLow = BitWriter(capacity: 16)
    var checkedHigh = BitWriter(capacity: 16)
    for (i, value) in values.enumerated() {
      checkedLow.append(value, width: lowBits)
      checkedHigh.appendUnary(value >> UInt64(lowBits))
      if i % 700 == 699 || i == values.count - 1 { checkedLow.append(5, width: lowBits) }
    }
    var low = BitWriter(capacity: 16)
    var high = BitWriter(capacity: 16)
    var lowAppender = low.lend()
    var highAppender = high.lend()
    for batch in stride(from: 0, to: values.count, by: 700) {
      let slice = values[batch..<min(batch + 700, values.count)]
      lowAppender.reserve(bits: slice.count * lowBits)
      highAppender.reserve(bits: slice.reduce(0) { $0 + Int($1 >> UInt64(lowBits)) + 1 })
      for value in slice {
        lowAppender.appendReserved(value & 7, width: lowBits)
        highAppender.appendUnaryReserved(value >> UInt64(lowBits))
      }
      // Checked appends may follow reserved ones.
      lowAppender.append(5, width: lowBits)
    }
    #expect(lowAppender.bitCount == checkedLow.bitCount && highAppender.bitCount == checkedHigh.bitCount)
    low.settle(lowAppender)
    high.settle(highAppender)
    low.alignToByte()
    high.alignToByte()
    checkedLow.alignToByte()
    checkedHigh.alignToByte()
    #expect(low.bytes == checkedLow.bytes)
    #expect(high.bytes == checkedHigh.bytes)
  }
}
