/// Reads a term's positions forward from its two bit streams (`IndexFormat`, section
/// positions; written by `PositionAppender`): each value's low bits at a fixed width, so
/// value i's are found by arithmetic, and its high part in unary, so the values of
/// paragraphs that are not asked for are passed by counting one bits, 64 at a time, without
/// decoding them.
struct PositionReader {
  private let low: UnsafeRawBufferPointer
  private let high: UnsafeRawBufferPointer
  private let lowBits: Int
  private let occurrences: Int
  private let file: String
  /// Bit offset in `high` of the next value's unary part.
  private var highBit = 0
  /// The index of that value among the term's positions.
  private var index = 0

  /// A reader of the positions in `bytes`: `occurrences` values with `lowBits` low bits each.
  init(_ bytes: UnsafeRawBufferPointer, occurrences: Int, lowBits: Int, file: String) throws(IndexError) {
    let (lowBitCount, overflow) = occurrences.multipliedReportingOverflow(by: lowBits)
    guard !overflow, occurrences >= 0, (lowBitCount + 7) / 8 <= bytes.count else {
      throw .corrupt(file: file, detail: "positions shorter than their count")
    }
    low = UnsafeRawBufferPointer(rebasing: bytes[0..<(lowBitCount + 7) / 8])
    high = UnsafeRawBufferPointer(rebasing: bytes[(lowBitCount + 7) / 8..<bytes.count])
    self.lowBits = lowBits
    self.occurrences = occurrences
    self.file = file
  }

  /// Jumps forward to bit `bit` of the unary stream, where the value of index `index` starts
  /// (a block start from a skip entry); does nothing when the reader is already there or past it.
  mutating func jump(toBit bit: Int, index: Int) {
    guard index > self.index, index <= occurrences, bit >= 0, bit <= high.count * 8 else { return }
    highBit = bit
    self.index = index
  }

  /// The `count` positions (absolute, ascending) that start at position index `start`, which
  /// must not be behind the reader.
  mutating func positions(from start: Int, count: Int, into out: inout [UInt32]) throws(IndexError) {
    try positions(from: start, count: count) { out.append($0) }
  }

  /// The `count` positions that start at position index `start` written to `out`, which
  /// has room for them.
  @inline(__always)
  mutating func positions(from start: Int, count: Int, to out: UnsafeMutablePointer<UInt32>) throws(IndexError) {
    var written = 0
    try positions(from: start, count: count) { position in
      out[written] = position
      written &+= 1
    }
  }

  /// The `count` values (each paragraph's first position, then the gaps, as stored) that
  /// start at position index `start` written to `out`, which has room for them: a whole list's
  /// values at once, for a caller that needs most of its paragraphs' positions.
  mutating func values(from start: Int, count: Int, to out: UnsafeMutablePointer<UInt32>) throws(IndexError) {
    let file = self.file
    try values(from: start, count: count) { k, value throws(IndexError) in
      guard value <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      out[k] = UInt32(truncatingIfNeeded: value)
    }
  }

  /// Decodes the `count` positions that start at position index `start`, passing each to `emit`.
  @inline(__always)
  private mutating func positions(from start: Int, count: Int, emit: (UInt32) -> Void) throws(IndexError) {
    var position: UInt64 = 0
    let file = self.file
    try values(from: start, count: count) { k, value throws(IndexError) in
      guard k == 0 || value > 0 else { throw .corrupt(file: file, detail: "positions out of order") }
      position &+= value
      guard position <= UInt64(UInt32.max) else { throw .corrupt(file: file, detail: "position out of range") }
      emit(UInt32(truncatingIfNeeded: position))
    }
  }

