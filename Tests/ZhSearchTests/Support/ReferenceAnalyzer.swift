@testable import ZhSearch

/// The analysis pipeline done the slow, obvious way, as the oracle for `Analyzer`: fold the
/// whole text with ICU (`TextFolder`), cut the folded text with ICU's rule-based iterator
/// (`BreakIterator.scriptRuns()`), then form bigrams.
final class ReferenceAnalyzer {
  private let runs: BreakIterator
  private let folder = TextFolder()

  init() throws {
    runs = try BreakIterator.scriptRuns()
  }

  func analyze(_ text: String) -> AnalyzedText {
    var text = text
    var tokens: [Token] = []
    text.withUTF8 { folder.fold($0, offsets: true) }
    let count = folder.foldedCount
    let folded = Array(folder.folded[0..<count])
    let starts = Array(folder.sourceStart[0..<count])
    let ends = Array(folder.sourceEnd[0..<count])
    folded.withUnsafeBufferPointer { bytes in
      var segmentStart = 0
      var position: UInt32 = 0
      runs.forEachSegment(in: bytes) { end, status in
        let kind = BreakIterator.RunKind(ruleStatus: status)
        var characters: [(code: UInt32, range: Range<Int>)] = []
        var offset = segmentStart
        while offset < end {
          let start = offset
          characters.append((Analyzer.decode(bytes, &offset), start..<offset))
        }
        func source(_ range: Range<Int>) -> Range<Int> {
          Int(starts[range.lowerBound])..<Int(ends[range.upperBound - 1])
        }
        switch kind {
        case .han:
          for (index, character) in characters.enumerated() {
            let isLast = index == characters.count - 1
            let range = isLast ? character.range : character.range.lowerBound..<characters[index + 1].range.upperBound
            tokens.append(
              Token(
                kind: isLast ? .hanUnigram : .hanBigram, position: position + UInt32(index),
                folded: range, source: source(range),
                hanKey: TermKey.han(character.code, isLast ? 0 : characters[index + 1].code)))
          }
        case .letters, .digits:
          tokens.append(
            Token(
              kind: kind == .letters ? .letters : .digits, position: position,
              folded: segmentStart..<end, source: source(segmentStart..<end), hanKey: 0))
        case .other:
          break
        }
        position += UInt32(characters.count)
        segmentStart = end
      }
    }
    return AnalyzedText(folded: folded, tokens: tokens)
  }
}
