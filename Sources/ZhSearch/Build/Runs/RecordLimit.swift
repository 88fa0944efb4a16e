import Synchronization

/// How many records a run builder may buffer before it spills them: lowered from
/// another thread when part of its files goes to another builder.
final class RecordLimit: Sendable {
  private let atomic: Atomic<Int>

  init(_ records: Int) { atomic = Atomic(records) }

  var value: Int { atomic.load(ordering: .relaxed) }

  func lower(by records: Int) { atomic.subtract(records, ordering: .relaxed) }
}
