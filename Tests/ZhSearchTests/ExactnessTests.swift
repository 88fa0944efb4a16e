import Foundation
import Testing

@testable import ZhSearch
import ZhSearchBench

/// Search results against a substring oracle over the bundled corpus. The oracle folds as
/// `ReferenceAnalyzer` does: ICU's NFKC_Casefold over the whole text, then, unless the index
/// keeps variants, traditional characters to simplified ones by the table derived from ICU
/// in this process.
struct ExactnessTests {
  /// Every paragraph of the index with its folded UTF-8 text.
  private static func foldedParagraphs(_ reader: IndexReader) throws -> [(text: String, folded: [UInt8])] {
    let reference = try ReferenceAnalyzer(foldsVariants: reader.foldsVariants)
    return try (0..<reader.paragraphCount).map { id in
      let text = try reader.paragraph(id).text
      return (text, reference.folded(text))
    }
  }

  /// The ids of paragraphs whose folded text contains `needle`'s folded text.
  private static func oracle(
    _ needle: String, in paragraphs: [(text: String, folded: [UInt8])], foldsVariants: Bool = true
  ) throws -> [Int] {
    let folded = try ReferenceAnalyzer(foldsVariants: foldsVariants).folded(needle)
    return paragraphs.indices.filter { paragraphs[$0].folded.containsSubsequence(folded) }
  }

  /// `text` with each character that has a traditional form written in it (the smallest
  /// code point the table folds to it).
  private static func traditional(_ text: String) -> String {
    var forms: [UInt32: UInt32] = [:]
    for (source, target) in ReferenceAnalyzer.variants where source < forms[target] ?? .max { forms[target] = source }
    return String(String.UnicodeScalarView(text.unicodeScalars.map { Unicode.Scalar(forms[$0.value] ?? $0.value)! }))
  }

  private static func isHan(_ scalar: Unicode.Scalar) -> Bool {
    (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
  }

  /// A random substring of `size` characters of a random paragraph, or nil when that
  /// paragraph is too short or `accept` refuses the substring (by default: all Han).
  private static func draw(
    _ size: Int, from paragraphs: [(text: String, folded: [UInt8])], using random: inout SeededGenerator,
    accept: (ArraySlice<Unicode.Scalar>) -> Bool = { $0.allSatisfy(isHan) }
  ) -> String? {
    let text = Array(paragraphs[Int.random(in: 0..<paragraphs.count, using: &random)].text.unicodeScalars)
    guard text.count > size else { return nil }
    let start = Int.random(in: 0...(text.count - size), using: &random)
    let piece = text[start..<start + size]
    return accept(piece) ? String(String.UnicodeScalarView(piece)) : nil
  }

  /// Draws `count` substrings of the bundled paragraphs (seeded), of length `length(i)` for
  /// the i-th, keeping those `accept` takes, and checks each, as `query(needle)`, against
  /// the oracle.
  private func checkSamples(
    seed: UInt64, count: Int, length: (Int) -> Int, accept: (ArraySlice<Unicode.Scalar>) -> Bool,
    query: (String) -> String
  ) throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let paragraphs = try Self.foldedParagraphs(reader)
    var random = SeededGenerator(seed: seed)
    var checked = 0
    while checked < count {
      guard let needle = Self.draw(length(checked), from: paragraphs, using: &random, accept: accept) else { continue }
      let expected = try Self.oracle(needle, in: paragraphs)
      #expect(try searcher.matchingParagraphs(query(needle)) == expected, "query \(needle)")
      checked += 1
    }
  }

  @Test func randomHanSubstringsFindExactlyTheParagraphsThatContainThem() throws {
    try checkSamples(
      seed: 2018, count: 240, length: { 1 + $0 % 8 }, accept: { $0.allSatisfy(Self.isHan) },
      query: { $0 })
  }

  @Test func randomQuotedSubstringsWithPunctuationMatchExactly() throws {
    // Han at both ends, something else inside: the phrase spans punctuation or digits.
    try checkSamples(
      seed: 42, count: 80, length: { 3 + $0 % 10 },
      accept: { piece in
        Self.isHan(piece.first!) && Self.isHan(piece.last!) && !piece.allSatisfy(Self.isHan)
          && !piece.contains("\"")
      },
      query: { "\"" + $0 + "\"" })
  }

