/// The flat records of a scratch run being built: one per token, in paragraph and position
/// order.
///
/// Nearly every token is a bigram or unigram of BMP Han characters at a near position, a
/// `PackedRecord`, appended into buckets by the key's top bits (`RecordBuckets`). Every
/// other token (letters, digits, rarer Han, far positions) is an overflow record with its
/// full key and place (`paragraph << 32 | position`), sorted on its own; the two sorted
/// streams are merged by full key when the run is encoded.
struct RecordSink: TokenSink {
  /// The packed records (`PackedRecord`), in buckets by key (an object: copies of a sink
  /// share it).
  var packed = RecordSink.makeBuckets()
  /// Full key and place of each overflow record.
  var overflowKeys: [UInt64] = []
  var overflowPlaces: [UInt64] = []
  /// The paragraph the next tokens belong to.
  var paragraph: UInt64 = 0 { didSet { notePlace() } }
  /// The first paragraph of the run being built.
  var runBase: UInt64 = 0 { didSet { notePlace() } }
  /// The paragraph's part of its packed records (`PackedRecord.placeBits`), and whether its
  /// number in the run fits one: worked out once a paragraph rather than once a token.
  private var placeBits: UInt64 = 0
  private var placePacks = true
  /// Letter and digit words and their provisional ids (ranks are given at flush time).
  var vocabulary = WordVocabulary()

  /// The lowest and highest first character of a packed key.
  private static let packBase = PackedRecord.firstCharacterBase
  private static let packLast = PackedRecord.firstCharacterLast

  /// Records buffered.
  var count: Int { packed.count + overflowKeys.count }

  /// Bytes the buffered records take, and will take while they are sorted: 8 for each slot of
  /// the buckets' chunks handed out, 16 for each overflow record (its key and place), and
  /// two buffers of the largest bucket for the sort (a corpus of one repeated character
  /// would otherwise put nearly every record in one bucket, and its sort, in the worker or in
  /// the merge, would take twice the budget).
  var bufferedBytes: Int { 8 * packed.arenaRecords + 16 * overflowKeys.count + 16 * packed.largestBucketBound }

  /// Empty buckets for packed records (keys: bits 33 to 63).
  static func makeBuckets() -> RecordBuckets {
    RecordBuckets(shift: Int(PackedRecord.keyShift), bits: PackedRecord.keyBits)
  }

  var isEmpty: Bool { count == 0 }

  private mutating func notePlace() {
    let local = paragraph &- runBase
    placePacks = local < PackedRecord.paragraphLimit
    placeBits = PackedRecord.placeBits(paragraph: local)
  }

  @inline(__always)
  mutating func han(key: UInt64, position: UInt32, folded: Range<Int>, source: Range<Int>) {
    let first = key &>> 21
    let second = key & 0x1F_FFFF
    // (Unsigned differences: one comparison per range.)
    if first &- Self.packBase <= Self.packLast - Self.packBase && second <= 0xFFFF && position < PackedRecord.positionLimit
      && placePacks
    {
      packed.append(PackedRecord.make(packedKey: (first &- Self.packBase) &<< 16 | second, place: placeBits | UInt64(position)))
    } else {
      addOverflow(key, position: position)
    }
  }

  /// Records `key` at `position` of the current paragraph as an overflow record.
  private mutating func addOverflow(_ key: UInt64, position: UInt32) {
    overflowKeys.append(key)
    overflowPlaces.append(paragraph << 32 | UInt64(position))
  }

  @inline(__always)
  mutating func hanBigram(_ first: UInt32, _ second: UInt32, position: UInt32) {
    // (The second character is below U+10000: only the first's range is checked.)
    let firstOffset = UInt64(first) &- Self.packBase
    if firstOffset <= Self.packLast - Self.packBase && position < PackedRecord.positionLimit && placePacks {
      packed.append(PackedRecord.make(packedKey: firstOffset &<< 16 | UInt64(second), place: placeBits | UInt64(position)))
    } else {
      han(key: TermKey.han(first, second), position: position, folded: 0..<0, source: 0..<0)
    }
  }

