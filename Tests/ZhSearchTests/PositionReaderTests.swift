import Testing

@testable import ZhSearch
import ZhSearchBench

/// The positions read by `PositionReader`, from bits written by an independent oracle (checked
/// appends of `BitWriter`, value by value).
struct PositionReaderTests {
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
}
