import Testing

@testable import ZhSearch
import ZhSearchBench

struct PassageSplitterTests {
  @Test func aShortLineStaysWhole() throws {
    #expect(try PassageSplitter(limit: 400).split("各位代表：") == ["各位代表："])
  }

  @Test func aLongLineIsCutAtSentenceEnds() throws {
    let sentence = "我们要坚定不移推进改革开放。"  // 14 characters
    let line = String(repeating: sentence, count: 10)
    let passages = try PassageSplitter(limit: 40).split(line)
    #expect(passages.allSatisfy { $0.unicodeScalars.count <= 40 })
    #expect(passages.allSatisfy { $0.hasSuffix("。") })
    #expect(passages.joined() == line)
  }

  @Test func aLineWithCharactersBeyondTheBasicPlaneIsCutTheSameWay() throws {
    // ICU reads such a line as UTF-8 (byte offsets) rather than UTF-16 (character offsets).
    let plain = try PassageSplitter(limit: 40).split(String(repeating: "我们要坚定不移推进改革开放。", count: 10))
    let wide = try PassageSplitter(limit: 40).split(String(repeating: "我们要坚定不移推进𠀀革开放。", count: 10))
    #expect(wide.map { $0.unicodeScalars.count } == plain.map { $0.unicodeScalars.count })
    #expect(wide.allSatisfy { $0.hasSuffix("。") })
  }

  @Test func aSentenceEndingExactlyAtTheLimitIsUsed() throws {
    let first = String(repeating: "甲", count: 10) + "。"
    let second = String(repeating: "乙", count: 388) + "。"
    let third = String(repeating: "丙", count: 100) + "。"
    let passages = try PassageSplitter(limit: 400).split(first + second + third)
    #expect(passages == [first + second, third])
  }

  @Test func withoutSentenceEndsClausePunctuationIsUsed() throws {
    let line = String(repeating: "加强基础设施建设，", count: 10)  // 9 characters each
    let passages = try PassageSplitter(limit: 30).split(line)
    #expect(passages.allSatisfy { $0.unicodeScalars.count <= 30 && $0.hasSuffix("，") })
    #expect(passages.joined() == line)
  }

  @Test func aRunOfHanLettersOrDigitsIsNeverCut() throws {
    let run = String(repeating: "中", count: 50)
    let line = "前言，" + run + "，后记。" + String(repeating: "abc ", count: 20)
    let passages = try PassageSplitter(limit: 20).split(line)
    #expect(passages.contains { $0.contains(run) })
    #expect(passages.allSatisfy { !$0.hasPrefix("bc") && !$0.hasPrefix("c ") })
    #expect(passages.joined().filter { $0 != " " } == line.filter { $0 != " " })
  }

  @Test func theSeedSpeechLineBecomesPassagesWithinTheLimit() throws {
    // A 1,000-character line of the same shape as the seed speech: half-width punctuation.
    let line = String(repeating: "今天,县总工会召开十一届十一次委员(扩大)会议,主要任务是总结工作。", count: 30)
    let passages = try PassageSplitter(limit: 400).split(line)
    #expect(passages.count >= 3)
    #expect(passages.allSatisfy { $0.unicodeScalars.count <= 400 })
  }

  // MARK: - Held to ICU's sentence break iterator

  /// The passages of `lines` by the splitter and by `ReferencePassageSplitter` (ICU's
  /// iterator for every sentence end), for each limit: how many lines differ, and the start
  /// of the first.
  private func differences(_ lines: [String], limits: [Int]) throws -> (count: Int, first: String) {
    var differing: [String] = []
    for limit in limits {
      let splitter = try PassageSplitter(limit: limit)
      let reference = try ReferencePassageSplitter(limit: limit)
      for line in lines {
        var line = line
        let (got, expected) = line.withUTF8 { (splitter.split($0), reference.split($0)) }
        if got != expected { differing.append("limit \(limit): \(line.prefix(60).debugDescription)") }
      }
    }
    return (differing.count, differing.first ?? "")
  }

