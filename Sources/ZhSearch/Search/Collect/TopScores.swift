/// The `limit` best of the (paragraph, score) pairs offered (in any order), best first,
/// and of equal scores the lower paragraph id first.
///
/// A small limit (the usual 10) keeps a sorted array and refuses most offers at once; a
/// large one (`--limit 5000`) keeps every offer and sorts once at the end, so neither
/// costs more than a sort of what was offered.
struct TopScores {
  typealias Entry = (paragraph: Int, score: Double)
  let limit: Int
  private var kept: [Entry] = []
  private var sortsAtEnd: Bool { limit > 64 }

  init(limit: Int) {
    self.limit = max(0, limit)
    kept.reserveCapacity(min(self.limit, 64) + 1)
  }

  @inline(__always)
  private static func isBetter(_ a: Entry, than b: Entry) -> Bool {
    a.score > b.score || (a.score == b.score && a.paragraph < b.paragraph)
  }

  /// The lowest score kept once a small limit's worth are kept, else minus infinity (for
  /// large limits always): no score below it can enter.
  private(set) var threshold = -Double.infinity

  @inline(__always)
  mutating func insert(_ paragraph: Int, _ score: Double) {
    let entry = (paragraph: paragraph, score: score)
    if sortsAtEnd {
      kept.append(entry)
      return
    }
    if kept.count == limit {
      guard limit > 0, Self.isBetter(entry, than: kept[limit - 1]) else { return }
      kept.removeLast()
    }
    var position = kept.count
    while position > 0 && Self.isBetter(entry, than: kept[position - 1]) { position -= 1 }
    kept.insert(entry, at: position)
    if kept.count == limit { threshold = kept[limit - 1].score }
  }

  /// Offers a paragraph where one clause matched `frequency` times, its length factor
  /// `factor`, scored under `scoring` with `idf` (`numerator` is idf * (k1 + 1)). Once the
  /// best are full, most offers cannot enter: told by a multiplication (with a margin for
  /// rounding) instead of the division that computes the score.
  @inline(__always)
  mutating func offer(
    _ paragraph: UInt32, _ frequency: UInt32, lengthFactor factor: Double, scoring: BM25, idf: Double, numerator: Double
  ) {
    let tf = Double(frequency)
    if factor >= 0 && numerator * tf < threshold * (tf + factor) * (1 - 1e-9) { return }
    insert(Int(paragraph), scoring.score(termFrequency: Int(frequency), lengthFactor: factor, idf: idf))
  }

  /// The best, best first.
  var entries: [Entry] {
    sortsAtEnd ? Array(kept.sorted { Self.isBetter($0, than: $1) }.prefix(limit)) : kept
  }
}
