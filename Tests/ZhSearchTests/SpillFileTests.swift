import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

/// Spill files: bytes read back as appended, from memory within the limit, else from disk.
struct SpillFileTests {
  /// Appends `count` bytes in pieces of uneven sizes and reads them back.
  private func roundTrip(count: Int, memoryLimit: Int) throws -> (read: [UInt8], written: [UInt8], onDisk: Bool) {
    let path = Fixtures.temporaryDirectory(named: "spill") + "/file"
    let file = try SpillFile(path: path, memoryLimit: memoryLimit)
    var random = SeededGenerator(seed: 3)
    var written: [UInt8] = []
    while written.count < count {
      let piece = (0..<min(count - written.count, Int.random(in: 1...300_000, using: &random))).map { _ in
        UInt8.random(in: 0...255, using: &random)
      }
      try file.append(piece)
      written += piece
    }
    try file.close()
    var read: [UInt8] = []
    try file.forEachChunk { read.append(contentsOf: $0) }
    return (read, written, FileManager.default.fileExists(atPath: path))
  }

  @Test func withinTheLimitBytesStayInMemory() throws {
    let (read, written, onDisk) = try roundTrip(count: 3_500_000, memoryLimit: 4 << 20)
    #expect(read == written)
    #expect(!onDisk)
  }

  @Test func pastTheLimitBytesGoToTheFileWithWhatWasKept() throws {
    for limit in [0, 1 << 20, 2 << 20] {
      let (read, written, onDisk) = try roundTrip(count: 3_500_000, memoryLimit: limit)
      #expect(read == written, "limit \(limit)")
      #expect(onDisk, "limit \(limit)")
    }
  }
}
