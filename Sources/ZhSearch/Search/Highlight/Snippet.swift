/// A window of a paragraph around its first match, with the matches marked.
///
/// The window holds the first match whole and cuts no match: it starts and ends at
/// sentence ends (`。！？!?`, with any closing quotes or brackets after them) where one lies
/// within the budget, else at clause punctuation (`，、；：` and the like), else where the
/// budget ends, moved out of any match it would cut.
public enum Snippet {
  /// How matches are marked.
  public enum Style: Sendable {
    /// `[match]`, for pipes and files; the text's own `\`, `[` and `]` are escaped as `\\`,
    /// `\[` and `\]`, so an unescaped bracket is always a mark.
    case brackets
    /// Bold red with ANSI escapes, for a terminal.
    case color
  }

  /// Renders up to `width` characters of `text` around the first highlight (more only when
  /// that highlight is longer), marking every highlight in the window, with `…` where text
  /// was cut. The text is escaped as `escaped(_:style:)` does; the marks are not.
  ///
  /// - Parameters:
  ///   - highlights: sorted, non-overlapping character ranges of `text`.
  public static func render(
    _ text: String, highlights: [Range<Int>], width: Int = 90, style: Style
  ) -> String {
    let characters = Array(text.unicodeScalars)
    // (Checked once over the whole text: most paragraphs need no escaping.)
    let escapes = needsEscaping(text, style: style)
    func piece(_ range: Range<Int>) -> String {
      let piece = String(String.UnicodeScalarView(characters[range]))
      return escapes ? escaped(piece, style: style) : piece
    }
    let (start, end) = window(characters, highlights: highlights, width: width)
    var out = start > 0 ? "…" : ""
    var index = start
    for span in highlights where span.upperBound > start && span.lowerBound < end {
      let from = max(span.lowerBound, start)
      let to = min(span.upperBound, end)
      out += piece(index..<from)
      let match = piece(from..<to)
      switch style {
      case .brackets: out += "[" + match + "]"
      case .color: out += "\u{1B}[1;31m" + match + "\u{1B}[0m"
      }
      index = to
    }
    out += piece(index..<end)
    if end < characters.count { out += "…" }
    return out
  }

  /// `text` as printed in `style`: control characters escaped (`TerminalText`) and, for
  /// `.brackets`, the marks' characters too (`\` as `\\`, `[` as `\[`, `]` as `\]`).
  public static func escaped(_ text: String, style: Style) -> String {
    guard style == .brackets, text.utf8.contains(where: isMarkByte) else { return TerminalText.escaped(text) }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if scalar.isASCII && isMarkByte(UInt8(scalar.value)) { out += "\\" }
      out.unicodeScalars.append(scalar)
    }
    // (TerminalText's escapes start with a backslash the loop above has not seen.)
    return TerminalText.escaped(out)
  }

  private static func needsEscaping(_ text: String, style: Style) -> Bool {
    TerminalText.needsEscaping(text) || (style == .brackets && text.utf8.contains(where: isMarkByte))
  }

  @inline(__always)
  private static func isMarkByte(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
  }

  /// The window `start..<end` of `characters` to show: see the type's comment.
  static func window(_ characters: [Unicode.Scalar], highlights: [Range<Int>], width: Int) -> (Int, Int) {
    let count = characters.count
    guard count > width else { return (0, count) }
    let anchor = highlights.first.map { min($0.lowerBound, count)..<min($0.upperBound, count) } ?? 0..<0
    guard anchor.count < width else { return (anchor.lowerBound, anchor.upperBound) }
    // The start: the window must hold the anchor; ideally a third of the budget before it,
    // or earlier when the text ends within the budget, so that the window is full.
    let earliest = max(0, anchor.upperBound - width)
    let ideal = max(earliest, min(anchor.lowerBound - width / 3, count - width))
    let lowest = max(earliest, anchor.lowerBound - 2 * width / 3)
    var start = -1
    for wanted in [Strength.sentence, .clause] where start < 0 {
      for candidate in lowest...anchor.lowerBound where strength(characters, before: candidate) >= wanted {
        if start < 0 || abs(candidate - ideal) < abs(start - ideal) { start = candidate }
      }
    }
    if start < 0 {
      start = ideal
      // (A match the cut would fall in comes before the anchor: the window starts after it.)
      if let cut = highlights.first(where: { $0.lowerBound < start && start < $0.upperBound }) { start = cut.upperBound }
    }
    // A window that starts after a boundary does not start with its spaces.
    while start < anchor.lowerBound && CorpusReader.isWhiteSpace(characters[start].value) { start += 1 }
    // The end: the last sentence end, else clause end, in the budget that leaves the window
    // at least half full; else the budget's end, before any match it would cut.
    let limit = min(count, start + width)
    guard limit < count else { return (start, count) }
    let shortest = max(anchor.upperBound, start + width / 2)
    var end = -1
    for wanted in [Strength.sentence, .clause] where end < 0 {
      for candidate in stride(from: limit, through: shortest, by: -1)
      where strength(characters, before: candidate) >= wanted
        // A match may hold punctuation (a quoted "发展，改革"): never end inside one.
        && !highlights.contains(where: { $0.lowerBound < candidate && candidate < $0.upperBound }) {
        end = candidate
        break
      }
    }
    if end < 0 {
      end = limit
      if let cut = highlights.first(where: { $0.lowerBound < end && end < $0.upperBound }) {
        end = max(cut.lowerBound, anchor.upperBound)
      }
    }
    return (start, end)
  }

  /// How good a place to cut a snippet is.
  enum Strength: Int, Comparable {
    case none = 0, clause, sentence

    static func < (a: Strength, b: Strength) -> Bool { a.rawValue < b.rawValue }
  }

  /// The strength of a cut before character `index` (at `characters.count`: after the
  /// last): a sentence end or clause punctuation before it, past closing quotes and
  /// brackets; the text's edges are sentence ends.
  static func strength(_ characters: [Unicode.Scalar], before index: Int) -> Strength {
    guard index > 0, index < characters.count else { return .sentence }
    var last = index - 1
    while last > 0 && isClosing(characters[last].value) { last -= 1 }
    switch characters[last].value {
    case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F: return .sentence  // 。！？!?
    case 0xFF1B, 0x3B: return .clause  // ；;
    case let c where PassageSplitter.isClausePunctuation(c): return .clause
    default: return .none
    }
  }

  /// Closing quotes and brackets: `”’」』）)】》〉`.
  private static func isClosing(_ c: UInt32) -> Bool {
    switch c {
    case 0x201D, 0x2019, 0x300D, 0x300F, 0xFF09, 0x29, 0x3011, 0x300B, 0x3009: return true
    default: return false
    }
  }
}
