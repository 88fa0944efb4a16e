import Testing

@testable import ZhSearch

struct TerminalTextTests {
  @Test func controlCharactersAndBidirectionalOverridesAreEscaped() {
    #expect(TerminalText.escaped("改革\u{1B}]0;PWNED\u{07}\u{1B}[2J") == "改革\\x1b]0;PWNED\\x07\\x1b[2J")
    #expect(TerminalText.escaped("a\tb\nc\rd\u{0}e\u{7F}") == "a\\tb\\nc\\rd\\x00e\\x7f")
    #expect(TerminalText.escaped("\u{80}\u{9B}\u{9F}") == "\\u{0080}\\u{009b}\\u{009f}")
    #expect(TerminalText.escaped("\u{202A}\u{202E}\u{2066}\u{2069}") == "\\u{202a}\\u{202e}\\u{2066}\\u{2069}")
    // Every code point of the ranges, and none next to them.
    for c in UInt32(0)...0x2100 {
      guard let scalar = Unicode.Scalar(c) else { continue }
      let unsafe = c < 0x20 || (0x7F...0x9F).contains(c) || (0x202A...0x202E).contains(c) || (0x2066...0x2069).contains(c)
      #expect(TerminalText.needsEscaping("中" + String(scalar) + "文") == unsafe, "U+\(String(c, radix: 16))")
    }
  }

  @Test func textWithNothingToEscapeIsReturnedAsItIs() {
    // (Punctuation of the same lead bytes as the escaped characters: U+00A0, U+00B7, U+2026,
    // U+201C, U+2029, U+206A.)
    let text = "脱贫攻坚\u{A0}·…“引号”\u{2029}\u{206A}a b 1"
    #expect(!TerminalText.needsEscaping(text))
    #expect(TerminalText.escaped(text) == text)
    #expect(TerminalText.escaped("") == "")
  }
}
