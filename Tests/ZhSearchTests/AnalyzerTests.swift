import Testing

@testable import ZhSearch

/// Renders tokens as `text@position` for compact expectations.
private func describe(_ text: String) throws -> [String] {
  let analyzer = try Analyzer()
  let result = analyzer.analyze(text)
  return result.tokens.map { "\(result.text(of: $0))@\($0.position)" }
}

struct AnalyzerTests {
  @Test func theUnifiedIdeographsBlockIsSimpleHanAsICUSaysEveryCharacterIs() {
    // The index's Han loop takes U+4E00 to U+9FFF without looking them up: ICU's
    // properties, through the character table, must agree for every one of them.
    let table = CharacterTable()
    let mask = CharacterTable.classMask | CharacterTable.inert | CharacterTable.boundaryBefore
    let differing = (UInt32(0x4E00)...0x9FFF).filter { table.entry($0) & mask != Analyzer.simpleHan }
    #expect(differing.isEmpty, "\(differing.prefix(8).map { String($0, radix: 16) })")
    // The table's other Han characters are not all simple: the compatibility ideographs fold.
    #expect(table.entry(0xF900) & mask != Analyzer.simpleHan)
  }

  @Test func hanRunsBecomeOverlappingBigramsAndAFinalUnigram() throws {
    #expect(try describe("中华人民") == ["中华@0", "华人@1", "人民@2", "民@3"])
    #expect(try describe("民") == ["民@0"])
  }

  @Test func mixedScriptsSplitIntoRunsAndLatinAndDigitsStayWhole() throws {
    #expect(try describe("中文English2018年") == ["中文@0", "文@1", "english@2", "2018@9", "年@13"])
  }

  @Test func fullWidthLettersAndDigitsFoldToHalfWidthLowerCase() throws {
    #expect(try describe("ＡＢＣ１２３") == ["abc@0", "123@3"])
    #expect(try describe("ＨＥＬＬＯ，Ｗｏｒｌｄ") == ["hello@0", "world@6"])
  }

  @Test func punctuationAndWhitespaceBreakAdjacencyAndLeaveAPositionGap() throws {
    #expect(try describe("中国，人民") == ["中国@0", "国@1", "人民@3", "民@4"])
    #expect(try describe("中国 人民") == ["中国@0", "国@1", "人民@3", "民@4"])
  }

  @Test func emojiSeparatesRunsAndIsNotIndexed() throws {
    #expect(try describe("中国🇨🇳人民😀") == ["中国@0", "国@1", "人民@4", "民@5"])
    #expect(try describe("😀👍🏽").isEmpty)
  }

  @Test func combiningMarksComposeAndStayInsideTheirWord() throws {
    // "cafe" + COMBINING ACUTE ACCENT folds to the composed "café", one letter token.
    #expect(try describe("Cafe\u{301} 中") == ["café@0", "中@5"])
  }

  @Test func emptyAndWhitespaceOnlyTextHasNoTokens() throws {
    #expect(try describe("").isEmpty)
    #expect(try describe(" \t\u{3000}  ").isEmpty)
  }

  @Test func offsetsPointIntoTheOriginalTextThroughFolding() throws {
    let analyzer = try Analyzer()
    let text = "ＡＢ１中国"
    let result = analyzer.analyze(text)
    let bytes = Array(text.utf8)
    let pieces = result.tokens.map { String(decoding: bytes[$0.source], as: UTF8.self) }
    #expect(pieces == ["ＡＢ", "１", "中国", "国"])
  }

  @Test func traditionalCharactersFoldToSimplifiedOnesOneForOne() throws {
    #expect(try describe("發展中國家") == ["发展@0", "展中@1", "中国@2", "国家@3", "家@4"])
    #expect(try describe("發展中國家") == describe("发展中国家"))
    // Positions and source offsets stay those of the original characters.
    let analyzer = try Analyzer()
    let text = "ＡＢ發展，東西"
    let result = analyzer.analyze(text)
    let bytes = Array(text.utf8)
    #expect(result.tokens.map { String(decoding: bytes[$0.source], as: UTF8.self) } == ["ＡＢ", "發展", "展", "東西", "西"])
    #expect(result.tokens.map(\.position) == [0, 2, 3, 5, 6])
    #expect(String(decoding: result.folded, as: UTF8.self) == "ab发展,东西")
  }