  mutating func hanBigrams(_ characters: UnsafeBufferPointer<UInt32>, position: UInt32) {
    let count = characters.count &- 1
    guard count > 0 else { return }
    // (Positions below 4096 throughout, checked once; else each bigram on its own.)
    let positionLimit = PackedRecord.positionLimit
    guard placePacks && position < positionLimit &- UInt32(truncatingIfNeeded: min(count, Int(positionLimit))) else {
      for k in 0..<count {
        hanBigram(characters[k], characters[k &+ 1], position: position &+ UInt32(truncatingIfNeeded: k))
      }
      return
    }
    let buckets = packed
    var appender = buckets.appender()
    // (Few values for the loop, as it has few registers: the next pair's pointer, the end,
    // the record's place, the arena and the cursors.)
    var pair = characters.baseAddress!
    let end = pair + count
    var place = placeBits | UInt64(position)
    var overflowed = 0
    while pair < end {
      let firstOffset = UInt64(pair[0]) &- Self.packBase
      if firstOffset <= Self.packLast - Self.packBase {
        let key = firstOffset &<< 16 | UInt64(pair[1])
        appender.append(PackedRecord.make(packedKey: key, place: place), bucket: Int(truncatingIfNeeded: key &>> Self.bucketShift))
      } else {
        addOverflow(TermKey.han(pair[0], pair[1]), position: UInt32(truncatingIfNeeded: PackedRecord.position(place)))
        overflowed &+= 1
      }
      pair += 1
      place &+= 1
    }
    buckets.settle(appended: count &- overflowed)
  }

  /// The bits of a packed key below its bucket's.
  private static let bucketShift = UInt64(PackedRecord.keyBits - RecordBuckets.topBits)

  mutating func word(
    _ bytes: UnsafeBufferPointer<UInt8>, isDigits: Bool, position: UInt32, folded: Range<Int>,
    source: Range<Int>
  ) {
    add(vocabulary.id(of: bytes), position: position)
  }

  mutating func joined(_ bytes: UnsafeBufferPointer<UInt8>, character: UInt32, position: UInt32) {
    add(vocabulary.id(ofJoined: bytes, character: character), position: position)
    joinedCount += 1
  }

  /// Joined-term records added so far: they index the text again and do not count in a
  /// paragraph's length.
  var joinedCount = 0

  /// Records word `id` (a word or a joined term) at `position` of the current paragraph.
  private mutating func add(_ id: UInt32, position: UInt32) {
    addOverflow(TermKey.wordFlag | UInt64(id), position: position)
  }

