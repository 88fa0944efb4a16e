import Testing

@testable import ZhSearch

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
}
