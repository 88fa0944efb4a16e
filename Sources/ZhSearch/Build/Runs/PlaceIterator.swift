/// The places of one term's records, from its run in the packed stream and its run in the
/// overflow stream, merged in order. It holds indices into the two arrays only: each step
/// is given the arrays, so copying an iterator (to look ahead) costs no reference counting.
struct PlaceIterator {
  private var a: Int
  private let aEnd: Int
  private var b: Int
  private let bEnd: Int
  private let runBase: UInt64

  /// Whether every place is in the packed stream.
  var isPackedOnly: Bool { b == bEnd }
  /// The packed records still to come.
  var packedRange: Range<Int> { a..<aEnd }

  init(_ inPacked: Range<Int>, _ inOverflow: Range<Int>, runBase: UInt64) {
    (a, aEnd, b, bEnd) = (inPacked.lowerBound, inPacked.upperBound, inOverflow.lowerBound, inOverflow.upperBound)
    self.runBase = runBase
  }

  /// The next place, from the packed records `packed` and the overflow places `overflow`.
  @inline(__always)
  mutating func next(_ packed: UnsafeBufferPointer<UInt64>, _ overflow: UnsafeBufferPointer<UInt64>) -> UInt64? {
    if a < aEnd {
      let fromPacked = PackedRecord.place(of: packed[a], runBase: runBase)
      if b < bEnd && overflow[b] < fromPacked {
        b += 1
        return overflow[b - 1]
      }
      a += 1
      return fromPacked
    }
    guard b < bEnd else { return nil }
    b += 1
    return overflow[b - 1]
  }
}
