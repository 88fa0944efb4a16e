/// A growable run of 64-bit records in memory of its own.
///
/// A sorted bucket of packed records (`RecordBuckets`) lives here rather than in a Swift
/// array, and so do a bucket's term list and a run's overflow places: appending costs no
/// uniqueness check, the sort writes a bucket through a pointer, and the merge's threads
/// read them through pointers that stay valid while the buffer lives, without touching a
/// reference count shared between threads. Reserving capacity allocates
/// without touching the memory, so untouched capacity never becomes resident. Not
/// thread-safe while it changes; read-only buffers can be read from any thread.
final class RecordBuffer: @unchecked Sendable {
  @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private(set) var count = 0
  @exclusivity(unchecked) private(set) var capacity: Int

  init(capacity: Int = 0) {
    self.capacity = capacity
    base = .allocate(capacity: max(capacity, 1))
  }

  deinit { base.deallocate() }

  /// The records, valid until the buffer next changes or is freed.
  var records: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: base, count: count) }

  var isEmpty: Bool { count == 0 }

  @inline(__always)
  subscript(index: Int) -> UInt64 { base[index] }

  @inline(__always)
  func append(_ record: UInt64) {
    let count = self.count
    if count == capacity { reserveCapacity(max(16, capacity * 2)) }
    base[count] = record
    // (No overflow check: the count is below the capacity, an allocation's size.)
    self.count = count &+ 1
  }

  /// Appends `records`, copied in one go.
  func append(contentsOf records: UnsafeBufferPointer<UInt64>) {
    guard let source = records.baseAddress else { return }
    reserveCapacity(count + records.count)
    (base + count).update(from: source, count: records.count)
    count += records.count
  }

  /// Makes room for `wanted` records in all, keeping those there.
  func reserveCapacity(_ wanted: Int) {
    guard wanted > capacity else { return }
    let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: wanted)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = wanted
  }

  /// Sets the count of records to `count` (at most the capacity); new ones are uninitialized
  /// until written, which the radix sort does before it reads them.
  func resize(to count: Int) {
    precondition(count <= capacity, "a record buffer cannot grow by resizing")
    self.count = count
  }

  /// Forgets the records, keeping the memory.
  func removeAll() { count = 0 }
}