  @Test func theBundledCorpusIsCutWhereICUsSentenceEndsCutIt() throws {
    let lines = try Fixtures.corpusLines()
    #expect(lines.count > 3000)
    let (differing, first) = try differences(lines, limits: [400, 60, 20])
    #expect(differing == 0, "\(first)")
  }

  @Test func sentenceRulesAtTheirEdgesFollowICU() throws {
    let han = String(repeating: "改革开放", count: 6)
    let lines = [
      // Closing punctuation and spaces after a terminator (SB9–SB11), before a continuation
      // (SB8a), another terminator, or closing punctuation after a space.
      han + "。」』" + han + "。 」" + han + "？！" + han + "。，" + han + "！　" + han,
      // Periods: numbers, abbreviations, a lower-case word after one (SB6–SB8), full width.
      han + "增长6.5%" + han + "Mr. Smith. He said." + han + "etc. and" + han + "．" + han + "U.S.A.的" + han,
      // Paragraph separators, a combining mark and format characters next to terminators.
      han + "。\u{2028}" + han + "\u{0085}" + han + "。\u{0301}" + han + "。\u{200B}" + han + "\u{00AD}。" + han,
      // Characters beyond the Basic Multilingual Plane, and a terminator last.
      han + "𠀀𠀁。" + han + "😀！" + han + "。",
    ]
    let (differing, first) = try differences(lines, limits: [10, 17, 23, 40])
    #expect(differing == 0, "\(first)")
  }

  @Test func randomMixesOfSentencePunctuationFollowICU() throws {
    // Characters of every class the rules tell apart, drawn at random.
    let alphabet: [String] = [
      "中", "国", "人", "。", "！", "？", "!", "?", ".", "．", "」", "』", "”", ")", "）", "\"", " ", "　",
      "，", "、", "：", ",", ";", "-", "a", "B", "7", "\u{2028}", "\u{0301}", "\u{200B}", "𠀀", "\t",
    ]
    var random = SeededGenerator(seed: 29)
    var lines: [String] = []
    for _ in 0..<3000 {
      let length = Int.random(in: 1...90, using: &random)
      lines.append((0..<length).map { _ in alphabet.randomElement(using: &random)! }.joined())
    }
    let (differing, first) = try differences(lines, limits: [3, 8, 15])
    #expect(differing == 0, "\(first)")
  }
  @Test func aLineCutAnywhereAndResumedGivesThePassagesOfTheWholeLine() throws {
    // Lines given unfinished up to every character boundary, then whole from the context
    // kept before the unfinished passage on, as a long line read in pieces is; 16 bytes
    // of lookahead and context, so that runs the rules read through outgrow them.
    var splitter = try PassageSplitter(limit: 20)
    splitter.lookahead = 16
    var random = SeededGenerator(seed: 31)
    let pieces = ["国", "。", ".", "）", "”", " ", "\u{3000}", "，", "a", "B", "1", "\u{301}"]
    let lines = [
      "国家发展。" + String(repeating: "）", count: 30) + String(repeating: "国家，发展", count: 12),
      String(repeating: "国。", count: 12) + String(repeating: "\u{3000}", count: 40) + String(repeating: "国国国，", count: 12),
      String(repeating: "Word. ", count: 8) + "End. " + String(repeating: "1 ", count: 40) + String(repeating: "lower case, ", count: 8),
      String(repeating: "国", count: 150) + "。" + String(repeating: "a", count: 60),
      (0..<300).map { _ in pieces.randomElement(using: &random)! }.joined(),
    ]
    for text in lines {
      var line = text
      try line.withUTF8 { line in
        let whole = splitter.split(line)
        for end in 1..<line.count where line[end] & 0xC0 != 0x80 {
          let prefix = UnsafeBufferPointer(rebasing: line[0..<end])
          let (first, resume) = splitter.split(prefix, from: 0, complete: false)
          let keep = splitter.contextStart(prefix, before: resume, bytes: 16)
          let rest = UnsafeBufferPointer(rebasing: line[keep...])
          let second = splitter.split(rest, from: resume - keep, complete: true).passages
          let joined = first + second.map { ($0.lowerBound + keep)..<($0.upperBound + keep) }
          try #require(joined == whole, "\(text), unfinished at byte \(end)")
        }
      }
    }
  }
}
