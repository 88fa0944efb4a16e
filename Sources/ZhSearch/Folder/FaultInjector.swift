#if canImport(Glibc)
  import Glibc
#endif

/// Fails a chosen file-system call of a build, as a full or failing disk would: tests arm
/// it, run a build, and check what the failure left behind (SQLite tests its commit so).
///
/// Only calls on paths under the armed root count, so tests of other folders that run at
/// the same time are not disturbed. Disarmed, each call costs a lock taken and released.
enum FaultInjector {
  /// What to fail, and what was called so far.
  struct Plan {
    /// Calls on paths under this folder count; others pass.
    var root: String
    /// The call that fails, counted from 1 (0: none; every call is only recorded).
    var failAt: Int
    /// The `errno` it fails with.
    var error: Int32
    /// Whether every call after it fails too (a disk that has died), or only that one.
    var persistent: Bool
    /// The calls counted, in order.
    var calls: [(call: FileSystem.Call, path: String)] = []
  }

  private static let lock = Lock()
  nonisolated(unsafe) private static var plan: Plan?

  /// Starts counting (and failing) calls under `root`.
  static func arm(root: String, failAt: Int = 0, error: Int32 = EIO, persistent: Bool = false) {
    lock.withLock { plan = Plan(root: root.hasSuffix("/") ? root : root + "/", failAt: failAt, error: error, persistent: persistent) }
  }

  /// Stops, and returns the calls counted since `arm`.
  @discardableResult
  static func disarm() -> [(call: FileSystem.Call, path: String)] {
    lock.withLock {
      defer { plan = nil }
      return plan?.calls ?? []
    }
  }

  /// Throws the armed error when this call is the one to fail.
  @inline(__always)
  static func check(_ call: FileSystem.Call, _ path: String) throws(IndexError) {
    let failure: Int32? = lock.withLock {
      guard let root = plan?.root, path.hasPrefix(root) || path + "/" == root else { return nil }
      plan!.calls.append((call, path))
      let (n, failAt) = (plan!.calls.count, plan!.failAt)
      guard failAt > 0, n == failAt || (plan!.persistent && n > failAt) else { return nil }
      return plan!.error
    }
    if let failure { throw .io(path: path, reason: String(cString: strerror(failure))) }
  }
}
