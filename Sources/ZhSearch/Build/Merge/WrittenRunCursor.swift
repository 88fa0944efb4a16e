/// A cursor on a scratch run written to the scratch folder (`RunBuilder`'s files, mapped):
/// its terms read from the `.terms` table, their postings decoded from the `.docs` and
/// `.positions` varints. Postings are read once, in order, so the pages read past are given
/// back every `releaseEvery` bytes.
struct WrittenRunCursor: RunCursor {
  private let termFile: MappedFile
  private let docsFile: MappedFile
  private let positionsFile: MappedFile
  private let wordsFile: MappedFile
  /// The files' bytes, read for every term through these rather than through the files.
  let terms: ScratchTermTable
  private let docBytes: UnsafeRawBufferPointer
  private let positionBytes: UnsafeRawBufferPointer
  let words: WordTable
  let base: UInt64
  /// The docs file as errors name it.
  let docsName: String
  /// Bytes read past in a file before their pages are given back.
  private let releaseEvery: Int

  var limit = UInt64.max
  /// The current term, and where its postings start.
  private(set) var index = 0
  private(set) var docsOffset = 0
  private(set) var positionsOffset = 0
  private(set) var key: UInt64 = .max
  private(set) var documentFrequency = 0
  private(set) var occurrences = 0
  private var releasedDocs = 0
  private var releasedTerms = 0
  private var releasedPositions = 0

  /// A cursor on run `name` of folder `scratch`, whose worker's paragraph 0 is `base`, at
  /// its first term until `start(at:)`.
  init(scratch: String, name: String, base: UInt64, releaseEvery: Int) throws(IndexError) {
    self.base = base
    self.releaseEvery = releaseEvery
    let prefix = scratch + "/" + name
    wordsFile = try MappedFile(path: prefix + ".words")
    docsFile = try MappedFile(path: prefix + ".docs")
    termFile = try MappedFile(path: prefix + ".terms")
    positionsFile = try MappedFile(path: prefix + ".positions")
    terms = ScratchTermTable(termFile.bytes)
    (docBytes, positionBytes) = (docsFile.bytes, positionsFile.bytes)
    docsName = "scratch run " + docsFile.path
    words = WordTable(wordsFile.bytes)
    load()
  }

  /// Reads the current term's key and counts.
  @inline(__always)
  private mutating func load() {
    guard index < terms.count else {
      key = .max
      return
    }
    key = terms.key(at: index)
    documentFrequency = terms.documentFrequency(at: index)
    occurrences = terms.occurrences(at: index)
  }

  /// Moves to `start` (its chunk's first term, from `ScratchTermTable.starts(at:)`; set the
  /// limit first).
  mutating func start(at start: ScratchTermTable.Start) {
    (index, docsOffset, positionsOffset) = (start.index, start.docsOffset, start.positionsOffset)
    // The terms before the chunk are not read: let them go (a cursor with nothing in its
    // chunk never advances to give them back).
    termFile.release(before: ScratchTermTable.end(of: index))
    releasedTerms = ScratchTermTable.end(of: index)
    load()
  }

  var termsLeft: Int { terms.count - index }

  func postings(ofCharacter character: UInt64) -> Int {
    guard !isDone else { return 0 }
    var sum = 0
    var i = index
    while i < terms.count {
      let key = terms.key(at: i)
      guard key < limit, key >> 21 == character, key & TermKey.wordFlag == 0 else { break }
      sum += terms.documentFrequency(at: i)
      i += 1
    }
    return sum
  }

  private var docsLength: Int { terms.docsLength(at: index) }
  private var positionsLength: Int { terms.positionsLength(at: index) }

  mutating func advance() {
    docsOffset += docsLength
    positionsOffset += positionsLength
    index += 1
    // Postings are read once, in order: let the pages behind go.
    if docsOffset - releasedDocs > releaseEvery || positionsOffset - releasedPositions > releaseEvery
      || ScratchTermTable.end(of: index) - releasedTerms > releaseEvery
    {
      releasePages()
    }
    load()
  }

  /// Gives back the pages read past.
  @inline(never)
  private mutating func releasePages() {
    docsFile.release(before: docsOffset)
    positionsFile.release(before: positionsOffset)
    termFile.release(before: ScratchTermTable.end(of: index))
    releasedDocs = docsOffset
    releasedPositions = positionsOffset
    releasedTerms = ScratchTermTable.end(of: index)
  }

  /// Encodes the current term's postings in this run: the doc codes into `list` and
  /// `docBits` (with their skip entries), then the positions (a skip entry's position
  /// offset holds the index of its block's first value until then).
  /// (Mutating, though it changes nothing, so that it runs on the cursor in place: a
  /// non-mutating call copied the cursor out of `CursorList`'s memory, retaining what it
  /// holds.)
  @inline(__always)
  mutating func encodeTerm(
    list: inout DocEncoder, docBits: inout BitAppender, skips: inout ByteBuffer, positions: inout PositionAppender
  ) throws(IndexError) {
    let piece = UnsafeRawBufferPointer(rebasing: docBytes[docsOffset..<docsOffset + docsLength])
    let places = UnsafeRawBufferPointer(rebasing: positionBytes[positionsOffset..<positionsOffset + positionsLength])
    var reader = ByteReader(piece, file: docsName)
    var paragraph = base
    let firstSkip = skips.count
    var values = 0
    for _ in 0..<documentFrequency {
      let head = try reader.readVarInt()
      let frequency = head & 1 == 1 ? 1 : try reader.readVarInt()
      paragraph += head >> 1
      guard frequency > 0, frequency <= UInt64(occurrences &- values), list.previous.map({ paragraph > $0 }) ?? true
      else {
        throw .corrupt(file: docsName, detail: "invalid posting")
      }
      if list.startsBlock {
        try list.addSkipEntry(docsBit: docBits.bitCount, positionBit: values, skips: &skips)
      }
      try list.add(paragraph, frequency, docs: &docBits, file: docsName)
      values &+= Int(frequency)
    }
    guard values == occurrences else { throw .corrupt(file: docsName, detail: "invalid posting") }
    try positions.appendVarInts(places, count: values, skips: &skips, from: firstSkip)
  }
}
