import Dispatch
import Testing

@testable import ZhSearch

struct LockTests {
  /// A count that threads change only under the lock.
  private final class Counter: @unchecked Sendable {
    let lock = Lock()
    var value = 0
  }

  @Test func threadsThatChangeStateUnderTheLockLoseNoUpdate() {
    let counter = Counter()
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<20_000 {
        // A read, then a write: without the lock, two threads would write the same value.
        counter.lock.withLock { counter.value = counter.value + 1 }
      }
    }
    #expect(counter.lock.withLock { counter.value } == 160_000)
  }

  @Test func anErrorThrownUnderTheLockReachesTheCallerAndFreesTheLock() {
    struct Failure: Error {}
    let lock = Lock()
    #expect(throws: Failure.self) { try lock.withLock { () throws(Failure) in throw Failure() } }
    #expect(lock.withLock { 42 } == 42)
  }
}