  /// Decodes the `count` values that start at position index `start`, passing each, with
  /// its index among them, to `emit`.
  @inline(__always)
  private mutating func values(
    from start: Int, count: Int, emit: (Int, UInt64) throws(IndexError) -> Void
  ) throws(IndexError) {
    // Behind the reader only when a skip entry lied about where its block's positions start.
    guard start >= index else { throw .corrupt(file: file, detail: "positions out of order") }
    guard count >= 0, start <= occurrences, count <= occurrences - start else {
      throw .corrupt(file: file, detail: "positions past their count")
    }
    if start > index { try skip(start - index) }
    index = start
    var k = 0
    // Fast path: the unary stream a 64-bit word at a time, each value's one bit found by
    // counting trailing zeros and then cleared, so no value's code waits for a load and shift
    // after the one before (the chain from one value to the next is a subtraction and a bit
    // clear); each value's low bits in one 64-bit load. Words past the last whole one, and the
    // last low bits, are left to the loop below.
    if count > 0, let highBase = high.baseAddress, let lowBase = low.baseAddress {
      let wholeWords = high.count &>> 3
      let lastLowLoad = low.count - 8
      let width = UInt64(lowBits)
      let lowMask: UInt64 = (1 &<< width) &- 1
      // Where the next value's zero bits begin.
      var next = self.highBit
      var lowBit = index &* lowBits
      var w = next &>> 6
      if w < wholeWords {
        // (The bits below `next` are masked off: a one bit found is never before it.)
        var word = UInt64(littleEndian: (highBase + w &<< 3).loadUnaligned(as: UInt64.self)) & (~0 &<< UInt64(next & 63))
        decoding: while k < count {
          while word == 0 {
            w &+= 1
            guard w < wholeWords else { break decoding }
            word = UInt64(littleEndian: (highBase + w &<< 3).loadUnaligned(as: UInt64.self))
          }
          let lowByte = lowBit &>> 3
          guard lowByte <= lastLowLoad else { break }
          let one = w &<< 6 | word.trailingZeroBitCount
          let lowWindow = UInt64(littleEndian: (lowBase + lowByte).loadUnaligned(as: UInt64.self))
          let value = UInt64(one &- next) &<< width | (lowWindow &>> UInt64(lowBit & 7)) & lowMask
          try emit(k, value)
          next = one &+ 1
          word &= word &- 1
          lowBit &+= lowBits
          k &+= 1
        }
      }
      self.highBit = next
      index &+= k
    }
    while k < count {
      let value = try unary() << UInt64(lowBits) | BitLoad.bits(low, at: index * lowBits, width: lowBits)
      try emit(k, value)
      index += 1
      k += 1
    }
  }

  /// The bit offset in the unary stream where value `index` (not behind the reader) starts.
  mutating func highBitOffset(ofValue index: Int) throws(IndexError) -> Int {
    guard index >= self.index, index <= occurrences else {
      throw .corrupt(file: file, detail: "positions out of order")
    }
    try skip(index - self.index)
    self.index = index
    return highBit
  }

  /// Passes `values` unary codes (that many one bits).
  private mutating func skip(_ values: Int) throws(IndexError) {
    var left = values
    while left > 0 {
      let (word, real) = BitLoad.word(high, byte: highBit >> 3)
      let shift = highBit & 7
      let available = real - shift
      guard available > 0 else { throw .corrupt(file: file, detail: "positions end early") }
      var bits = word >> UInt64(shift)
      if available < 64 { bits &= (1 << UInt64(available)) - 1 }
      let ones = bits.nonzeroBitCount
      if ones < left {
        left -= ones
        highBit += available
      } else {
        for _ in 1..<left { bits &= bits - 1 }
        highBit += bits.trailingZeroBitCount + 1
        left = 0
      }
    }
  }

  /// The next unary code: the zero bits before the next one bit, which it passes.
  @inline(__always)
  private mutating func unary() throws(IndexError) -> UInt64 {
    guard let zeros = BitLoad.unary(high, at: &highBit, limit: UInt64(UInt32.max)) else {
      throw .corrupt(file: file, detail: "positions end early or out of range")
    }
    return zeros
  }
}
