import Testing

@testable import ZhSearch

struct SkipEntryTests {
  @Test func anEntryIsItsGrammarsBytesAndReadsBack() {
    // IndexFormat: LastParagraph u32, DocsOffset u32, PositionIndex u32, PositionsOffset u32.
    let entry = SkipEntry(lastParagraph: 127, docsBit: 256, positionIndex: 0x0102_0304, positionsBit: 128)
    var bytes = ByteBuffer()
    bytes.append(UInt8(9))
    entry.append(to: &bytes)
    #expect(bytes.bytes == [9, 127, 0, 0, 0, 0, 1, 0, 0, 4, 3, 2, 1, 128, 0, 0, 0])
    #expect(bytes.bytes.withUnsafeBytes { SkipEntry($0, at: 1) } == entry)
    #expect(bytes.uint32(at: 1 + SkipEntry.positionsBitOffset) == 128)
  }
}
