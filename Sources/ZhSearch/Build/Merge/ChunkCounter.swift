/// Hands out the chunks of a merge, in order, to the threads that ask.
final class ChunkCounter: @unchecked Sendable {
  private let lock = Lock()
  private var next = 0

  /// The next chunk, or nil once all of the `count` have been taken.
  func take(below count: Int) -> Int? {
    lock.withLock {
      guard next < count else { return nil }
      next += 1
      return next - 1
    }
  }
}
