/// Splits a long line into passages of at most `limit` characters at natural boundaries.
///
/// Boundaries are tried in order of preference within each window of `limit` characters:
/// a sentence end found by ICU's sentence break iterator, then clause punctuation
/// (`，、；：,;:` and the like), then whitespace. A boundary is only taken right after a
/// character that is neither Han, a letter nor a digit, so a run of those is never cut and
/// no phrase inside it is lost. When a window has no boundary at all (one long run), the
/// passage grows to the next boundary, or to the end of the line.
struct PassageSplitter {
  /// The most characters (Unicode code points) a passage should hold.
  let limit: Int
  private let sentences: BreakIterator

  init(limit: Int) throws(ICUError) {
    precondition(limit > 0, "the passage limit must be positive")
    self.limit = limit
    sentences = try BreakIterator.sentences()
  }

  /// The passages of `line`, trimmed and non-empty; `[line]` when it is short enough.
  func split(_ line: String) -> [String] {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count > limit else { return [line] }
    // Preference of a boundary after each scalar index i (a cut between i and i + 1).
    var preference = [UInt8](repeating: 0, count: scalars.count)
    for (i, scalar) in scalars.enumerated() where !Self.isRunCharacter(scalar) {
      if scalar.properties.isWhitespace {
        preference[i] = 1
      } else if Self.clausePunctuation.contains(scalar.value) {
        preference[i] = 2
      } else {
        preference[i] = 0
      }
    }
    for end in sentenceEnds(line, scalarCount: scalars.count) where end > 0 {
      let i = end - 1
      if !Self.isRunCharacter(scalars[i]) { preference[i] = 3 }
    }
    var passages: [String] = []
    var start = 0
    while scalars.count - start > limit {
      let windowEnd = start + limit - 1
      var cut = -1
      for wanted in stride(from: UInt8(3), through: 1, by: -1) {
        if let i = (start...windowEnd).last(where: { preference[$0] == wanted }) {
          cut = i
          break
        }
      }
      if cut < 0 {
        // No boundary in the window: take the first one after it, never cutting a run.
        cut = (windowEnd + 1..<scalars.count - 1).first(where: { preference[$0] > 0 }) ?? scalars.count - 1
      }
      appendTrimmed(scalars[start...cut], to: &passages)
      start = cut + 1
    }
    if start < scalars.count { appendTrimmed(scalars[start...], to: &passages) }
    return passages
  }

  /// Scalar indices just after each sentence end ICU finds in `line`.
  private func sentenceEnds(_ line: String, scalarCount: Int) -> [Int] {
    var line = line
    return line.withUTF8 { bytes in
      // Map byte offsets to scalar indices.
      var scalarIndexAtByte = [Int](repeating: 0, count: bytes.count + 1)
      var index = 0
      for (offset, byte) in bytes.enumerated() {
        if byte & 0xC0 != 0x80 && offset > 0 { index += 1 }
        scalarIndexAtByte[offset] = index
      }
      scalarIndexAtByte[bytes.count] = scalarCount
      var ends: [Int] = []
      sentences.forEachSegment(in: bytes) { end, _ in ends.append(scalarIndexAtByte[end]) }
      return ends
    }
  }

  private func appendTrimmed(_ scalars: ArraySlice<Unicode.Scalar>, to passages: inout [String]) {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    let text = String(view).trimmingWhitespace()
    if !text.isEmpty { passages.append(text) }
  }

  /// Whether a character belongs to a run that must not be cut (Han, letters, digits, marks).
  static func isRunCharacter(_ scalar: Unicode.Scalar) -> Bool {
    let properties = scalar.properties
    return properties.isAlphabetic || properties.numericType == .decimal
      || properties.generalCategory == .nonspacingMark
      || properties.generalCategory == .spacingMark
      || properties.generalCategory == .enclosingMark
  }

  /// Clause punctuation, full and half width.
  static let clausePunctuation: Set<UInt32> = Set(
    "，、；：,;:—…)）」』】》〉".unicodeScalars.map(\.value))
}

extension String {
  /// The string without leading and trailing whitespace (including U+3000 and a BOM).
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{FEFF}" }
    guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
    let last = lastIndex(where: { !isSpace($0) })!
    return String(self[first...last])
  }
}
