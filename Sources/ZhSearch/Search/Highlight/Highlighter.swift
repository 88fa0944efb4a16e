/// Finds where a query's phrases occur in a paragraph's text, as character offsets.
///
/// The paragraph is scanned once by the analyzer into a sink that keeps only the positions
/// of the query's own terms; each phrase's matches follow from those positions as in the
/// index, and each match's span of folded code points is mapped back to the original text
/// through the analyzer's offsets. Its buffers are reused from one paragraph to the next,
/// so a hit costs one scan and no per-token allocation. Not thread-safe.
struct Highlighter {
  /// The query's terms, flattened over its phrases, and their positions in one paragraph.
  private struct Sink: TokenSink {
    var terms: [Phrase.Term] = []
    var positions: [[UInt32]] = []

    mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>) {
      for index in terms.indices {
        switch terms[index] {
        case .key(let wanted) where wanted == key:
          positions[index].append(position)
        case .prefix(let character) where TermKey.firstCharacter(key) == character:
          positions[index].append(position)
        default:
          continue
        }
      }
    }

    mutating func word(
      _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
      source: Range<Int>
    ) {
      for index in terms.indices {
        if case .word(let wanted) = terms[index], wanted.elementsEqual(bytes) {
          positions[index].append(position)
        }
      }
    }

    mutating func joined(_ bytes: UnsafeBufferPointer<UInt8>, character: UInt32, position: UInt32) {
      for index in terms.indices {
        if case .word(let wanted) = terms[index], wanted.count > bytes.count, wanted[bytes.count] == 0,
          wanted.elementsEqual(TermKey.joinedWord(bytes, character))
        {
          positions[index].append(position)
        }
      }
    }
  }

  private let phrases: [Phrase]
  /// Where each phrase's terms start in `sink.terms`.
  private let firstTerm: [Int]
  private var sink = Sink()
  /// Byte offset in the folded text of each code point, then the folded length.
  private var foldedByteOfCodePoint: [Int] = []
  /// Character (code point) index in the original text of each byte offset, then the count.
  private var characterOfByte: [Int] = []

  init(phrases: [Phrase]) {
    self.phrases = phrases
    var firstTerm: [Int] = []
    for phrase in phrases {
      firstTerm.append(sink.terms.count)
      sink.terms += phrase.terms.map(\.term)
    }
    self.firstTerm = firstTerm
    sink.positions = Array(repeating: [], count: sink.terms.count)
  }

  /// The merged spans of `text` (character offsets) where any phrase matches.
  mutating func spans(in text: String, analyzer: Analyzer) -> [Range<Int>] {
    var text = text
    return text.withUTF8 { spans(in: $0, analyzer: analyzer) }
  }

  private mutating func spans(in text: UnsafeBufferPointer<UInt8>, analyzer: Analyzer) -> [Range<Int>] {
    for index in sink.positions.indices { sink.positions[index].removeAll(keepingCapacity: true) }
    analyzer.scan(text, foldedText: true, offsets: true, into: &sink)
    var spans: [Range<Int>] = []
    var mapped = false
    var folded: [UInt32]? = nil
    for (p, phrase) in phrases.enumerated() {
      let slices = (0..<phrase.terms.count).map { sink.positions[firstTerm[p] + $0][...] }
      for start in phrase.matchStarts(slices) {
        if phrase.needsVerification {
          if folded == nil { folded = Self.codePoints(analyzer.lastFolded) }
          guard phrase.verify(start: start, in: folded!) else { continue }
        }
        if !mapped {
          mapOffsets(folded: analyzer.lastFolded, text: text)
          mapped = true
        }
        let first = Int(start - phrase.leading)
        let last = first + phrase.foldedScalars.count
        guard last < foldedByteOfCodePoint.count, first < last else { continue }
        let begin = analyzer.lastSource(ofFoldedByte: foldedByteOfCodePoint[first]).lowerBound
        let end = analyzer.lastSource(ofFoldedByte: foldedByteOfCodePoint[last] - 1).upperBound
        spans.append(characterOfByte[begin]..<characterOfByte[end])
      }
    }
    return Self.merge(spans)
  }

  /// Fills the two offset maps for the last scan of `text`.
  private mutating func mapOffsets(folded: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>) {
    foldedByteOfCodePoint.removeAll(keepingCapacity: true)
    for (offset, byte) in folded.enumerated() where byte & 0xC0 != 0x80 {
      foldedByteOfCodePoint.append(offset)
    }
    foldedByteOfCodePoint.append(folded.count)
    characterOfByte.removeAll(keepingCapacity: true)
    var index = -1
    for byte in text {
      if byte & 0xC0 != 0x80 { index += 1 }
      characterOfByte.append(index)
    }
    characterOfByte.append(index + 1)
  }

  private static func codePoints(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt32] {
    var scalars: [UInt32] = []
    scalars.reserveCapacity(bytes.count / 2)
    var offset = 0
    while offset < bytes.count { scalars.append(Analyzer.decode(bytes, &offset)) }
    return scalars
  }

  /// Sorts spans and merges those that overlap or touch.
  static func merge(_ spans: [Range<Int>]) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, span.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
      } else {
        merged.append(span)
      }
    }
    return merged
  }
}
