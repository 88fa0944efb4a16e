/// A paragraph's entry in the `paragraphs` file (`IndexFormat`, section paragraphs,
/// ParagraphEntry): where its text is, where it comes from (file, line, column), and its
/// length in tokens.
///
/// Its writer (`store(at:)`) and reader (`init(_:at:)`) are held to each other by
/// `ParagraphEntryTests`.
struct ParagraphEntry: Equatable {
  /// Where the text starts in the `text` payload, and its bytes.
  var textOffset: UInt64
  var textLength: UInt32
  /// The corpus file (its index in the name table), its line and the paragraph's ordinal.
  var file: UInt32
  var line: UInt32
  var ordinal: UInt32
  /// Tokens, for BM25.
  var length: UInt32
  /// The 1-based column (code points) where the paragraph starts in its line; 0 when
  /// unknown (indexes of format versions before 4, whose field was reserved and 0).
  var column: UInt32

  /// The bytes of an entry.
  static let size = 32
  /// Where `length` is in an entry (read alone for BM25's lengths).
  static let lengthOffset = 24
  /// Where `file` is in an entry (read alone to count each file's paragraphs).
  static let fileOffset = 12
  /// The bytes of the payload before the first entry (ParagraphCount, FileCount,
  /// TotalLength).
  static let tableStart = 24

  /// Where the entry of paragraph `id` starts in the payload.
  static func offset(of id: Int) -> Int { tableStart + id * size }

  init(
    textOffset: UInt64, textLength: UInt32, file: UInt32, line: UInt32, ordinal: UInt32, length: UInt32,
    column: UInt32
  ) {
    (self.textOffset, self.textLength, self.file, self.line, self.ordinal, self.length, self.column) =
      (textOffset, textLength, file, line, ordinal, length, column)
  }

  /// The entry at byte `offset` of `bytes` (which holds its `size` bytes).
  init(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    func field(_ at: Int) -> UInt32 {
      UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + at, as: UInt32.self))
    }
    self.init(
      textOffset: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
      textLength: field(8), file: field(12), line: field(16), ordinal: field(20), length: field(24),
      column: field(28))
  }

  /// Stores the entry's `size` bytes at `out`.
  func store(at out: UnsafeMutableRawPointer) {
    out.storeBytes(of: textOffset.littleEndian, toByteOffset: 0, as: UInt64.self)
    out.storeBytes(of: textLength.littleEndian, toByteOffset: 8, as: UInt32.self)
    out.storeBytes(of: file.littleEndian, toByteOffset: 12, as: UInt32.self)
    out.storeBytes(of: line.littleEndian, toByteOffset: 16, as: UInt32.self)
    out.storeBytes(of: ordinal.littleEndian, toByteOffset: 20, as: UInt32.self)
    out.storeBytes(of: length.littleEndian, toByteOffset: 24, as: UInt32.self)
    out.storeBytes(of: column.littleEndian, toByteOffset: 28, as: UInt32.self)
  }
}
