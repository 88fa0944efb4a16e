import Testing

@testable import ZhSearch
import ZhSearchBench

struct ParagraphEntryTests {
  @Test func anEntryIsItsGrammarsBytesAndReadsBack() {
    // IndexFormat: TextOffset u64, TextLength u32, File u32, Line u32, Ordinal u32,
    // Length u32, Column u32.
    let entry = ParagraphEntry(
      textOffset: 0x0102_0304_0506_0708, textLength: 300, file: 2, line: 0x1_0000, ordinal: 7, length: 0xFFFF_FFFF,
      column: 401)
    var bytes = [UInt8](repeating: 0xAA, count: ParagraphEntry.size + 3)
    bytes.withUnsafeMutableBytes { entry.store(at: $0.baseAddress! + 3) }
    let expected: [UInt8] =
      [8, 7, 6, 5, 4, 3, 2, 1, 0x2C, 1, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 7, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x91, 1, 0, 0]
    #expect(Array(bytes[3...]) == expected)
    #expect(bytes.withUnsafeBytes { ParagraphEntry($0, at: 3) } == entry)
    #expect(Array(bytes[3 + ParagraphEntry.lengthOffset..<3 + ParagraphEntry.lengthOffset + 4]) == [0xFF, 0xFF, 0xFF, 0xFF])
  }

  @Test func randomEntriesRoundTrip() {
    var random = SeededGenerator(seed: 8)
    for _ in 0..<200 {
      let entry = ParagraphEntry(
        textOffset: UInt64.random(in: 0...UInt64.max, using: &random), textLength: UInt32.random(in: 0...UInt32.max, using: &random),
        file: UInt32.random(in: 0...UInt32.max, using: &random), line: UInt32.random(in: 0...UInt32.max, using: &random),
        ordinal: UInt32.random(in: 0...UInt32.max, using: &random), length: UInt32.random(in: 0...UInt32.max, using: &random),
        column: UInt32.random(in: 0...UInt32.max, using: &random))
      var bytes = [UInt8](repeating: 0, count: ParagraphEntry.size)
      bytes.withUnsafeMutableBytes { entry.store(at: $0.baseAddress!) }
      #expect(bytes.withUnsafeBytes { ParagraphEntry($0, at: 0) } == entry)
    }
  }
}
