/// Where one phrase term's positions in each candidate paragraph come from: the hits of
/// probing its list (one per candidate), its decoded list (walked alongside the
/// candidates), or, for several lists (a single character's), every candidate's positions
/// gathered up front as `PhraseMatcher.appendPositions(of:in:values:bounds:)` does.
struct PositionSource {
  private var reader: PositionReader?
  private let hits: [DocCursor.Found]
  /// The decoded list's arrays (empty for the other sources), and the index where the
  /// walk goes on. Kept apart, not as a `DocList`: binding one would retain its arrays on
  /// every call.
  private let paragraphs: [UInt32]
  private let frequencies: [UInt32]
  private let positionIndex: [Int]
  private var next = 0
  private let gathered: [UInt32]
  private let gatheredBounds: [Int]

  init(reader: PositionReader, hits: [DocCursor.Found]) {
    (self.reader, self.hits) = (reader, hits)
    (paragraphs, frequencies, positionIndex, gathered, gatheredBounds) = ([], [], [], [], [])
  }

  init(reader: PositionReader, list: DocList) {
    (self.reader, hits, gathered, gatheredBounds) = (reader, [], [], [])
    (paragraphs, frequencies, positionIndex) = (list.paragraphs, list.frequencies, list.positionIndex)
  }

  init(gathered: [UInt32], bounds: [Int]) {
    (reader, hits, self.gathered, gatheredBounds) = (nil, [], gathered, bounds)
    (paragraphs, frequencies, positionIndex) = ([], [], [])
  }

  /// Appends the term's positions in candidate `c` (which holds `paragraph`, and follows
  /// the candidate asked for last), ascending, to `scratch`.
  mutating func appendPositions(ofCandidate c: Int, paragraph: UInt32, to scratch: inout PositionScratch) throws(IndexError) {
    if !hits.isEmpty {
      let hit = hits[c]
      reader!.jump(toBit: hit.blockPositionsOffset, index: hit.blockPositionIndex)
      scratch.reserve(hit.frequency)
      try reader!.positions(from: hit.positionIndex, count: hit.frequency, to: scratch.end)
      scratch.count += hit.frequency
    } else if !paragraphs.isEmpty {
      // The candidates are in the list: walked, not searched (the list is decoded whole).
      while next < paragraphs.count && paragraphs[next] < paragraph { next += 1 }
      guard next < paragraphs.count, paragraphs[next] == paragraph else {
        throw .corrupt(file: "docs", detail: "a phrase term lost paragraph \(paragraph)")
      }
      let frequency = Int(frequencies[next])
      scratch.reserve(frequency)
      try reader!.positions(from: positionIndex[next], count: frequency, to: scratch.end)
      scratch.count += frequency
      next += 1
    } else {
      let count = gatheredBounds[c + 1] - gatheredBounds[c]
      scratch.reserve(count)
      gathered.withUnsafeBufferPointer { scratch.end.update(from: $0.baseAddress! + gatheredBounds[c], count: count) }
      scratch.count += count
    }
  }
}
