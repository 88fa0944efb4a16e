/// Results of tasks that run at once, one slot per task: each stores its own from its
/// thread, and they are read after all have finished (a slot still nil: a task that did not
/// run to the end).
final class ResultSlots<Success, Failure: Error>: @unchecked Sendable {
  private let lock = Lock()
  private var results: [Result<Success, Failure>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  func store(_ slot: Int, _ result: Result<Success, Failure>) {
    lock.withLock { results[slot] = result }
  }

  var all: [Result<Success, Failure>?] { lock.withLock { results } }
}
