@testable import ZhSearch

/// The analysis pipeline done the slow, obvious way, as the oracle for `Analyzer`: fold the
/// whole text with ICU (`TextFolder`), replace each character the table derived from ICU's
/// Traditional-Simplified transform just now changes (unless variants are kept), cut the
/// folded text with ICU's rule-based iterator (`BreakIterator.scriptRuns()`), then form bigrams.
final class ReferenceAnalyzer {
  private let runs: BreakIterator
  private let folder = TextFolder()
  private let foldsVariants: Bool

  /// Traditional to simplified, derived from ICU by this test process (not the generated table).
  static let variants: [UInt32: UInt32] = {
    do {
      return Dictionary(uniqueKeysWithValues: try VariantTable.derivedFromICU().map { ($0.source, $0.target) })
    } catch {
      fatalError("cannot derive the variant table: \(error)")
    }
  }()

  init(foldsVariants: Bool = true) throws {
    runs = try BreakIterator.scriptRuns()
    self.foldsVariants = foldsVariants
  }

  /// The folded UTF-8 of `text`, variants folded or not: what the substring oracles search.
  func folded(_ text: String) -> [UInt8] {
    var text = text
    text.withUTF8 { folder.fold($0, offsets: false) }
    return foldVariants(Array(folder.folded[0..<folder.foldedCount]))
  }

  /// `folded` with each character of the variant table replaced (a three-byte character
  /// by another: the byte offsets stay).
  private func foldVariants(_ folded: [UInt8]) -> [UInt8] {
    guard foldsVariants else { return folded }
    var bytes = folded
    bytes.withUnsafeMutableBufferPointer { buffer in
      var offset = 0
      while offset < buffer.count {
        let start = offset
        let c = Analyzer.decode(UnsafeBufferPointer(buffer), &offset)
        guard let simplified = Self.variants[c] else { continue }
        precondition(offset - start == 3 && simplified >= 0x800 && simplified < 0x1_0000)
        buffer[start] = UInt8(0xE0 | simplified >> 12)
        buffer[start + 1] = UInt8(0x80 | simplified >> 6 & 0x3F)
        buffer[start + 2] = UInt8(0x80 | simplified & 0x3F)
      }
    }
    return bytes
  }

  func analyze(_ text: String) -> AnalyzedText {
    var text = text
    var tokens: [Token] = []
    text.withUTF8 { folder.fold($0, offsets: true) }
    let count = folder.foldedCount
    let folded = foldVariants(Array(folder.folded[0..<count]))
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
