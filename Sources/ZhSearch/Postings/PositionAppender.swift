/// The position streams' state while a list is encoded (see `PositionStreams`).
struct PositionAppender {
  let lowBits: Int
  var low: BitAppender
  var high: BitAppender

  /// Bits written to the unary stream so far (where the next value's code starts).
  var highBitCount: Int { high.bitCount }

  // MARK: - A value's code

  // The one definition of a position value's code (`IndexFormat`, section positions): its
  // low K bits at a fixed width in the low stream, the rest in unary in the high stream.
  // Every loop below, and `ShortList`, appends through these two.

  /// Appends the low part of `value` (its low `lowBits` bits), within reserved room.
  @inline(__always)
  static func appendLowPart(_ value: UInt64, lowBits: Int, to low: inout BitAppender) {
    low.appendReserved(value & ((1 &<< UInt64(truncatingIfNeeded: lowBits)) &- 1), width: lowBits)
  }

  /// Appends the high part of `value` (value >> `lowBits`, in unary), within reserved room;
  /// `short` when the caller knows it is below 32 (a packed position, with low bits 7 or
  /// more), which takes one append without a loop.
  @inline(__always)
  static func appendHighPart(_ value: UInt64, lowBits: Int, short: Bool, to high: inout BitAppender) {
    let zeros = value &>> UInt64(truncatingIfNeeded: lowBits)
    if short {
      high.appendReserved(1 &<< zeros, width: Int(truncatingIfNeeded: zeros) &+ 1)
    } else {
      high.appendUnaryReserved(zeros)
    }
  }

  /// The most bits of the high stream a value below 4096 (any packed position) takes.
  static func maxPackedHighBits(lowBits: Int) -> Int { 0xFFF &>> lowBits &+ 1 }

  /// Appends one value (a position or a gap between two), making room for it.
  @inline(__always)
  mutating func append(value: UInt64) {
    low.reserve(bits: lowBits)
    high.reserve(bits: Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: lowBits)) &+ 1)
    Self.appendLowPart(value, lowBits: lowBits, to: &low)
    Self.appendHighPart(value, lowBits: lowBits, short: false, to: &high)
  }

  // MARK: - A term's values

  /// Re-encodes the `count` varint values of `places` (one term's positions in a written
  /// scratch run), and completes the skip entries from byte `firstSkip` of `skips` on, which
  /// hold the index of their block's first value in place of where its positions start in
  /// the unary stream (as `appendPacked`).
  ///
  /// Room for values below 4096 (nearly all: a paragraph is cut at 400 characters by
  /// default) is made first, and a larger one makes room for itself and those left, so the
  /// appends do not check, with the streams' state in local variables.
  mutating func appendVarInts(
    _ places: UnsafeRawBufferPointer, count: Int, skips: inout ByteBuffer, from firstSkip: Int
  ) throws(IndexError) {
    let unaryBits = Self.maxPackedHighBits(lowBits: lowBits)
    low.reserve(bits: count &* lowBits)
    high.reserve(bits: count &* unaryBits)
    var (lowOut, highOut) = (low, high)
    defer { (low, high) = (lowOut, highOut) }
    let (k, lowBits) = (UInt64(truncatingIfNeeded: lowBits), lowBits)
    var skip = firstSkip
    var patchAt = Self.blockStart(of: skip, in: skips)
    var at = 0
    for index in 0..<count {
      if index == patchAt { patchAt = try Self.completeSkipEntry(&skip, in: &skips, highBit: highOut.bitCount) }
      // A position is 32-bit: a larger value is damage (it would be a unary code of
      // billions of bits).
      guard let value = VarInt.load(places, at: &at), value <= UInt64(UInt32.max) else {
        throw .corrupt(file: "scratch run positions", detail: "malformed position at byte \(at)")
      }
      if value > 0xFFF { highOut.reserve(bits: Int(truncatingIfNeeded: value &>> k) &+ 1 &+ (count &- index) &* unaryBits) }
      Self.appendLowPart(value, lowBits: lowBits, to: &lowOut)
      Self.appendHighPart(value, lowBits: lowBits, short: false, to: &highOut)
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
    high.reserve(bits: range.count &* Self.maxPackedHighBits(lowBits: lowBits))
    var (lowOut, highOut) = (low, high)
    defer { (low, high) = (lowOut, highOut) }
    let lowBits = lowBits
    // The next skip entry to complete, and its block's first record.
    var skip = firstSkip
    var patchAt = Self.blockStart(of: skip, in: skips)
    var paragraph = UInt64.max
    var position: UInt64 = 0
    var index = range.lowerBound
    let shortHigh = Self.maxPackedHighBits(lowBits: lowBits) <= 32
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
        Self.appendLowPart(value, lowBits: lowBits, to: &lowOut)
        Self.appendHighPart(value, lowBits: lowBits, short: shortHigh, to: &highOut)
        paragraph = local
        position = following
        index &+= 1
      }
    }
  }

  /// The index of the first value of the block whose skip entry is at byte `skip` of
  /// `skips`, not completed yet (`Int.max` past the last entry).
  private static func blockStart(of skip: Int, in skips: ByteBuffer) -> Int {
    skip < skips.count ? Int(skips.uint32(at: skip &+ SkipEntry.positionsBitOffset)) : Int.max
  }

  /// Completes the skip entry at byte `skip` of `skips` with `highBit`, where its block's
  /// positions start in the unary stream, moves `skip` to the next entry and returns its
  /// block's first value (see `blockStart`).
  private static func completeSkipEntry(_ skip: inout Int, in skips: inout ByteBuffer, highBit: Int) throws(IndexError) -> Int {
    guard let highBit = UInt32(exactly: highBit) else {
      throw .io(path: "positions", reason: "a term's positions are too long for the index format")
    }
    skips.overwrite(highBit, at: skip &+ SkipEntry.positionsBitOffset)
    skip &+= SkipEntry.size
    return blockStart(of: skip, in: skips)
  }
}
