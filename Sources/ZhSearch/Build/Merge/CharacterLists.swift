/// The lists the merge writes for a frequent character, from its terms' postings summed in
/// a `Tally` as they are merged: its own list (every paragraph holding the character, with
/// its count) and its best paragraphs (those whose BM25 term-frequency ratio is among the
/// `IndexFormat.characterBestCount` largest). Both are paragraphs and counts, without
/// positions (see `IndexFormat`).
enum CharacterLists {

  /// Writes a list of paragraphs and counts without positions (a character's own list, or
  /// the list of its best paragraphs): `paragraphs` (ascending), each with its count from
  /// `counts` (indexed by paragraph), and a skip entry before each block of 128 after the
  /// first (see `IndexFormat`).
  ///
  /// - Returns: its document frequency, occurrences, and the bytes written to `docs`.
  static func writeOwnList(
    _ paragraphs: some RandomAccessCollection<UInt32>, counts: UnsafePointer<UInt32>, paragraphCount: Int,
    docs: inout RawByteBuffer, scratch: inout DocScratch
  ) throws(IndexError) -> (Int, Int, Int) {
    let count = paragraphs.count
    scratch.docs.removeAll()
    scratch.skips.removeAll()
    // The postings as any term's, without positions (a skip entry's position bit is 0).
    var list = DocEncoder(gapBits: IndexFormat.docGapBits(documentFrequency: count, paragraphCount: paragraphCount), tally: nil)
    var bits = scratch.docs.lend()
    defer { scratch.docs.settle(bits) }
    var occurrences = 0
    for paragraph in paragraphs {
      let frequency = counts[Int(paragraph)]
      if list.startsBlock { try list.addSkipEntry(docsBit: bits.bitCount, positionBit: 0, skips: &scratch.skips) }
      try list.add(UInt64(paragraph), UInt64(frequency), docs: &bits, file: "scratch runs")
      occurrences += Int(frequency)
    }
    bits.alignToByte()
    scratch.skips.bytes.withUnsafeBytes { docs.append($0) }
    docs.append(bits.written)
    return (count, occurrences, scratch.skips.count + bits.written.count)
  }

  /// Writes a character's best paragraphs (see `IndexFormat`) from its tallied postings
  /// (`tally`, touched in ascending order): the union's size, then every paragraph whose r is
  /// not below the `characterBestCount`-th largest. `factors` holds the length factors of
  /// short paragraphs (BM25's, by length); `ratios`, `countScratch` and `lengthScratch` are
  /// scratch memory.
  ///
  /// Most paragraphs hold a frequent character once, and their r falls as the length grows:
  /// the r of the length within which `characterBestCount` of them lie (counted first) is a
  /// lower bound of the cutoff, and only the paragraphs whose r can reach it are selected
  /// from: those holding it once no longer than a length, and those holding it more often
  /// whose r is not below it.
  ///
  /// - Returns: the list's document frequency, occurrences, and the bytes written to `docs`.
  static func writeBestList(
    _ tally: Tally, paragraphCount: Int, lengths: ParagraphLengths, factors: [Double], docs: inout RawByteBuffer,
    scratch: inout DocScratch, ratios: inout [(ratio: Double, paragraph: UInt32)], countScratch: inout [UInt32],
    lengthScratch: inout [UInt32]
  ) throws(IndexError) -> (Int, Int, Int) {
    let averageLength = lengths.averageLength
    let touched = tally.touched
    // The touched paragraphs' counts and lengths, in their order, read once (from scattered
    // places) for the passes of the selection.
    // (Filled through pointers: an append per paragraph checked the arrays' uniqueness. The
    // arrays only grow, and only their first `touched.count` are used: zeroing them for
    // every character took as long as filling them.)
    if countScratch.count < touched.count {
      countScratch.append(contentsOf: repeatElement(0, count: touched.count - countScratch.count))
      lengthScratch.append(contentsOf: repeatElement(0, count: touched.count - lengthScratch.count))
    }
    let counts = tally.counters
    countScratch.withUnsafeMutableBufferPointer { out in
      for (i, paragraph) in touched.enumerated() { out[i] = counts[Int(paragraph)] }
    }
    if let all = lengths.all {
      lengthScratch.withUnsafeMutableBufferPointer { out in
        for (i, paragraph) in touched.enumerated() { out[i] = all[Int(paragraph)] }
      }
    } else {
      for (i, paragraph) in touched.enumerated() { lengthScratch[i] = try lengths.length(of: Int(paragraph)) }
    }
    ratios.removeAll(keepingCapacity: true)
    let cutoff = countScratch.withUnsafeBufferPointer { counts in
      lengthScratch.withUnsafeBufferPointer { lengths in
        selectBest(
          touched, counts: UnsafeBufferPointer(rebasing: counts[..<touched.count]),
          lengths: UnsafeBufferPointer(rebasing: lengths[..<touched.count]), factors: factors,
          averageLength: averageLength, into: &ratios)
      }
    }
    var best = ratios.filter { $0.ratio >= cutoff }.map(\.paragraph)
    best.sort()
    guard let union = UInt32(exactly: touched.count) else {
      throw .io(path: "docs", reason: "a character's list is too long for the index format")
    }
    var header = ByteBuffer(capacity: IndexFormat.characterBestHeaderSize)
    header.append(union)
    header.append(UInt32(0))
    header.bytes.withUnsafeBytes { docs.append($0) }
    let (count, occurrences, length) = try writeOwnList(
      best, counts: tally.counters, paragraphCount: paragraphCount, docs: &docs, scratch: &scratch)
    return (count, occurrences, header.count + length)
  }

