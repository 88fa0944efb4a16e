import CICUShim

/// What ICU says about each code point, looked up in one byte: its run class, whether it
/// folds without ICU, and whether it starts a normalization chunk.
///
/// The classes are the sets of the script-run rules that `BreakIterator.scriptRuns()` gives
/// ICU (Han `[\p{Han}]`, digits `[\p{Nd}]`, letters `[[\p{Alphabetic}\p{M}] - [\p{Han}\p{Nd}]]`),
/// so a scan over this table cuts text into the same runs as ICU's iterator (a test holds
/// the two to that). Pages of 256 code points are computed from ICU on first use; not
/// thread-safe, so each `Analyzer` has its own.
final class CharacterTable {
  /// Run class of a code point.
  enum Class: UInt8 {
    case other = 0, han, letter, digit
  }

  static let classMask = UInt8(CICU_CLASS_MASK)
  static let fast = UInt8(CICU_FAST)
  static let boundaryBefore = UInt8(CICU_BOUNDARY_BEFORE)
  static let inert = UInt8(CICU_INERT)

  /// One entry per code point. A Basic Multilingual Plane entry of `unknown` has not been
  /// computed yet; above that plane, a page's entries are valid once its bit in `filled` is set.
  private let entries = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x11_0000)
  private let filled = UnsafeMutablePointer<UInt64>.allocate(capacity: 0x1100 / 64)
  /// A value no entry takes (a character that folds unchanged has length 1 in bits 4-6).
  private static let unknown: UInt8 = 0xFF

  init() {
    entries.initialize(repeating: Self.unknown, count: 0x1_0000)
    filled.initialize(repeating: 0, count: 0x1100 / 64)
  }

  deinit {
    entries.deallocate()
    filled.deallocate()
  }

  /// The entry of code point `c` (see `CICUShim.h`, `cicu_character_page`).
  @inline(__always)
  func entry(_ c: UInt32) -> UInt8 {
    if c < 0x1_0000 {
      // Chinese text: one load, the page computed on first use.
      let entry = entries[Int(c)]
      if entry != Self.unknown { return entry }
    } else {
      let page = Int(c >> 8)
      if filled[page >> 6] & (1 << UInt64(page & 63)) != 0 { return entries[Int(c)] }
    }
    fill(Int(c >> 8))
    return entries[Int(c)]
  }

  @inline(never)
  private func fill(_ page: Int) {
    let code = cicu_character_page(UInt32(page), entries + page << 8)
    // The sets are built from fixed patterns and ICU's own data; failing here means ICU's
    // data is missing, which nothing else could work without either.
    precondition(code <= 0, "ICU cannot classify characters: \(ICUError(rawValue: code))")
    filled[page >> 6] |= 1 << UInt64(page & 63)
  }
}
