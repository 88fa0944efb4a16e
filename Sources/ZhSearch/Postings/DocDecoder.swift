/// Decodes a term's postings from its doc bits (`IndexFormat`, section docs; written by
/// `DocEncoder`): each paragraph's gap from the one before in Rice code (`gapBits` low
/// bits, the rest in unary), its frequency in Elias gamma code. A posting usually fits one
/// 64-bit load; the rest take a slower path.
struct DocDecoder {
  private let bytes: UnsafeRawBufferPointer
  /// `bytes`' start with up to 8 bytes after them (bits past the list are loaded, never used).
  private let loadable: UnsafeRawBufferPointer
  private let endBit: Int
  private let gapBits: Int
  private let paragraphCount: UInt64
  /// The bit where the next posting starts.
  private(set) var bit: Int

  /// A decoder of the list in `bytes`; `loadable`, when given, starts where `bytes` does and
  /// may run on past them, so that postings near the list's end still take the fast path.
  init(_ bytes: UnsafeRawBufferPointer, loadable: UnsafeRawBufferPointer? = nil, gapBits: Int, paragraphCount: Int, bit: Int = 0) {
    self.bytes = bytes
    self.loadable = loadable.map { $0.count >= bytes.count ? $0 : bytes } ?? bytes
    endBit = bytes.count * 8
    self.gapBits = gapBits
    self.paragraphCount = UInt64(max(0, paragraphCount))
    self.bit = bit
  }

  /// The next posting: its paragraph (the gap added to `previous`, or the gap itself for a
  /// list's first) and frequency; nil when the bits are malformed or the paragraph lies
  /// beyond the index.
  @inline(__always)
  mutating func next(after previous: UInt64?) -> (paragraph: UInt64, frequency: UInt64)? {
    let (word, real) = BitLoad.word(loadable, byte: bit >> 3)
    let shift = bit & 7
    // Bits of the window that belong to the list.
    let available = min(real - shift, endBit - bit)
    let window = word &>> UInt64(shift)
    let k = gapBits
    // Fast path: gap quotient, gap low bits, gamma length and gamma bits all in the window.
    let q = window.trailingZeroBitCount
    if q + 1 + k < 64 {
      var rest = window &>> UInt64(q + 1)
      let low = rest & ((1 &<< UInt64(k)) &- 1)
      rest = rest &>> UInt64(k)
      let n = rest.trailingZeroBitCount
      let used = q + 1 + k + n + 1 + n
      if used <= available && n < 32 {
        let extra = (rest &>> UInt64(n + 1)) & ((1 &<< UInt64(n)) &- 1)
        bit += used
        return posting(gap: UInt64(q) << UInt64(k) | low, frequency: 1 << UInt64(n) | extra, after: previous)
      }
    }
    // Slow path: one part at a time (long unary runs, a malformed end of the list).
    guard let quotient = unary(limit: paragraphCount >> UInt64(k)), let low = bits(k),
      let n = unary(limit: 31), let extra = bits(Int(n))
    else { return nil }
    return posting(gap: quotient << UInt64(k) | low, frequency: 1 << n | extra, after: previous)
  }

  /// Decodes the next `count` postings into `paragraphs` and `frequencies` (the first after
  /// `previous`, or a list's first when nil) and returns how many it decoded: fewer than
  /// `count` only when the bits are malformed or a paragraph lies beyond the index.
  ///
  /// The bulk path of `next`: the state stays in registers, and a posting whose fields all
  /// lie in one 64-bit load (nearly all) costs two bit scans and a few shifts, checked only
  /// against the list's end and the paragraph count; the others take `next`.
  mutating func decode(
    _ count: Int, after previous: UInt64?, paragraphs: UnsafeMutablePointer<UInt32>,
    frequencies: UnsafeMutablePointer<UInt32>
  ) -> Int {
    guard let fast = FastPath(self) else {
      return finish(count, from: 0, after: previous, paragraphs: paragraphs, frequencies: frequencies)
    }
    var i = 0
    while i < count {
      var bit = self.bit
      // The paragraph before the next; for a list's first, one before zero (wrapping).
      var paragraph = i == 0 ? previous ?? UInt64.max : UInt64(paragraphs[i - 1])
      while i < count && fast.step(bit: &bit, paragraph: &paragraph, into: paragraphs + i, frequencies + i) {
        i &+= 1
      }
      self.bit = bit
      guard i < count else { break }
      // A posting the fast path left (a long gap, say) alone the slow way; then fast again.
      guard finish(i + 1, from: i, after: previous, paragraphs: paragraphs, frequencies: frequencies) == i + 1 else {
        return i
      }
      i += 1
    }
    return count
  }

