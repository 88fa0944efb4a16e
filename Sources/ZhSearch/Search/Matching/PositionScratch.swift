/// One candidate paragraph's positions of every phrase term, and the phrase's match
/// starts among them, in raw memory reused from candidate to candidate: term k's
/// positions are `values[bounds[2k]..<bounds[2k + 1]]`.
struct PositionScratch: ~Copyable {
  private(set) var values: UnsafeMutablePointer<UInt32>
  private var capacity = 256
  var count = 0
  let bounds: UnsafeMutablePointer<Int>
  private(set) var starts: UnsafeMutablePointer<UInt32>
  private var startsCapacity = 256

  init(terms: Int) {
    values = .allocate(capacity: capacity)
    starts = .allocate(capacity: startsCapacity)
    bounds = .allocate(capacity: 2 * terms)
    bounds.initialize(repeating: 0, count: 2 * terms)
  }

  deinit {
    values.deallocate()
    starts.deallocate()
    bounds.deallocate()
  }

  /// Where the next value goes.
  var end: UnsafeMutablePointer<UInt32> { values + count }

  /// Makes room for `more` values after the `count` kept.
  mutating func reserve(_ more: Int) {
    guard count + more > capacity else { return }
    capacity = max(2 * capacity, count + more)
    let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    grown.update(from: values, count: count)
    values.deallocate()
    values = grown
  }

  /// Makes room for `count` match starts.
  mutating func reserveStarts(_ count: Int) {
    guard count > startsCapacity else { return }
    startsCapacity = max(2 * startsCapacity, count)
    starts.deallocate()
    starts = .allocate(capacity: startsCapacity)
  }
}
