import Testing

@testable import ZhSearch
import ZhSearchBench

struct RecordBucketsTests {
  /// Sorts `values` through buckets on bits `shift ..< shift + bits`, bucket after bucket,
  /// returning the records and the sizes of the buckets.
  private func sorted(_ values: [UInt64], shift: Int, bits: Int, capacity: Int = 0) -> ([UInt64], [Int]) {
    let buckets = RecordBuckets(shift: shift, bits: bits, capacity: capacity)
    for value in values { buckets.append(value) }
    #expect(buckets.count == values.count)
    return (sortAll(buckets), (0..<RecordBuckets.bucketCount).map { buckets.size(of: $0) }.filter { $0 > 0 })
  }

  /// Every record of `buckets`, each bucket sorted.
  private func sortAll(_ buckets: RecordBuckets) -> [UInt64] {
    let largest = buckets.largestBucket
    let (target, temp) = (UnsafeMutablePointer<UInt64>.allocate(capacity: largest), UnsafeMutablePointer<UInt64>.allocate(capacity: largest))
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: buckets.countersNeeded)
    defer {
      target.deallocate()
      temp.deallocate()
      counts.deallocate()
    }
    var records: [UInt64] = []
    for bucket in 0..<RecordBuckets.bucketCount {
      let size = buckets.sort(bucket: bucket, into: target, temp: temp, counts: counts)
      records += UnsafeBufferPointer(start: target, count: size)
    }
    return records
  }

  @Test func sortingIsStableAndOrdersByTheKeyBits() {
    // Keys in bits 32 to 62, each record's low bits its original index: the order of equal
    // keys must be kept, so the result is the plain sort of the values.
    var random = SeededGenerator(seed: 11)
    let values = (0..<5000).map { i -> UInt64 in UInt64.random(in: 0..<300, using: &random) << 32 | UInt64(i) }
    let (output, sizes) = sorted(values, shift: 32, bits: 31)
    #expect(output == values.sorted())
    #expect(sizes.reduce(0, +) == values.count)
  }

  @Test(arguments: [1, 40, 3000, 60000])
  func bucketsOfEverySizeAreSorted(records: Int) {
    // Keys over all 31 bits (buckets of a few records, sorted by insertion) and keys sharing
    // their top bits (buckets of many chunks, sorted by two passes); the low bits of each
    // record are its original index, which the sort must keep in order.
    var random = SeededGenerator(seed: UInt64(records))
    let keys = (0..<records).map { i -> UInt64 in
      i % 3 == 0 ? UInt64.random(in: 0..<(1 << 31), using: &random) : 0x1234_5000 | UInt64.random(in: 0..<4096, using: &random)
    }
    let values = keys.enumerated().map { $1 << 33 | UInt64($0) }
    let (output, sizes) = sorted(values, shift: 33, bits: 31)
    #expect(output == values.sorted())
    // A bucket for each value of the key's top 11 bits.
    #expect(sizes.count == Set(values.map { $0 >> 53 }).count)
  }

  @Test func theArenaGrowsAndEmptyingKeepsIt() {
    // Room for one chunk at first: every new chunk past it moves the arena.
    let values = (0..<20_000).map { i -> UInt64 in UInt64(i * 7919 % 4096) << 41 | UInt64(i) }
    let buckets = RecordBuckets(shift: 33, bits: 31, capacity: 1)
    for value in values { buckets.append(value) }
    #expect(sortAll(buckets) == values.sorted())
    let capacity = buckets.capacity
    buckets.removeAll()
    #expect(buckets.isEmpty && buckets.contents.isEmpty && buckets.capacity == capacity)
    for value in values.prefix(10) { buckets.append(value) }
    #expect(sortAll(buckets) == values.prefix(10).sorted())
  }

  @Test func contentsAreBucketByBucketInAppendOrder() {
    let buckets = RecordBuckets(shift: 33, bits: 31)
    let (one, five): (UInt64, UInt64) = (1 << 53, 5 << 53)
    for value in [five | 2, one | 9, five | 1, one | 3] { buckets.append(value) }
    let expected = [one | 9, one | 3, five | 2, five | 1]
    #expect(buckets.contents == expected)
  }
}
