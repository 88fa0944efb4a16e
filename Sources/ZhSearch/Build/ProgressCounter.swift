/// Input bytes done so far, reported to an optional callback.
final class ProgressCounter: @unchecked Sendable {
  private let lock = Lock()
  private var done = 0
  private let callback: (@Sendable (Int) -> Void)?

  init(_ callback: (@Sendable (Int) -> Void)?) { self.callback = callback }

  func add(_ bytes: Int) {
    let total = lock.withLock {
      done += bytes
      return done
    }
    callback?(total)
  }
}