  @Test func keptVariantsStayAsWritten() throws {
    let analyzer = try Analyzer(foldsVariants: false)
    #expect(!analyzer.foldsVariants)
    let result = analyzer.analyze("發展")
    #expect(String(decoding: result.folded, as: UTF8.self) == "發展")
    #expect(result.tokens.map(\.hanKey) == [TermKey.han(0x767C, 0x5C55), TermKey.han(0x5C55, 0)])
  }

  @Test func hanKeysEncodeBothCharactersAndUnigramsSortBeforeTheirBigrams() throws {
    let analyzer = try Analyzer()
    let tokens = analyzer.analyze("人民").tokens
    #expect(tokens[0].hanKey == TermKey.han(0x4EBA, 0x6C11))
    #expect(tokens[1].hanKey == TermKey.han(0x6C11, 0))
    #expect(TermKey.hanPrefixRange(0x4EBA).contains(tokens[0].hanKey))
  }
}

/// The fast analyzer against the obvious ICU pipeline (`ReferenceAnalyzer`).
struct AnalyzerReferenceTests {
  private func compare(_ texts: [String], foldsVariants: Bool = true) throws {
    let analyzer = try Analyzer(foldsVariants: foldsVariants)
    let reference = try ReferenceAnalyzer(foldsVariants: foldsVariants)
    for text in texts {
      let fast = analyzer.analyze(text)
      let slow = reference.analyze(text)
      #expect(fast.folded == slow.folded, "folded text of \(text)")
      #expect(fast.tokens == slow.tokens, "tokens of \(text)")
      // The index side skips folding separators but must give the same terms and positions.
      var indexSide = RecordSink()
      var querySide = RecordSink()
      var bytes = text
      bytes.withUTF8 {
        analyzer.scan($0, foldedText: false, offsets: false, into: &indexSide)
        analyzer.scan($0, foldedText: true, offsets: false, into: &querySide)
      }
      #expect(indexSide.packed.contents == querySide.packed.contents, "\(text)")
      #expect(
        indexSide.overflowKeys == querySide.overflowKeys
          && indexSide.overflowPlaces == querySide.overflowPlaces, "\(text)")
      #expect(indexSide.vocabulary.words == querySide.vocabulary.words, "\(text)")
    }
  }

  /// Traditional characters in each of the analyzer's paths: a run of them, after a letter
  /// or digit, before a combining mark (a normalization chunk), a compatibility ideograph
  /// that folds to one (豈), between simplified ones, alone, and ICU's looping pair 苎 苧.
  static let traditional = [
    "發展中國家", "關於發展國民經濟的第一個五年計劃", "ＧＤＰ發展", "2018年發展", "發\u{301}展", "國\u{301}", "\u{F900}", "豈",
    "中华人民共和國萬歲", "这是一個混合的文本，東西南北", "發", "苎苧薴", "a發b", "「發展」", "𠀀發展",
  ]

  @Test func traditional() throws {
    try compare(Self.traditional)
    try compare(Self.traditional, foldsVariants: false)
  }

  @Test func tricky() throws {
    try compare([
      "中文English2018年", "ＡＢＣ１２３，ｘｙｚ", "㍿株式会社", "…省略号……", "①②③", "Ⅻ章", "ﬁnance",
      "ΣΑΣ ΟΔΟΣ", "İstanbul", "Straße", "中\u{200B}国", "中\u{AD}国", "e\u{301}", "中\u{301}国", "😀中国👍🏽",
      "ひらがなカタカナ한국어", "𠀀𠀁中", "\u{FEFF}标题", "（９４６－９９９）ＡＢＣ Hello", "ＡＢ\u{301}Ｃ", "", " \t ",
      "第1.5条", "Ｗｏｒｌｄ，Ｈｅｌｌｏ！", "〇一二", "々", "ＧＤＰ增长６．６％",
      // Long Han runs broken mid-way: a supplementary character, compatibility ideographs
      // that fold, a combining mark, a letter, the end of the text.
      "中华人民共和国𠀀万岁中华人民", "中华人民豈更車共和国", "中华人民共\u{301}和国万岁", "中华人民a共和国", "中华人民共和国万岁",
      // A unified ideograph from the compatibility block (U+FA0E, unchanged by folding), above
      // the packed range, inside a run; a run that crosses position 4096 (the packed limit).
      "中华\u{FA0E}人民\u{FA0E}\u{FA0F}共和", "开始" + String(repeating: "中华人民共和国", count: 600) + "万岁",
    ])
  }

  @Test func everyLineOfTheBundledCorpus() throws {
    let lines = try Fixtures.corpusLines()
    #expect(lines.count > 3000)
    try compare(lines)
  }
}
