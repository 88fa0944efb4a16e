#if canImport(Glibc)
  import Glibc
#endif

/// A mutual-exclusion lock over a POSIX mutex, for state that threads of a build share.
///
/// It is what Foundation's `NSLock` is on Linux, without loading Foundation, whose libraries
/// every `zhsearch` process would otherwise map at start.
final class Lock: @unchecked Sendable {
  /// The mutex lives at a fixed address of its own: a POSIX mutex must not move.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` holding the lock, and returns what it returns.
  func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }
}
