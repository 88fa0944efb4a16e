/// The paragraphs a search or a count may report: ascending, disjoint ranges of paragraph
/// ids (a file's paragraphs are one range). Matching is done over the whole index, so BM25's
/// statistics stay those of the whole collection; only the results are restricted.
public struct ParagraphScope: Sendable, Equatable {
  public let ranges: [Range<UInt32>]

  /// `ranges` ascending and disjoint.
  public init(ranges: [Range<UInt32>]) {
    self.ranges = ranges.filter { !$0.isEmpty }
  }

  public var isEmpty: Bool { ranges.isEmpty }

  /// How many paragraphs are in scope.
  public var count: Int { ranges.reduce(0) { $0 + $1.count } }

  public func contains(_ paragraph: UInt32) -> Bool {
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].upperBound <= paragraph { low = middle + 1 } else { high = middle }
    }
    return low < ranges.count && ranges[low].contains(paragraph)
  }

  /// The indices of the ascending `paragraphs` that are in scope, in one pass over both.
  func indices(in paragraphs: [UInt32]) -> [Int] {
    var kept: [Int] = []
    var r = 0
    for (i, paragraph) in paragraphs.enumerated() {
      while r < ranges.count && ranges[r].upperBound <= paragraph { r += 1 }
      if r == ranges.count { break }
      if ranges[r].contains(paragraph) { kept.append(i) }
    }
    return kept
  }

  /// The ascending `paragraphs` that are in scope.
  func filter(_ paragraphs: [UInt32]) -> [UInt32] {
    indices(in: paragraphs).map { paragraphs[$0] }
  }

  /// The matches in scope.
  func filter(_ matches: Matches) -> Matches {
    let kept = indices(in: matches.paragraphs)
    return Matches(paragraphs: kept.map { matches.paragraphs[$0] }, frequencies: kept.map { matches.frequencies[$0] })
  }
}