  /// `writeBestList`'s selection: appends to `ratios` the r of every paragraph of `touched`
  /// that can reach the cutoff (of all, when there are no more than `characterBestCount`),
  /// and returns the cutoff (minus infinity: all). `counts` and `lengths` are the touched
  /// paragraphs', in their order.
  private static func selectBest(
    _ touched: UnsafeMutableBufferPointer<UInt32>, counts: UnsafeBufferPointer<UInt32>, lengths: UnsafeBufferPointer<UInt32>,
    factors: [Double], averageLength: Double, into ratios: inout [(ratio: Double, paragraph: UInt32)]
  ) -> Double {
    let wanted = IndexFormat.characterBestCount
    let scoring = BM25()
    return factors.withUnsafeBufferPointer { factors in
      @inline(__always) func factor(_ length: UInt32) -> Double {
        length < factors.count ? factors[Int(length)] : scoring.lengthFactor(length: Int(length), averageLength: averageLength)
      }
      @inline(__always) func ratio(_ count: UInt32, _ length: UInt32) -> Double {
        let frequency = Double(count)
        return frequency / (frequency + factor(length))
      }
      guard touched.count > wanted else {
        for (i, paragraph) in touched.enumerated() { ratios.append((ratio(counts[i], lengths[i]), paragraph)) }
        return -.infinity
      }
      // How many paragraphs hold the character once, by length (the last bucket: longer).
      let buckets = factors.count
      var once = [Int](repeating: 0, count: buckets)
      once.withUnsafeMutableBufferPointer { once in
        // (Without a branch: which paragraphs hold it once follows no pattern.)
        for i in 0..<touched.count {
          once[min(Int(lengths[i]), buckets - 1)] &+= counts[i] == 1 ? 1 : 0
        }
      }
      var bound = -Double.infinity
      var sum = 0
      for length in 0..<buckets - 1 {
        sum += once[length]
        if sum >= wanted {
          bound = ratio(1, UInt32(length))
          break
        }
      }
      // A paragraph holding it `count` times can reach the bound only when it is no longer
      // than the longest length whose r does (r falls as the length grows): that length for
      // each count up to `countedUpTo`, found by bisection among the lengths of `factors`
      // (unbounded when even the last of them does), so that most paragraphs are told apart
      // by a lookup and a comparison; a larger count, and every paragraph that passes, is
      // then checked by its r.
      let countedUpTo = 16
      // (Every touched paragraph holds it at least once: none is counted 0.)
      var longest = [Int](repeating: Int.max, count: countedUpTo + 2)
      longest[0] = -1
      for count in 1...countedUpTo where ratio(UInt32(count), UInt32(buckets - 1)) < bound {
        var (low, high) = (-1, buckets - 1)
        while low < high {
          let middle = (low + high + 1) / 2
          if ratio(UInt32(count), UInt32(middle)) >= bound { low = middle } else { high = middle - 1 }
        }
        longest[count] = low
      }
      longest.withUnsafeBufferPointer { longest in
        for (i, paragraph) in touched.enumerated() {
          let count = counts[i]
          let length = lengths[i]
          guard Int(length) <= longest[Int(min(count, UInt32(countedUpTo + 1)))] else { continue }
          let r = ratio(count, length)
          if r >= bound { ratios.append((r, paragraph)) }
        }
      }
      guard ratios.count > wanted else { return -.infinity }
      return Self.largest(wanted, of: &ratios)
    }
  }

  /// The `k`-th largest ratio of `values` (k from 1 to the count), found by selection: the
  /// values are left in another order.
  static func largest(_ k: Int, of values: inout [(ratio: Double, paragraph: UInt32)]) -> Double {
    precondition(k >= 1 && k <= values.count, "k must be within the values")
    // Quickselect for index k - 1 of the values in descending order.
    let target = k - 1
    var low = 0
    var high = values.count - 1
    while low < high {
      let pivot = values[low + (high - low) / 2].ratio
      var i = low
      var j = high
      while i <= j {
        while values[i].ratio > pivot { i += 1 }
        while values[j].ratio < pivot { j -= 1 }
        if i <= j {
          values.swapAt(i, j)
          i += 1
          j -= 1
        }
      }
      if target <= j { high = j } else if target >= i { low = i } else { return values[target].ratio }
    }
    return values[target].ratio
  }
}