  /// Sorts the overflow stream by key, keeping place order within a key (for a run that
  /// is spilled), through `scratch` (see `sortedOverflow(into:)`).
  mutating func sortOverflow(scratch: RecordBuffer) {
    guard overflowKeys.count > 1 else { return }
    let (keys, ends) = sortedOverflow(into: scratch)
    overflowPlaces.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: scratch.base, count: scratch.count) }
    overflowKeys.withUnsafeMutableBufferPointer { overflowKeys in
      var start = 0
      for (key, end) in zip(keys, ends) {
        let end = Int(truncatingIfNeeded: end >> 32)
        for i in start..<end { overflowKeys[i] = key }
        start = end
      }
    }
  }

  /// The overflow stream sorted for a run: its places in key order, written to `sorted`
  /// (the other records first, by key, then the words by rank; each key's in the order they
  /// came), and its terms (each one's key, and where its places end << 32 | how many
  /// paragraphs they are in). The words must have their ranks (`remapWordsToRanks`).
  ///
  /// The words are placed by a counting sort on the rank whose prefix sums also give their
  /// terms, so only the places are moved, once, and no fresh scratch memory is touched: a
  /// run kept in memory keeps `sorted`.
  func sortedOverflow(into sorted: RecordBuffer) -> (keys: [UInt64], ends: [UInt64]) {
    let count = overflowKeys.count
    sorted.removeAll()
    sorted.reserveCapacity(count)
    sorted.resize(to: count)
    var (keys, ends): ([UInt64], [UInt64]) = ([], [])
    var (hanKeys, hanPlaces): ([UInt64], [UInt64]) = ([], [])
    overflowKeys.withUnsafeBufferPointer { overflowKeys in
      overflowPlaces.withUnsafeBufferPointer { overflowPlaces in
        var highest = -1
        for key in overflowKeys where key & TermKey.wordFlag != 0 {
          highest = max(highest, Int(truncatingIfNeeded: key & ~TermKey.wordFlag))
        }
        // Records of each rank, then where each rank's go: after the other records and the
        // lower ranks'.
        var next = [Int](repeating: 0, count: highest + 1)
        next.withUnsafeMutableBufferPointer { next in
          var others = 0
          for key in overflowKeys {
            if key & TermKey.wordFlag != 0 {
              next[Int(truncatingIfNeeded: key & ~TermKey.wordFlag)] &+= 1
            } else {
              others &+= 1
            }
          }
          var sum = others
          for rank in 0..<next.count { (next[rank], sum) = (sum, sum &+ next[rank]) }
          hanKeys.reserveCapacity(others)
          hanPlaces.reserveCapacity(others)
          let destination = sorted.base
          for i in 0..<count {
            let key = overflowKeys[i]
            if key & TermKey.wordFlag != 0 {
              let rank = Int(truncatingIfNeeded: key & ~TermKey.wordFlag)
              let slot = next[rank]
              next[rank] = slot &+ 1
              destination[slot] = overflowPlaces[i]
            } else {
              hanKeys.append(key)
              hanPlaces.append(overflowPlaces[i])
            }
          }
          RadixSort.sort(keys: &hanKeys, values: &hanPlaces)
          if others > 0 { hanPlaces.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: others) } }
          /// Adds the term `key` whose places end at `end` (from `start`).
          func addTerm(_ key: UInt64, from start: Int, to end: Int) {
            var (paragraph, paragraphs) = (UInt64.max, UInt64(0))
            for i in start..<end {
              let place = destination[i] &>> 32
              paragraphs &+= place != paragraph ? 1 : 0
              paragraph = place
            }
            keys.append(key)
            ends.append(UInt64(end) << 32 | paragraphs)
          }
          var start = 0
          while start < others {
            var end = start + 1
            while end < others && hanKeys[end] == hanKeys[start] { end += 1 }
            addTerm(hanKeys[start], from: start, to: end)
            start = end
          }
          // Each rank's slot has moved to where the next rank's places start.
          for rank in 0..<next.count where next[rank] > start {
            addTerm(TermKey.wordFlag | UInt64(rank), from: start, to: next[rank])
            start = next[rank]
          }
        }
      }
    }
    return (keys, ends)
  }

  /// Appends the terms of sorted packed records `records` to `keys` and `ends`: each one's
  /// packed key (`PackedRecord.packedKey`), and where its records end among them (high half) and how
  /// many paragraphs they are in (low half: a new paragraph within a term starts a new
  /// posting).
  @inline(__always)
  static func listTerms(_ records: UnsafeBufferPointer<UInt64>, keys: RecordBuffer, ends: RecordBuffer) {
    var i = 0
    while i < records.count {
      let key = PackedRecord.packedKey(records[i])
      var paragraph = UInt64.max
      var paragraphs: UInt64 = 0
      while i < records.count && PackedRecord.packedKey(records[i]) == key {
        let local = PackedRecord.paragraph(records[i])
        paragraphs &+= local != paragraph ? 1 : 0
        paragraph = local
        i &+= 1
      }
      keys.append(key)
      ends.append(UInt64(i) << 32 | paragraphs)
    }
  }

  /// The bucket of `RecordBuckets` where a packed record of full key `key` would be (the
  /// bucket count for keys above every packed one).
  static func bucket(ofKey key: UInt64) -> Int {
    let first = key >> 21
    if first < packBase { return 0 }
    if first > packLast { return RecordBuckets.bucketCount }
    return Int((first - packBase) >> characterShift)
  }

  /// The smallest full key of bucket `bucket`'s packed records.
  static func firstKey(ofBucket bucket: Int) -> UInt64 { (packBase + UInt64(bucket) << characterShift) << 21 }

  /// A bucket holds the packed keys of 2^characterShift first characters (the top bits of
  /// the 31-bit packed key that are the bucket's are the top of the first character's 15).
  private static let characterShift = UInt64(15 - RecordBuckets.topBits)

  /// Gives words their run keys, `wordFlag | rank` in byte order, and forgets them.
  ///
  /// - Returns: the run's `.words` table of the words in rank order
  ///   (`WordVocabulary.table(inOrderOf:)`).
  mutating func remapWordsToRanks() -> [UInt8] {
    let vocabulary = vocabulary
    let order = vocabulary.idsInByteOrder
    var rank = [UInt64](repeating: 0, count: vocabulary.count)
    for (r, id) in order.enumerated() { rank[id] = UInt64(r) }
    let table = vocabulary.table(inOrderOf: order)
    if vocabulary.count > 0 {
      rank.withUnsafeBufferPointer { rank in
        overflowKeys.withUnsafeMutableBufferPointer { keys in
          for i in 0..<keys.count where keys[i] & TermKey.wordFlag != 0 {
            keys[i] = TermKey.wordFlag | rank[Int(truncatingIfNeeded: keys[i] & ~TermKey.wordFlag)]
          }
        }
      }
    }
    self.vocabulary.removeAll()
    return table
  }

  /// Calls `body` with each term, in key order (words last; the overflow stream must be
  /// sorted): its full key, the sorted records of its bucket and where its own are among
  /// them, and where its places are in the overflow stream (a bigram also found at positions
  /// from 4096 on has records in both). Each bucket is sorted when reached, into `buffer`
  /// through `temp` (a bucket's worth each, not a copy of every record).
  func forEachTerm<E: Error>(
    buffer: RecordBuffer, temp: RecordBuffer,
    _ body: (UInt64, UnsafeBufferPointer<UInt64>, Range<Int>, Range<Int>) throws(E) -> Void
  ) throws(E) {
    let largest = packed.largestBucket
    for scratch in [buffer, temp] {
      scratch.removeAll()
      scratch.reserveCapacity(largest)
      scratch.resize(to: largest)
    }
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: packed.countersNeeded)
    defer { counts.deallocate() }
    let (keys, ends) = (RecordBuffer(), RecordBuffer())
    var j = 0
    /// The end of the overflow run of key `key` from `j` on.
    func overflowEnd(_ key: UInt64) -> Int {
      var end = j
      while end < overflowKeys.count && overflowKeys[end] == key { end += 1 }
      return end
    }
    let none = UnsafeBufferPointer<UInt64>(start: nil, count: 0)
    for bucket in 0..<RecordBuckets.bucketCount where packed.size(of: bucket) > 0 {
      let size = packed.sort(bucket: bucket, into: buffer.base, temp: temp.base, counts: counts)
      let records = UnsafeBufferPointer(start: buffer.base, count: size)
      keys.removeAll()
      ends.removeAll()
      Self.listTerms(records, keys: keys, ends: ends)
      var start = 0
      for t in 0..<keys.count {
        let key = PackedRecord.key(ofPackedKey: keys[t])
        // The overflow terms before it.
        while j < overflowKeys.count && overflowKeys[j] < key {
          let end = overflowEnd(overflowKeys[j])
          try body(overflowKeys[j], none, 0..<0, j..<end)
          j = end
        }
        let end = Int(ends[t] >> 32)
        let overflow = overflowEnd(key)
        try body(key, records, start..<end, j..<overflow)
        (start, j) = (end, overflow)
      }
    }
    while j < overflowKeys.count {
      let end = overflowEnd(overflowKeys[j])
      try body(overflowKeys[j], none, 0..<0, j..<end)
      j = end
    }
  }

  /// Empties the buffers, keeping their memory.
  mutating func removeAll() {
    packed.removeAll()
    overflowKeys.removeAll(keepingCapacity: true)
    overflowPlaces.removeAll(keepingCapacity: true)
    joinedCount = 0
  }
}
