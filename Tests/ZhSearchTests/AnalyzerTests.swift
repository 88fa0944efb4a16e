import Testing

@testable import ZhSearch

/// Renders tokens as `text@position` for compact expectations.
private func describe(_ text: String) throws -> [String] {
  let analyzer = try Analyzer()
  let result = analyzer.analyze(text)
  return result.tokens.map { "\(result.text(of: $0))@\($0.position)" }
}

struct AnalyzerTests {
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

  @Test func hanKeysEncodeBothCharactersAndUnigramsSortBeforeTheirBigrams() throws {
    let analyzer = try Analyzer()
    let tokens = analyzer.analyze("人民").tokens
    #expect(tokens[0].hanKey == TermKey.han(0x4EBA, 0x6C11))
    #expect(tokens[1].hanKey == TermKey.han(0x6C11, 0))
    #expect(TermKey.hanPrefixRange(0x4EBA).contains(tokens[0].hanKey))
  }
}
