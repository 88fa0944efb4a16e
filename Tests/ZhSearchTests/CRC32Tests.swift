import Testing

@testable import ZhSearch
import ZhSearchBench

struct CRC32Tests {
  @Test func crc32MatchesTheStandardCheckValue() {
    #expect(CRC32.checksum(of: Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum(of: []) == 0)
  }

  @Test func theCarrylessMultiplyPathAgreesWithTheTables() {
    // Every length up to 300 and some long ones, at every alignment, continued from a
    // running value: the folding path (where the CPU has one) gives the tables' CRC.
    var random = SeededGenerator(seed: 32)
    let data = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
    data.withUnsafeBytes { all in
      for length in Array(0...300) + [1_024, 4_095, 32_768, 65_536] {
        for start in 0..<16 where start + length <= all.count {
          let piece = UnsafeRawBufferPointer(rebasing: all[start..<start + length])
          let running = UInt32(truncatingIfNeeded: length &* 2_654_435_761)
          let tables = CRC32.update(running, with: piece, fold: false)
          let folded = CRC32.update(running, with: piece, fold: CRC32.canFold)
          #expect(folded == tables, "length \(length) at \(start)")
        }
      }
    }
  }
}