  @Test func singleCharactersAreFoundWhereverTheyStand() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let paragraphs = try Self.foldedParagraphs(reader)
    for character in ["民", "的", "国", "鬯", "年"] {
      #expect(try searcher.matchingParagraphs(character) == Self.oracle(character, in: paragraphs))
    }
    #expect(try searcher.matchingParagraphs("民").count > 1000)
  }

  @Test func phraseFrequenciesCountEveryOccurrenceOverlapsIncluded() throws {
    // The term frequency BM25 gets for a phrase: its occurrences in each paragraph, as
    // counted in the folded text (哈哈哈 holds 哈哈 twice).
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let analyzer = try Analyzer()
    let paragraphs = try Self.foldedParagraphs(reader)
    let texts = paragraphs.map { Data($0.folded) }
    var random = SeededGenerator(seed: 7)
    var checked = 0
    while checked < 40 {
      guard let needle = Self.draw(2 + checked % 5, from: paragraphs, using: &random) else { continue }
      let needleData = Data(try ReferenceAnalyzer().folded(needle))
      var expected: [(UInt32, UInt32)] = []
      for id in texts.indices {
        // Every occurrence, the search going on one byte after each.
        var count = 0
        let data = texts[id]
        var at = data.startIndex
        while let found = data.range(of: needleData, in: at..<data.endIndex) {
          count += 1
          at = found.lowerBound + 1
        }
        if count > 0 { expected.append((UInt32(id), UInt32(count))) }
      }
      let matches = try searcher.matcher.matches(of: Phrase(needle, analyzer: analyzer))
      #expect(matches.paragraphs == expected.map(\.0), "query \(needle)")
      #expect(matches.frequencies == expected.map(\.1), "query \(needle)")
      checked += 1
    }
  }

  @Test func traditionalFormsOfRandomSubstringsFindWhatTheSimplifiedOnesFind() throws {
    // The bundled reports are in simplified characters: the same phrases written in
    // traditional ones must find exactly the same paragraphs, as the oracle says.
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    #expect(reader.foldsVariants)
    let searcher = try Searcher(reader: reader)
    let paragraphs = try Self.foldedParagraphs(reader)
    var random = SeededGenerator(seed: 1954)
    var checked = 0
    while checked < 120 {
      guard let needle = Self.draw(1 + checked % 6, from: paragraphs, using: &random) else { continue }
      let traditional = Self.traditional(needle)
      guard traditional != needle else { continue }
      let expected = try Self.oracle(needle, in: paragraphs)
      #expect(try Self.oracle(traditional, in: paragraphs) == expected, "oracle \(traditional)")
      #expect(try searcher.matchingParagraphs(traditional) == expected, "query \(traditional)")
      #expect(try searcher.rank(traditional, limit: 1).total == expected.count, "query \(traditional)")
      checked += 1
    }
  }

  @Test func withVariantsKeptPhrasesMatchTheTextAsWritten() throws {
    // A corpus of both scripts, indexed with variants kept: the oracle folds no variants.
    let lines = try Fixtures.corpusLines().prefix(400)
    let files = [
      "simplified.txt": lines.prefix(200).joined(separator: "\n"),
      "traditional.txt": lines.dropFirst(200).map(Self.traditional).joined(separator: "\n"),
      "mixed.txt": lines.prefix(60).enumerated().map { $0.offset % 2 == 0 ? Self.traditional($0.element) : $0.element }
        .joined(separator: "\n"),
    ]
    var builder = IndexBuilder(threads: 1)
    builder.foldsVariants = false
    let searcher = try Fixtures.searcher(files, builder: builder)
    #expect(!searcher.reader.foldsVariants)
    let paragraphs = try Self.foldedParagraphs(searcher.reader)
    var random = SeededGenerator(seed: 4)
    var checked = 0
    while checked < 80 {
      guard let needle = Self.draw(1 + checked % 6, from: paragraphs, using: &random) else { continue }
      for query in [needle, Self.traditional(needle)] {
        let expected = try Self.oracle(query, in: paragraphs, foldsVariants: false)
        #expect(try searcher.matchingParagraphs(query) == expected, "query \(query)")
      }
      checked += 1
    }
  }

  @Test func numbersFollowedByACharacterMatchWholeNumbersOnly() throws {
    // The character after a number is every term that starts with it (many lists).
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let searcher = try Searcher(reader: reader)
    let paragraphs = try Self.foldedParagraphs(reader)
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    var needles: Set<[UInt8]> = []
    for paragraph in paragraphs where needles.count < 40 {
      let scalars = Array(String(decoding: paragraph.folded, as: UTF8.self).unicodeScalars)
      var i = 0
      while i < scalars.count {
        guard scalars[i].isASCII && isDigit(UInt8(scalars[i].value)) else { i += 1; continue }
        var end = i
        while end < scalars.count && scalars[end].isASCII && isDigit(UInt8(scalars[end].value)) { end += 1 }
        if end < scalars.count && Self.isHan(scalars[end]) {
          needles.insert(Array(String(String.UnicodeScalarView(scalars[i...end])).utf8))
        }
        i = end
      }
    }
    #expect(needles.count >= 40)
    for needle in needles {
      // Oracle: the bytes occur with no digit just before them.
      let expected = paragraphs.indices.filter { id in
        paragraphs[id].folded.withUnsafeBufferPointer { folded in
          guard folded.count >= needle.count else { return false }
          for start in 0...(folded.count - needle.count) where folded[start] == needle[0] {
            guard start == 0 || !isDigit(folded[start - 1]) else { continue }
            var k = 1
            while k < needle.count && folded[start + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
          }
          return false
        }
      }
      let query = String(decoding: needle, as: UTF8.self)
      #expect(try searcher.matchingParagraphs(query) == expected, "query \(query)")
      #expect(try searcher.rank(query, limit: 1).total == expected.count, "query \(query)")
    }
  }
}

extension Array where Element == UInt8 {
  /// Whether `needle` occurs as a contiguous run of bytes.
  func containsSubsequence(_ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= count else { return false }
    let first = needle[0]
    var i = 0
    while i <= count - needle.count {
      if self[i] == first && self[i..<i + needle.count].elementsEqual(needle) { return true }
      i += 1
    }
    return false
  }
}
