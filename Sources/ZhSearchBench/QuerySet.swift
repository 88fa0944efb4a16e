import ZhSearch
/// A realistic set of queries for measuring search latency.
///
/// Either read from a file (one query a line; blank lines and lines starting with `#` are
/// skipped) or sampled from an index's own paragraphs with a fixed seed: single Han
/// characters, Han phrases of 2 to 8 characters, two-clause queries, OR queries, and
/// Latin or digit words (with a following Han character, as in `2018年`).
public enum QuerySet {
  /// What a query asks for, to report latency by kind.
  public enum Kind: String, CaseIterable, Sendable {
    case singleCharacter = "single character"
    case phrase = "phrase"
    case multiClause = "several clauses"
    case latinOrDigits = "Latin or digits"

    /// The kind of `query`: several clauses when it holds whitespace, Latin or digits when
    /// it holds an ASCII letter or digit, one character when it is one, else a phrase.
    public init(of query: String) {
      if query.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
        self = .multiClause
      } else if query.unicodeScalars.contains(where: { $0.isASCIILetter || (0x30...0x39).contains($0.value) }) {
        self = .latinOrDigits
      } else if query.unicodeScalars.count == 1 {
        self = .singleCharacter
      } else {
        self = .phrase
      }
    }
  }

  /// The queries of a file.
  public static func load(_ path: String) throws(CorpusError) -> [String] {
    let text = String(decoding: try CorpusReader.contents(of: path), as: UTF8.self)
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
  }

  /// `count` queries sampled from the paragraphs of `reader`.
  public static func sample(_ reader: IndexReader, count: Int, seed: UInt64 = 2025) throws(IndexError) -> [String] {
    guard reader.paragraphCount > 0 else { return [] }
    var random = SeededGenerator(seed: seed)
    var queries: [String] = []
    var attempts = 0
    while queries.count < count && attempts < count * 50 {
      attempts += 1
      let text = Array(try reader.paragraph(Int.random(in: 0..<reader.paragraphCount, using: &random)).text.unicodeScalars)
      func hanPhrase(_ length: Int) -> String? {
        guard text.count > length else { return nil }
        let start = Int.random(in: 0...(text.count - length), using: &random)
        let piece = text[start..<start + length]
        guard piece.allSatisfy(isHan) else { return nil }
        return String(String.UnicodeScalarView(piece))
      }
      let kind = queries.count % 10
      switch kind {
      case 0, 1:
        if let query = hanPhrase(1) { queries.append(query) }
      case 2, 3, 4, 5:
        if let query = hanPhrase(2 + queries.count % 7) { queries.append(query) }
      case 6, 7:
        if let a = hanPhrase(2 + queries.count % 3), let b = hanPhrase(2) {
          queries.append(kind == 6 ? a + " " + b : a + " OR " + b)
        }
      default:
        // A Latin or digit run, with the Han character after it when there is one.
        if let start = text.indices.first(where: { text[$0].properties.numericType == .decimal || text[$0].isASCIILetter }) {
          var end = start
          while end < text.count && (text[end].properties.numericType == .decimal || text[end].isASCIILetter) { end += 1 }
          if end < text.count && isHan(text[end]) { end += 1 }
          queries.append(String(String.UnicodeScalarView(text[start..<end])))
        }
      }
    }
    return queries
  }

  private static func isHan(_ scalar: Unicode.Scalar) -> Bool {
    (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool {
    (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
  }
}

extension Substring {
  fileprivate func trimmingCharacters() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    return String(self[first...lastIndex(where: { !$0.isWhitespace })!])
  }
}
