/// Where a later chunk's postings go as its buffers fill: to spill files while a chunk
/// before it is unwritten, and straight to the final files once every chunk before it is
/// (`ChunkWriter.claim`; what it spilled goes first), from then on. Chunks are taken in
/// order, so on a large corpus, whose chunks outgrow their buffers many times, most of
/// their postings are written once instead of three times (spilled, read back, written).
final class ChunkOutput {
  /// Where the chunk's flushed postings have gone so far.
  enum Destination {
    /// Nowhere yet: the chunk has not flushed.
    case none
    /// To the chunk's spill files.
    case spill
    /// Straight to the final files (the chunk claimed them).
    case final
  }

  private let chunk: Int
  private let writer: ChunkWriter
  private let docs: SpillFile
  private let positions: SpillFile
  private(set) var destination = Destination.none

  init(_ chunk: Int, writer: ChunkWriter, docs: SpillFile, positions: SpillFile) {
    (self.chunk, self.writer, self.docs, self.positions) = (chunk, writer, docs, positions)
  }

  /// Writes the next bytes of the chunk's doc codes or positions.
  func write(_ bytes: UnsafeRawBufferPointer, positions isPositions: Bool) throws(IndexError) {
    if destination != .final && writer.claim(chunk) {
      if destination == .spill {
        try docs.close()
        try positions.close()
        try docs.forEachChunk { bytes throws(IndexError) in try writer.docs.write(bytes) }
        try positions.forEachChunk { bytes throws(IndexError) in try writer.positions.write(bytes) }
        docs.discard()
        positions.discard()
      }
      destination = .final
    }
    if destination == .final {
      try (isPositions ? writer.positions : writer.docs).write(bytes)
    } else {
      destination = .spill
      try (isPositions ? positions : docs).append(bytes)
    }
  }
}
