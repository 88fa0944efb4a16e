/// The one analysis pipeline, used alike at index time and at query time.
///
/// It runs a straight chain of steps over UTF-8:
/// 1. `TextFolder` folds the text with NFKC_Casefold (full width to half width, upper to lower).
/// 2. `BreakIterator.scriptRuns()` cuts the folded text into runs of Han characters, letters
///    and digits; punctuation, whitespace, symbols and emoji separate runs.
/// 3. A Han run of n characters becomes n - 1 overlapping bigrams plus a unigram for its
///    last character; a letter or digit run becomes one token.
///
/// Not thread-safe (it reuses its buffers and ICU iterator): give each thread its own.
public final class Analyzer {
  private let runs: BreakIterator
  private let folder = TextFolder()
  /// The tokens of the last analyzed text, in order of position.
  public private(set) var tokens: [Token] = []

  /// Opens the ICU break iterator the analyzer reuses for every text.
  public init() throws(ICUError) {
    runs = try BreakIterator.scriptRuns()
  }

  /// The folded UTF-8 of the last analyzed text.
  public var folded: ArraySlice<UInt8> { folder.folded[0..<folder.foldedCount] }

  /// Analyzes `text` and returns its folded text and tokens.
  ///
  /// - Parameters:
  ///   - text: the original text.
  ///   - offsets: whether to compute each token's `source` range in the original text.
  public func analyze(_ text: String, offsets: Bool = true) -> AnalyzedText {
    var text = text
    text.withUTF8 { analyze(utf8: $0, offsets: offsets) }
    let count = folder.foldedCount
    return AnalyzedText(
      folded: Array(folded), tokens: tokens,
      sourceStart: offsets ? Array(folder.sourceStart[0..<count]) : [],
      sourceEnd: offsets ? Array(folder.sourceEnd[0..<count]) : [])
  }

  /// Analyzes UTF-8 bytes into `tokens` and `folded`, reusing the analyzer's buffers.
  public func analyze(utf8 text: UnsafeBufferPointer<UInt8>, offsets: Bool) {
    tokens.removeAll(keepingCapacity: true)
    folder.fold(text, offsets: offsets)
    let count = folder.foldedCount
    folder.folded.withUnsafeBufferPointer { all in
      let bytes = UnsafeBufferPointer(rebasing: all[0..<count])
      var segmentStart = 0
      var position: UInt32 = 0
      runs.forEachSegment(in: bytes) { end, status in
        let kind = BreakIterator.RunKind(ruleStatus: status)
        switch kind {
        case .han:
          emitHanRun(bytes, segmentStart..<end, startPosition: position)
        case .letters, .digits:
          tokens.append(
            Token(
              kind: kind == .letters ? .letters : .digits, position: position,
              folded: segmentStart..<end, source: 0..<0, hanKey: 0))
        case .other:
          break
        }
        position &+= Self.codePointCount(bytes, segmentStart..<end)
        segmentStart = end
      }
    }
    if offsets { mapOffsets() }
  }

  /// Emits the bigrams and the final unigram of one Han run.
  private func emitHanRun(
    _ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, startPosition: UInt32
  ) {
    var offset = run.lowerBound
    var previous = Self.decode(bytes, &offset)
    var previousStart = run.lowerBound
    var position = startPosition
    while offset < run.upperBound {
      let start = offset
      let current = Self.decode(bytes, &offset)
      tokens.append(
        Token(
          kind: .hanBigram, position: position, folded: previousStart..<offset, source: 0..<0,
          hanKey: TermKey.han(previous, current)))
      previous = current
      previousStart = start
      position &+= 1
    }
    tokens.append(
      Token(
        kind: .hanUnigram, position: position, folded: previousStart..<run.upperBound,
        source: 0..<0, hanKey: TermKey.han(previous, 0)))
  }

  /// Fills each token's `source` range from the folder's offset maps.
  private func mapOffsets() {
    let starts = folder.sourceStart
    let ends = folder.sourceEnd
    for i in tokens.indices {
      let folded = tokens[i].folded
      tokens[i].source = Int(starts[folded.lowerBound])..<Int(ends[folded.upperBound - 1])
    }
  }

  /// Decodes the code point at `offset` of valid UTF-8 and advances past it.
  @inline(__always)
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt32 {
    let lead = UInt32(bytes[offset])
    if lead < 0x80 {
      offset += 1
      return lead
    } else if lead < 0xE0 {
      let value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
      offset += 2
      return value
    } else if lead < 0xF0 {
      let value =
        (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6
        | UInt32(bytes[offset + 2] & 0x3F)
      offset += 3
      return value
    } else {
      let value =
        (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
        | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
      offset += 4
      return value
    }
  }

  /// The number of code points in a range of valid UTF-8.
  @inline(__always)
  static func codePointCount(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt32 {
    var count: UInt32 = 0
    for i in range where bytes[i] & 0xC0 != 0x80 { count &+= 1 }
    return count
  }
}

/// The result of analyzing one text: its folded form and its tokens.
public struct AnalyzedText: Sendable {
  /// The folded text as UTF-8.
  public var folded: [UInt8]
  /// The tokens, in order of position.
  public var tokens: [Token]
  /// For each folded byte, where its chunk of original bytes starts (empty without offsets).
  var sourceStart: [Int32]
  /// For each folded byte, where its chunk of original bytes ends (empty without offsets).
  var sourceEnd: [Int32]

  /// The original byte range that a range of folded bytes came from.
  func sourceRange(ofFolded range: Range<Int>) -> Range<Int> {
    guard !range.isEmpty else { return 0..<0 }
    return Int(sourceStart[range.lowerBound])..<Int(sourceEnd[range.upperBound - 1])
  }

  /// The folded text as code points.
  func codePoints() -> [UInt32] {
    var scalars: [UInt32] = []
    scalars.reserveCapacity(folded.count / 2)
    folded.withUnsafeBufferPointer { bytes in
      var offset = 0
      while offset < bytes.count { scalars.append(Analyzer.decode(bytes, &offset)) }
    }
    return scalars
  }

  /// The byte offset of each code point of the folded text, then the text's byte length.
  func codePointByteOffsets() -> [Int] {
    var offsets: [Int] = []
    offsets.reserveCapacity(folded.count / 2 + 1)
    for (offset, byte) in folded.enumerated() where byte & 0xC0 != 0x80 { offsets.append(offset) }
    offsets.append(folded.count)
    return offsets
  }

  /// The folded text of a token.
  public func text(of token: Token) -> String {
    String(decoding: folded[token.folded], as: UTF8.self)
  }
}
