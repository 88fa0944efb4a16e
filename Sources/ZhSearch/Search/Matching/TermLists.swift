/// A query's way to the index's lists: the dictionary entries of phrase terms, and lists
/// decoded at most once per query.
///
/// Clauses that share a term (联播快讯 联播) decode its list once; `forgetDecoded` drops
/// the lists when a query is done, so memory does not grow from query to query.
final class TermLists {
  let reader: IndexReader
  /// Lists decoded while evaluating one query, by term key.
  private var decodedLists: [UInt64: DocList] = [:]

  init(reader: IndexReader) {
    self.reader = reader
  }

  /// Drops the lists decoded so far.
  func forgetDecoded() {
    decodedLists.removeAll()
  }

  /// A term's decoded list, decoded once per query.
  func docList(_ entry: TermEntry) throws(IndexError) -> DocList {
    if let known = decodedLists[entry.key] { return known }
    let list = try reader.docList(entry)
    decodedLists[entry.key] = list
    return list
  }

  /// Two terms' decoded lists, decoded together (in lockstep) unless one is known already.
  func docLists(_ a: TermEntry, _ b: TermEntry) throws(IndexError) -> (DocList, DocList) {
    guard decodedLists[a.key] == nil && decodedLists[b.key] == nil && a.key != b.key else {
      return (try docList(a), try docList(b))
    }
    let lists = try reader.docLists(a, b)
    (decodedLists[a.key], decodedLists[b.key]) = lists
    return lists
  }

  /// A single character's own paragraph list, when the index keeps one for it.
  func characterList(_ term: Phrase.Term) throws(IndexError) -> TermEntry? {
    guard case .prefix(let character) = term else { return nil }
    return try reader.dictionary.entry(for: TermKey.characterList(character))
  }

  /// The dictionary entries of one phrase term; empty when the index has none.
  func entries(of term: Phrase.Term) throws(IndexError) -> [TermEntry] {
    switch term {
    case .key(let key):
      return try reader.dictionary.entry(for: key).map { [$0] } ?? []
    case .prefix(let character):
      // (Not the character's own list or best paragraphs: each repeats the others.)
      return try reader.dictionary.entries(in: TermKey.hanPrefixRange(character)).filter {
        TermKey.hasPositions($0.key)
      }
    case .word(let bytes):
      guard let key = try reader.dictionary.wordKey(bytes),
        let entry = try reader.dictionary.entry(for: key)
      else { return [] }
      return [entry]
    }
  }

  /// Decodes every posting of one list in chunks, passing each chunk (paragraphs,
  /// frequencies, count) to `body`: a long list as two halves in lockstep, so the chunks of
  /// the halves come interleaved.
  func forEachChunk(
    of entry: TermEntry, _ body: (UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>, Int) throws(IndexError) -> Void
  ) throws(IndexError) {
    if var (first, second) = try reader.docIteratorHalves(entry) {
      try DocIterator.decodeAll(&first, &second) { (paragraphs, frequencies, count, _) throws(IndexError) in
        try body(paragraphs, frequencies, count)
      }
      guard first.frequencySum &+ second.frequencySum == UInt64(entry.occurrences) else {
        throw .corrupt(file: "docs", detail: "frequencies do not add up for term \(entry.key)")
      }
    } else {
      var docs = try reader.docIterator(entry)
      try docs.decodeAll(body)
      try docs.checkFrequencySum()
    }
  }
}
