/// Each paragraph's `BM25.lengthFactor` under one scoring, computed 1,024 paragraphs at a
/// time on first use, so that ranking a long list costs one division a posting, not two,
/// and a one-query process reads only the paragraph lengths it needs.
///
/// The memory is raw: the hot loops (one lookup a posting) do no bounds, uniqueness or
/// exclusivity checks beyond the one comparison that keeps a read inside the buffer.
final class LengthFactors {
  let scoring: BM25
  private let reader: IndexReader
  /// BM25's avgdl, from the collection statistics.
  private let averageLength: Double
  private let count: Int
  private let factors: UnsafeMutablePointer<Double>
  /// Whether chunk i (paragraphs i * 1024 ..< (i + 1) * 1024) is computed.
  private let ready: UnsafeMutablePointer<Bool>

  init(reader: IndexReader, scoring: BM25, statistics: CollectionStatistics) {
    self.reader = reader
    averageLength = statistics.averageLength
    self.scoring = scoring
    count = reader.paragraphCount
    factors = .allocate(capacity: max(1, count))
    let chunks = (count + 1023) >> 10
    ready = .allocate(capacity: max(1, chunks))
    ready.initialize(repeating: false, count: max(1, chunks))
  }

  deinit {
    factors.deallocate()
    ready.deallocate()
  }

  /// The length factor of `paragraph`.
  @inline(__always)
  func callAsFunction(_ paragraph: Int) throws(IndexError) -> Double {
    guard paragraph >= 0 && paragraph < count else {
      throw .corrupt(file: "paragraphs", detail: "no paragraph \(paragraph)")
    }
    if !ready[paragraph >> 10] { try fill(paragraph >> 10) }
    return factors[paragraph]
  }

  private func fill(_ chunk: Int) throws(IndexError) {
    let averageLength = self.averageLength
    for paragraph in chunk << 10..<min(count, (chunk + 1) << 10) {
      factors[paragraph] = scoring.lengthFactor(
        length: try reader.length(ofParagraph: paragraph), averageLength: averageLength)
    }
    ready[chunk] = true
  }
}
