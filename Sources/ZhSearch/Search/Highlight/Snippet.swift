/// A window of a paragraph around its first match, with the matches marked.
public enum Snippet {
  /// How matches are marked.
  public enum Style: Sendable {
    /// `[match]`, for pipes and files.
    case brackets
    /// Bold red with ANSI escapes, for a terminal.
    case color
  }

  /// Renders up to `width` characters of `text` around the first highlight, marking every
  /// highlight in the window, with `…` where text was cut. Control characters of the text
  /// are shown escaped (`TerminalText`); the marks are not.
  ///
  /// - Parameters:
  ///   - highlights: sorted, non-overlapping character ranges of `text`.
  public static func render(
    _ text: String, highlights: [Range<Int>], width: Int = 90, style: Style
  ) -> String {
    let characters = Array(text.unicodeScalars)
    // (Checked once over the whole text: most paragraphs need no escaping.)
    let escapes = TerminalText.needsEscaping(text)
    func piece(_ range: Range<Int>) -> String {
      let piece = String(String.UnicodeScalarView(characters[range]))
      return escapes ? TerminalText.escaped(piece) : piece
    }
    let anchor = highlights.first?.lowerBound ?? 0
    var start = max(0, anchor - width / 3)
    let end = min(characters.count, start + width)
    start = max(0, min(start, end - width))
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
}
