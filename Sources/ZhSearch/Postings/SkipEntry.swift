/// The skip entry before each block of 128 postings after the first in a long docs list
/// (`IndexFormat`, section docs, SkipEntry): where the block starts, so that a reader jumps
/// to it without decoding the blocks before. Written by `DocEncoder` (PositionsOffset completed later by `PositionAppender`, once
/// the block's positions are written), read by `DocCursor`.
struct SkipEntry: Equatable {
  /// The paragraph of the posting before the block.
  var lastParagraph: UInt32
  /// Where the block's first doc code starts in the list's doc bits (bits).
  var docsBit: UInt32
  /// How many of the term's positions come before the block.
  var positionIndex: UInt32
  /// Where the block's first unary code starts in the term's high bits (bits).
  var positionsBit: UInt32

  /// The bytes of an entry.
  static let size = 16
  /// Where `positionsBit` is in an entry.
  static let positionsBitOffset = 12

  init(lastParagraph: UInt32, docsBit: UInt32, positionIndex: UInt32, positionsBit: UInt32) {
    (self.lastParagraph, self.docsBit, self.positionIndex, self.positionsBit) =
      (lastParagraph, docsBit, positionIndex, positionsBit)
  }

  /// The entry at byte `offset` of `bytes` (which holds its 16 bytes).
  init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    func field(_ k: Int) -> UInt32 {
      UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * k, as: UInt32.self))
    }
    self.init(lastParagraph: field(0), docsBit: field(1), positionIndex: field(2), positionsBit: field(3))
  }

  /// Appends the entry's bytes.
  func append(to bytes: inout ByteBuffer) {
    bytes.append(lastParagraph)
    bytes.append(docsBit)
    bytes.append(positionIndex)
    bytes.append(positionsBit)
  }
}
