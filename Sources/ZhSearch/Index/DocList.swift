/// A term's paragraph list decoded without its positions: paragraph ids, term frequencies,
/// and where each paragraph's positions start in the term's position stream.
struct DocList: Sendable {
  /// Paragraph ids, ascending.
  var paragraphs: [UInt32] = []
  /// Term frequency in each paragraph.
  var frequencies: [UInt32] = []
  /// `positionIndex[i]` is the index, among the term's positions, of paragraph i's first one.
  var positionIndex: [Int] = [0]
  /// The term's dictionary entry.
  let entry: TermEntry

  var count: Int { paragraphs.count }

  init(entry: TermEntry) { self.entry = entry }
}

/// Reads a term's positions forward, skipping the positions of paragraphs it is not asked
/// for by counting varint ends (bytes below 0x80) without decoding them.
struct PositionReader {
  private let bytes: UnsafeRawBufferPointer
  private let file: String
  private var offset = 0
  /// The index of the next position varint at `offset`.
  private var index = 0

  init(_ bytes: UnsafeRawBufferPointer, file: String) {
    self.bytes = bytes
    self.file = file
  }

  /// The `count` positions (absolute, ascending) that start at position index `start`, which
  /// must not be behind the reader.
  mutating func positions(from start: Int, count: Int, into out: inout [UInt32]) throws(IndexError) {
    precondition(start >= index, "position reader moved backwards")
    while index < start {
      guard offset < bytes.count else { throw .corrupt(file: file, detail: "positions end early") }
      if bytes[offset] < 0x80 { index += 1 }
      offset += 1
    }
    var position: UInt64 = 0
    for k in 0..<count {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard offset < bytes.count, shift < 64 else {
          throw .corrupt(file: file, detail: "malformed positions")
        }
        let byte = bytes[offset]
        offset += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { break }
        shift += 7
      }
      guard k == 0 || value > 0 else { throw .corrupt(file: file, detail: "positions out of order") }
      position &+= value
      guard position <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      out.append(UInt32(position))
    }
    index += count
  }
}
