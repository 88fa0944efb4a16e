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

  /// One entry per code point; a page's entries are valid once its bit in `filled` is set.
  private let entries = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x11_0000)
  @exclusivity(unchecked) private var filled = [UInt64](repeating: 0, count: 0x1100 / 64)

  deinit { entries.deallocate() }

  /// The entry of code point `c` (see `CICUShim.h`, `cicu_character_page`).
  @inline(__always)
  func entry(_ c: UInt32) -> UInt8 {
    let page = Int(c >> 8)
    if filled[page >> 6] & (1 << UInt64(page & 63)) == 0 { fill(page) }
    return entries[Int(c)]
  }

  private func fill(_ page: Int) {
    let code = cicu_character_page(UInt32(page), entries + page << 8)
    // The sets are built from fixed patterns and ICU's own data; failing here means ICU's
    // data is missing, which nothing else could work without either.
    precondition(code <= 0, "ICU cannot classify characters: \(ICUError(rawValue: code))")
    filled[page >> 6] |= 1 << UInt64(page & 63)
  }
}
