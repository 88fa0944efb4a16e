import CICUShim

/// Each character's sentence break class (`cicu_sentence_class`: ICU's Sentence_Break
/// property, in the classes `PassageSplitter` tells apart), looked up in pages of 256
/// characters of the Basic Multilingual Plane filled on first use, and asked of ICU for the
/// characters beyond it. Not thread-safe.
final class SentenceClasses {
  static let sTerm = UInt8(CICU_SENTENCE_STERM)
  static let aTerm = UInt8(CICU_SENTENCE_ATERM)
  static let close = UInt8(CICU_SENTENCE_CLOSE)
  static let space = UInt8(CICU_SENTENCE_SP)
  static let sContinue = UInt8(CICU_SENTENCE_SCONTINUE)
  static let special = UInt8(CICU_SENTENCE_SPECIAL)

  private let classes = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
  private let filled = UnsafeMutablePointer<Bool>.allocate(capacity: 0x100)

  init() { filled.initialize(repeating: false, count: 0x100) }

  deinit {
    classes.deallocate()
    filled.deallocate()
  }

  /// The class of code point `c`.
  func of(_ c: UInt32) -> UInt8 {
    guard c < 0x10000 else { return UInt8(truncatingIfNeeded: cicu_sentence_class(c)) }
    let page = Int(truncatingIfNeeded: c &>> 8)
    if !filled[page] {
      for offset in 0..<0x100 {
        classes[page &<< 8 | offset] = UInt8(truncatingIfNeeded: cicu_sentence_class(UInt32(page &<< 8 | offset)))
      }
      filled[page] = true
    }
    return classes[Int(truncatingIfNeeded: c)]
  }
}
