/// Set operations on ascending arrays of paragraph ids: merges and galloping searches.
enum SortedSets {
  /// The paragraphs either list holds, ascending.
  static func union(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    [UInt32](unsafeUninitializedCapacity: a.count + b.count) { out, written in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          var (i, j, k) = (0, 0, 0)
          while i < a.count && j < b.count {
            let (x, y) = (a[i], b[j])
            out[k] = min(x, y)
            k += 1
            i += x <= y ? 1 : 0
            j += y <= x ? 1 : 0
          }
          while i < a.count {
            out[k] = a[i]
            (i, k) = (i + 1, k + 1)
          }
          while j < b.count {
            out[k] = b[j]
            (j, k) = (j + 1, k + 1)
          }
          written = k
        }
      }
    }
  }

  /// The paragraphs both ascending lists hold, ascending, by galloping through the longer
  /// one from each paragraph of the shorter.
  static func intersection(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    var out: [UInt32] = []
    var cursor = 0
    for value in small {
      cursor = advance(large, from: cursor, to: value)
      guard cursor < large.count else { break }
      if large[cursor] == value { out.append(value) }
    }
    return out
  }

  /// The paragraphs of `a` that `b` does not hold, ascending.
  static func difference(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    var out: [UInt32] = []
    var cursor = 0
    for value in a {
      cursor = advance(b, from: cursor, to: value)
      if cursor >= b.count || b[cursor] != value { out.append(value) }
    }
    return out
  }

  /// The first index at or after `start` whose paragraph is not below `target` (galloping).
  static func advance(_ paragraphs: [UInt32], from start: Int, to target: UInt32) -> Int {
    var low = start
    var step = 1
    var high = start
    while high < paragraphs.count && paragraphs[high] < target {
      low = high + 1
      high += step
      step *= 2
    }
    high = min(high, paragraphs.count)
    while low < high {
      let middle = (low + high) / 2
      if paragraphs[middle] < target { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// Where each of `subset`'s values is in `values` (both ascending, `subset` drawn from
  /// `values`).
  static func indices(of subset: [UInt32], in values: [UInt32]) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(subset.count)
    var cursor = 0
    for value in subset {
      cursor = advance(values, from: cursor, to: value)
      result.append(cursor)
    }
    return result
  }
}