  /// Decodes the next `count` postings of `a` and of `b` as `decode` does, in lockstep: two
  /// independent chains of loads and bit scans, which a core runs side by side (one chain
  /// waits on each step's result before the next can start). False when either list is
  /// malformed.
  static func decode(
    _ count: Int,
    _ a: inout DocDecoder, after previousA: UInt64?, into paragraphsA: UnsafeMutablePointer<UInt32>,
    _ frequenciesA: UnsafeMutablePointer<UInt32>,
    _ b: inout DocDecoder, after previousB: UInt64?, into paragraphsB: UnsafeMutablePointer<UInt32>,
    _ frequenciesB: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard let fastA = FastPath(a), let fastB = FastPath(b) else {
      return a.decode(count, after: previousA, paragraphs: paragraphsA, frequencies: frequenciesA) == count
        && b.decode(count, after: previousB, paragraphs: paragraphsB, frequencies: frequenciesB) == count
    }
    var i = 0
    while i < count {
      var (bitA, paragraphA) = (a.bit, i == 0 ? previousA ?? UInt64.max : UInt64(paragraphsA[i - 1]))
      var (bitB, paragraphB) = (b.bit, i == 0 ? previousB ?? UInt64.max : UInt64(paragraphsB[i - 1]))
      while i < count {
        let (oldBitA, oldParagraphA) = (bitA, paragraphA)
        guard fastA.step(bit: &bitA, paragraph: &paragraphA, into: paragraphsA + i, frequenciesA + i) else { break }
        guard fastB.step(bit: &bitB, paragraph: &paragraphB, into: paragraphsB + i, frequenciesB + i) else {
          (bitA, paragraphA) = (oldBitA, oldParagraphA)
          break
        }
        i &+= 1
      }
      (a.bit, b.bit) = (bitA, bitB)
      guard i < count else { break }
      // Posting i of each the slow way (one of them did not fit the fast path); then fast again.
      guard a.finish(i + 1, from: i, after: previousA, paragraphs: paragraphsA, frequencies: frequenciesA) == i + 1,
        b.finish(i + 1, from: i, after: previousB, paragraphs: paragraphsB, frequencies: frequenciesB) == i + 1
      else { return false }
      i += 1
    }
    return true
  }

  /// What the fast path reads, copied out of the decoder so that it stays in registers
  /// (writes through the output pointers could otherwise alias the decoder's fields).
  private struct FastPath {
    let base: UnsafeRawPointer
    /// Loads at bytes up to here read 8 bytes that exist.
    let lastLoad: Int
    let k: UInt64
    let endBit: Int
    let paragraphCount: UInt64

    init?(_ decoder: DocDecoder) {
      guard let base = decoder.loadable.baseAddress else { return nil }
      self.base = base
      lastLoad = decoder.loadable.count - 8
      k = UInt64(decoder.gapBits)
      endBit = decoder.endBit
      paragraphCount = decoder.paragraphCount
    }

    /// One posting, from `bit` after `paragraph` (both advanced), written to `paragraphOut`
    /// and `frequencyOut`; false, with nothing advanced, when its fields do not all lie in
    /// one 64-bit load, or it is malformed.
    @inline(__always)
    func step(
      bit: inout Int, paragraph: inout UInt64, into paragraphOut: UnsafeMutablePointer<UInt32>,
      _ frequencyOut: UnsafeMutablePointer<UInt32>
    ) -> Bool {
      let byte = bit &>> 3
      guard byte <= lastLoad else { return false }
      // At least 57 bits of the window are real.
      let window = UInt64(littleEndian: (base + byte).loadUnaligned(as: UInt64.self)) &>> UInt64(bit & 7)
      let q = UInt64(window.trailingZeroBitCount)
      let afterGap = window &>> (q &+ 1 &+ k)
      let n = UInt64(afterGap.trailingZeroBitCount)
      let used = q &+ 1 &+ k &+ 2 &* n &+ 1
      // Long codes (and a window of zeros, where q is 64) take the slow path. Within 57
      // bits, n is at most 28: the frequency fits 32 bits.
      guard used <= 57, bit &+ Int(used) <= endBit else { return false }
      let low = (window &>> (q &+ 1)) & ((1 &<< k) &- 1)
      let extra = (afterGap &>> (n &+ 1)) & ((1 &<< n) &- 1)
      let next = paragraph &+ (q &<< k | low) &+ 1
      guard next < paragraphCount else { return false }
      paragraphOut.pointee = UInt32(truncatingIfNeeded: next)
      frequencyOut.pointee = UInt32(truncatingIfNeeded: 1 &<< n | extra)
      paragraph = next
      bit &+= Int(used)
      return true
    }
  }

  /// Decodes postings `done..<count` one at a time (those the fast path left), the first
  /// after the one before `done` (or `previous`); returns how many of the `count` are decoded.
  private mutating func finish(
    _ count: Int, from done: Int, after previous: UInt64?, paragraphs: UnsafeMutablePointer<UInt32>,
    frequencies: UnsafeMutablePointer<UInt32>
  ) -> Int {
    var i = done
    while i < count {
      guard let (next, frequency) = next(after: i == 0 ? previous : UInt64(paragraphs[i - 1])) else { return i }
      paragraphs[i] = UInt32(truncatingIfNeeded: next)
      frequencies[i] = UInt32(truncatingIfNeeded: frequency)
      i += 1
    }
    return count
  }

  @inline(__always)
  private func posting(gap: UInt64, frequency: UInt64, after previous: UInt64?) -> (paragraph: UInt64, frequency: UInt64)? {
    let paragraph = previous.map { $0 &+ gap &+ 1 } ?? gap
    guard paragraph < paragraphCount, previous.map({ paragraph > $0 }) ?? true else { return nil }
    return (paragraph, frequency)
  }

  /// The zero bits before the next one bit (at most `limit`), which it passes.
  private mutating func unary(limit: UInt64) -> UInt64? { BitLoad.unary(bytes, at: &bit, limit: limit) }

  /// The next `width` bits (at most 32).
  private mutating func bits(_ width: Int) -> UInt64? {
    guard width > 0 else { return 0 }
    guard bit + width <= bytes.count * 8 else { return nil }
    defer { bit += width }
    return BitLoad.bits(bytes, at: bit, width: width)
  }
}
