import CICUShim

/// An ICU break iterator over UTF-8 text that is opened once and reused for many texts.
///
/// Two kinds exist: `scriptRuns()` separates runs of Han characters, letters and digits
/// (every other character stands alone), and `sentences()` finds sentence ends. Not
/// thread-safe: give each thread its own.
final class BreakIterator {
  /// What kind of run a segment is, from the rule status ICU reports for it.
  enum RunKind: Sendable {
    case han, letters, digits, other

    init(ruleStatus: Int32) {
      switch ruleStatus {
      case CICU_RUN_HAN: self = .han
      case CICU_RUN_LETTERS: self = .letters
      case CICU_RUN_DIGITS: self = .digits
      default: self = .other
      }
    }
  }

  private let handle: OpaquePointer

  private init(handle: OpaquePointer) { self.handle = handle }

  deinit { cicu_breaker_close(handle) }

  /// Opens the rule-based iterator that separates script runs. The corresponding C function
  /// is `ubrk_openRules`.
  static func scriptRuns() throws(ICUError) -> BreakIterator {
    var code: Int32 = 0
    guard let handle = cicu_breaker_open_runs(&code) else { throw ICUError(rawValue: code) }
    return BreakIterator(handle: handle)
  }

  /// Opens ICU's Chinese sentence iterator. The corresponding C function is `ubrk_open`.
  static func sentences() throws(ICUError) -> BreakIterator {
    var code: Int32 = 0
    guard let handle = cicu_breaker_open_sentences(&code) else { throw ICUError(rawValue: code) }
    return BreakIterator(handle: handle)
  }

  /// Points the iterator at `text` (valid UTF-8, which must outlive the iterator's use) for
  /// `preceding` and `following`.
  func setText(_ text: UnsafeBufferPointer<UInt8>) {
    guard let base = text.baseAddress, !text.isEmpty else { return }
    var code: Int32 = 0
    cicu_breaker_set_text(handle, base, Int64(text.count), &code)
    precondition(!ICUError.isFailure(code), "ubrk_setUText failed: \(ICUError(rawValue: code))")
  }

  /// Points the iterator at UTF-16 `text` (which must outlive the iterator's use) for
  /// `preceding` and `following`, whose offsets are then code unit indices.
  func setText(utf16 text: UnsafeBufferPointer<UInt16>) {
    guard let base = text.baseAddress, !text.isEmpty, text.count <= Int(Int32.max) else { return }
    var code: Int32 = 0
    cicu_breaker_set_text16(handle, base, Int32(text.count), &code)
    precondition(!ICUError.isFailure(code), "ubrk_setText failed: \(ICUError(rawValue: code))")
  }

  /// The last boundary before byte `offset` of the text set last, if any. The corresponding
  /// C function is `ubrk_preceding`.
  func preceding(_ offset: Int) -> Int? {
    let boundary = cicu_breaker_preceding(handle, Int64(offset))
    return boundary < 0 ? nil : Int(boundary)
  }

  /// The first boundary after byte `offset` of the text set last, if any. The corresponding C
  /// function is `ubrk_following`.
  func following(_ offset: Int) -> Int? {
    let boundary = cicu_breaker_following(handle, Int64(offset))
    return boundary < 0 ? nil : Int(boundary)
  }

  /// Calls `body` with the end offset and rule status of each segment of `text`, in order.
  ///
  /// The text must be valid UTF-8; offsets are byte offsets into it.
  func forEachSegment(
    in text: UnsafeBufferPointer<UInt8>, _ body: (_ end: Int, _ ruleStatus: Int32) -> Void
  ) {
    guard let base = text.baseAddress, !text.isEmpty else { return }
    var code: Int32 = 0
    cicu_breaker_set_text(handle, base, Int64(text.count), &code)
    // Setting UTF-8 text only fails on a null pointer or a length over Int64; neither
    // happens here, so a failure is a programming error.
    precondition(!ICUError.isFailure(code), "ubrk_setUText failed: \(ICUError(rawValue: code))")
    var status: Int32 = 0
    while true {
      let end = cicu_breaker_next(handle, &status)
      if end < 0 { break }
      body(Int(end), status)
    }
  }
}
