/// One term's positions in the final format while it is merged: fixed-width low bits and
/// unary high parts (see `IndexFormat`), the memory of the two streams (lent to a
/// `PositionAppender` while a list is encoded).
struct PositionStreams: ~Copyable {
  let lowBits: Int
  private var low = BitWriter()
  private var high = BitWriter()

  init(lowBits: Int) { self.lowBits = lowBits }

  mutating func removeAll() {
    low.removeAll()
    high.removeAll()
  }

  /// The two streams' state, to append to in a local variable; the streams must not be used
  /// until it is given back with `settle(_:)`.
  func lend() -> PositionAppender { PositionAppender(lowBits: lowBits, low: low.lend(), high: high.lend()) }

  /// Takes back the state lent by `lend()`.
  mutating func settle(_ appender: PositionAppender) {
    low.settle(appender.low)
    high.settle(appender.high)
  }

  /// Appends the term's two streams to `out` and returns their byte length.
  mutating func write(into out: inout RawByteBuffer) -> Int {
    low.alignToByte()
    high.alignToByte()
    out.append(low.written)
    out.append(high.written)
    return low.written.count + high.written.count
  }
}

/// The position streams' state while a list is encoded (see `PositionStreams`).
struct PositionAppender {
  let lowBits: Int
  var low: BitAppender
  var high: BitAppender
  /// The low bits of a value.
  var lowMask: UInt64 { (1 &<< UInt64(truncatingIfNeeded: lowBits)) &- 1 }

  /// Bits written to the unary stream so far (where the next value's code starts).
  var highBitCount: Int { high.bitCount }

  /// Re-encodes the `count` varint values of `places` (one term's positions in a written
  /// segment), and completes the skip entries from byte `firstSkip` of `skips` on, which
  /// hold the index of their block's first value in place of where its positions start in
  /// the unary stream (as `appendPacked`).
  ///
  /// Room for values below 4096 (nearly all: a paragraph is cut at 400 characters by
  /// default) is made first, and a larger one makes room for itself and those left, so the
  /// appends do not check, with the streams' state in local variables.
  mutating func appendVarInts(
    _ places: UnsafeRawBufferPointer, count: Int, skips: inout ByteBuffer, from firstSkip: Int
  ) throws(IndexError) {
    let unaryBits = 0xFFF &>> lowBits &+ 1
    low.reserve(bits: count &* lowBits)
    high.reserve(bits: count &* unaryBits)
    var (lowOut, highOut) = (low, high)
    defer { (low, high) = (lowOut, highOut) }
    let (k, mask) = (UInt64(truncatingIfNeeded: lowBits), lowMask)
    var skip = firstSkip
    var patchAt = Self.blockStart(of: skip, in: skips)
    var at = 0
    for index in 0..<count {
      if index == patchAt { patchAt = try Self.completeSkipEntry(&skip, in: &skips, highBit: highOut.bitCount) }
      // A varint of at most five bytes: positions are 32-bit, and a larger value is damage
      // (it would be a unary code of billions of bits).
      guard at < places.count else { throw .corrupt(file: "segment positions", detail: "unexpected end of data at byte \(at)") }
      var byte = places[at]
      var value = UInt64(byte & 0x7F)
      var shift: UInt64 = 0
      while byte >= 0x80 {
        shift &+= 7
        at &+= 1
        guard shift < 35, at < places.count else {
          throw .corrupt(file: "segment positions", detail: "malformed position at byte \(at)")
        }
        byte = places[at]
        value |= UInt64(byte & 0x7F) &<< shift
      }
      at &+= 1
      guard value <= UInt64(UInt32.max) else { throw .corrupt(file: "segment positions", detail: "position out of range") }
      if value > 0xFFF { highOut.reserve(bits: Int(truncatingIfNeeded: value &>> k) &+ 1 &+ (count &- index) &* unaryBits) }
      lowOut.appendReserved(value & mask, width: lowBits)
      highOut.appendUnaryReserved(value &>> k)
    }
  }

  /// Appends the positions of packed records `range` (one term's: for each paragraph, the
  /// first absolute, then the gaps), and completes the skip entries from byte `firstSkip` of
  /// `skips` on, which hold the index of their block's first record in place of where its
  /// positions start in the unary stream.
  ///
  /// A packed record's position is below 4096, so a value takes at most lowBits + (4095 >>
  /// lowBits) + 1 bits: room for all is made first, and each value is appended without a
  /// check or a branch, with the streams' state in scalar variables (registers).
  mutating func appendPacked(
    _ records: UnsafeBufferPointer<UInt64>, _ range: Range<Int>, skips: inout ByteBuffer, from firstSkip: Int
  ) throws(IndexError) {
    low.reserve(bits: range.count &* lowBits)
    high.reserve(bits: range.count &* (0xFFF &>> lowBits &+ 1))
    var (lowOut, highOut) = (low, high)
    defer { (low, high) = (lowOut, highOut) }
    let k = UInt64(truncatingIfNeeded: lowBits)
    let mask = lowMask
    // The next skip entry to complete, and its block's first record.
    var skip = firstSkip
    var patchAt = Self.blockStart(of: skip, in: skips)
    var paragraph = UInt64.max
    var position: UInt64 = 0
    var index = range.lowerBound
    let shortHigh = 0xFFF &>> k < 32
    while index < range.upperBound {
      if index == patchAt { patchAt = try Self.completeSkipEntry(&skip, in: &skips, highBit: highOut.bitCount) }
      // The records up to the next skip entry to complete, without a check; when a high
      // part takes fewer than 32 bits (low bits 7 or more), in one append without a loop.
      let stop = min(range.upperBound, patchAt)
      if shortHigh { encode(through: stop, shortHigh: true) } else { encode(through: stop, shortHigh: false) }
    }
    @inline(__always) func encode(through stop: Int, shortHigh: Bool) {
      while index < stop {
        let record = records[index]
        let local = PackedRecord.paragraph(record)
        let following = PackedRecord.position(record)
        let value = following &- (local == paragraph ? position : 0)
        lowOut.appendReserved(value & mask, width: lowBits)
        let high = value &>> k
        if shortHigh {
          highOut.appendReserved(1 &<< high, width: Int(truncatingIfNeeded: high) &+ 1)
        } else {
          highOut.appendUnaryReserved(high)
        }
        paragraph = local
        position = following
        index &+= 1
      }
    }
  }

  /// Where a skip entry's position offset is (its last field).
  private static let positionBitField = 12

  /// The index of the first value of the block whose skip entry is at byte `skip` of
  /// `skips`, not completed yet (`Int.max` past the last entry).
  private static func blockStart(of skip: Int, in skips: ByteBuffer) -> Int {
    skip < skips.count ? Int(skips.uint32(at: skip &+ positionBitField)) : Int.max
  }

  /// Completes the skip entry at byte `skip` of `skips` with `highBit`, where its block's
  /// positions start in the unary stream, moves `skip` to the next entry and returns its
  /// block's first value (see `blockStart`).
  private static func completeSkipEntry(_ skip: inout Int, in skips: inout ByteBuffer, highBit: Int) throws(IndexError) -> Int {
    guard let highBit = UInt32(exactly: highBit) else {
      throw .io(path: "positions", reason: "a term's positions are too long for the index format")
    }
    skips.overwrite(highBit, at: skip &+ positionBitField)
    skip &+= IndexFormat.skipEntrySize
    return blockStart(of: skip, in: skips)
  }

  /// Appends one value (a position or a gap between two).
  @inline(__always)
  mutating func append(value: UInt64) {
    low.append(value, width: lowBits)
    high.appendUnary(value &>> UInt64(lowBits))
  }

}
