import Testing

@testable import ZhSearch

struct SnippetTests {
  @Test func matchesAreMarkedAndTheTextsControlCharactersEscaped() {
    let text = "改革\u{1B}[2J开放"
    #expect(Snippet.render(text, highlights: [0..<2, 6..<8], style: .brackets) == "[改革]\\x1b[2J[开放]")
    // The colour's own escapes stay; the text's are shown.
    let colored = Snippet.render(text, highlights: [0..<2], style: .color)
    #expect(colored == "\u{1B}[1;31m改革\u{1B}[0m\\x1b[2J开放")
  }
}
