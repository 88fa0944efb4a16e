import Testing

@testable import ZhSearch
import ZhSearchBench

struct SnippetTests {
  @Test func matchesAreMarkedAndTheTextsControlCharactersEscaped() {
    let text = "改革\u{1B}[2J开放"
    #expect(Snippet.render(text, highlights: [0..<2, 6..<8], style: .brackets) == "[改革]\\x1b\\[2J[开放]")
    // The colour's own escapes stay; the text's are shown, and its brackets need no escape.
    let colored = Snippet.render(text, highlights: [0..<2], style: .color)
    #expect(colored == "\u{1B}[1;31m改革\u{1B}[0m\\x1b[2J开放")
  }

  @Test func bracketsAndBackslashesOfTheTextAreEscapedSoAMarkIsNeverText() {
    // The example: the text's own brackets around a match.
    let text = "第680号[CPC 1]"
    #expect(Snippet.render(text, highlights: [6..<9], style: .brackets) == "第680号\\[[CPC] 1\\]")
    #expect(Snippet.render("a\\[b]", highlights: [3..<4], style: .brackets) == "a\\\\\\[[b]\\]")
    #expect(Snippet.escaped("[1]\\", style: .brackets) == "\\[1\\]\\\\")
    #expect(Snippet.escaped("[1]\\", style: .color) == "[1]\\")
    // Whatever the text, the marks read back give the text and the highlights shown.
    var random = SeededGenerator(seed: 5)
    let alphabet: [Character] = ["[", "]", "\\", "中", "。", "a", "\u{1B}"]
    for _ in 0..<300 {
      let text = String((0..<Int.random(in: 1...30, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
      let count = text.unicodeScalars.count
      let start = Int.random(in: 0..<count, using: &random)
      let span = start..<Int.random(in: start + 1...count, using: &random)
      let (shown, marks) = Self.readBack(Snippet.render(text, highlights: [span], style: .brackets))
      #expect(shown == TerminalText.escaped(text), "\(text)")
      let characters = Array(TerminalText.escaped(String(text.unicodeScalars.prefix(span.lowerBound))).unicodeScalars)
      #expect(marks.first?.lowerBound == characters.count, "\(text)")
    }
  }

  /// The text and the marked spans of a snippet printed with `.brackets` (one escape
  /// level undone: `\\`, `\[`, `\]`; TerminalText's escapes left as they are).
  static func readBack(_ snippet: String) -> (text: String, marks: [Range<Int>]) {
    var text: [Unicode.Scalar] = []
    var marks: [Range<Int>] = []
    var open: Int? = nil
    var scalars = snippet.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      switch scalar {
      case "\\":
        let next = scalars.next()!
        if next == "\\" || next == "[" || next == "]" { text.append(next) } else { text += ["\\", next] }
      case "[": open = text.count
      case "]":
        marks.append(open!..<text.count)
        open = nil
      default: text.append(scalar)
      }
    }
    #expect(open == nil)
    return (String(String.UnicodeScalarView(text)), marks)
  }

  @Test func aMatchAtTheBudgetsEdgeIsShownWholeOrNotAtAll() {
    // A first match, then a second one at every place across the 90 characters' edge.
    let filler = Array(repeating: "国", count: 300).joined()
    for second in 60..<140 {
      let highlights = [20..<24, second..<second + 6]
      let snippet = Snippet.render(filler, highlights: highlights, width: 90, style: .brackets)
      let (_, marks) = Self.readBack(snippet.replacingOccurrences(of: "…", with: ""))
      #expect(marks.allSatisfy { $0.count == 4 || $0.count == 6 }, "second match at \(second): \(snippet)")
      #expect(snippet.unicodeScalars.count <= 90 + 2 + 2 * marks.count)
    }
    // A first match longer than the budget is shown whole.
    let long = Snippet.render(filler, highlights: [100..<200], width: 90, style: .brackets)
    #expect(long == "…[" + String(repeating: "国", count: 100) + "]…")
  }

  @Test func aSnippetStartsAndEndsAtSentenceOrClauseEndsWithinItsBudget() {
    let sentence = "第一句话说的是经济发展的情况。"  // 15 characters
    let text = String(repeating: sentence, count: 3) + "今年要坚持[脱贫攻坚]不放松，继续推进乡村振兴。" + String(repeating: sentence, count: 6)
    let plain = text.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
    let start = Array(plain.unicodeScalars).firstIndex(of: "脱")!
    let snippet = Snippet.render(plain, highlights: [start..<start + 4], width: 60, style: .brackets)
    // Starts at a sentence start, ends after a sentence end, within 60 characters.
    #expect(snippet.hasPrefix("…第一句话") || snippet.hasPrefix("…今年要坚持"), "\(snippet)")
    #expect(snippet.hasSuffix("。…"), "\(snippet)")
    #expect(snippet.contains("今年要坚持[脱贫攻坚]不放松，继续推进乡村振兴。"))
    #expect(snippet.unicodeScalars.count <= 60 + 4)
    // With no sentence end in reach, a clause end; with none, the budget.
    let clauses = String(repeating: "甲乙丙丁戊己庚辛壬，", count: 20)
    let cut = Snippet.render(clauses, highlights: [50..<52], width: 40, style: .brackets)
    #expect(cut.hasPrefix("…甲") && cut.hasSuffix("，…"), "\(cut)")
    let none = String(repeating: "国", count: 200)
    #expect(Snippet.render(none, highlights: [100..<102], width: 30, style: .brackets).unicodeScalars.count == 30 + 4)
    // Short text is shown whole.
    #expect(Snippet.render("短句。", highlights: [0..<2], style: .brackets) == "[短句]。")
  }

  @Test func aMatchHoldingPunctuationIsNeverCutAtItsOwnClauseEnd() {
    // A quoted query such as "发展，改革" matches across a comma; the end of the window,
    // drawn to clause ends, must not fall on the comma inside a later match.
    let filler = String(repeating: "国", count: 30)
    let text = "发展，改革" + filler + "。" + filler + "发展，改革" + filler
    let characters = Array(text.unicodeScalars)
    let second = 66
    #expect(String(String.UnicodeScalarView(characters[second..<second + 5])) == "发展，改革")
    for width in 60...80 {
      let snippet = Snippet.render(text, highlights: [0..<5, second..<second + 5], width: width, style: .brackets)
      let (_, marks) = Self.readBack(snippet.replacingOccurrences(of: "…", with: ""))
      #expect(marks.allSatisfy { $0.count == 5 }, "width \(width): \(snippet)")
    }
  }
}
