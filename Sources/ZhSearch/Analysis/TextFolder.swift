import CICUShim

/// Folds text with ICU's NFKC_Casefold: full width to half width, upper to lower case.
///
/// Folding can change lengths (`㍿` becomes `株式会社`), so the folder can also record, for
/// each folded byte, the range of original bytes it came from; highlights use it to map a
/// match in the folded text back onto the original. Buffers are kept between calls; not
/// thread-safe.
final class TextFolder {
  /// The folded UTF-8 of the last call.
  private(set) var folded: [UInt8] = []
  /// For each folded byte, the original byte offset where its normalization chunk starts.
  private(set) var sourceStart: [Int32] = []
  /// For each folded byte, the original byte offset where its normalization chunk ends.
  private(set) var sourceEnd: [Int32] = []

  /// Folds `text` (valid UTF-8) into `folded`, and fills the offset maps when `offsets`.
  func fold(_ text: UnsafeBufferPointer<UInt8>, offsets: Bool) {
    var capacity = text.count + text.count / 2 + 16
    while true {
      if folded.count < capacity { folded = [UInt8](repeating: 0, count: capacity) }
      if offsets && sourceStart.count < capacity {
        sourceStart = [Int32](repeating: 0, count: capacity)
        sourceEnd = [Int32](repeating: 0, count: capacity)
      }
      var code: Int32 = 0
      let written = folded.withUnsafeMutableBufferPointer { out in
        sourceStart.withUnsafeMutableBufferPointer { starts in
          sourceEnd.withUnsafeMutableBufferPointer { ends in
            cicu_fold_utf8(
              text.baseAddress ?? UnsafePointer(out.baseAddress!), Int64(text.count),
              out.baseAddress!, Int64(capacity),
              offsets ? starts.baseAddress : nil, offsets ? ends.baseAddress : nil, &code)
          }
        }
      }
      if written >= 0 {
        foldedCount = Int(written)
        return
      }
      // Only a buffer overflow can happen here: NFKC_Casefold's data ships with ICU itself.
      precondition(code == ICUError.bufferOverflow.rawValue, "\(ICUError(rawValue: code))")
      capacity = text.count * 18 + 16
    }
  }

  /// How many bytes of `folded` the last call wrote.
  private(set) var foldedCount = 0
}
