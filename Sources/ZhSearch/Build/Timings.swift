import CICUShim

#if canImport(Glibc)
  import Glibc
#endif

/// Seconds spent in each stage of a build.
public struct Timings: Sendable, Equatable {
  public var read = 0.0
  public var split = 0.0
  public var analyze = 0.0
  /// Sorting records by term and encoding spilled runs (records kept in memory are
  /// sorted by the merge: that time is counted here too, and in `merge`).
  public var invert = 0.0
  public var write = 0.0
  /// The merge and commit, wall-clock.
  public var merge = 0.0

  public init() {}

  /// Adds another worker's timings.
  mutating func add(_ other: Timings) {
    read += other.read
    split += other.split
    analyze += other.analyze
    invert += other.invert
    write += other.write
    merge += other.merge
  }

  /// Monotonic seconds.
  package static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  /// The CPU's tick count (`cshim_ticks`): cheaper than `now()`, for the stages timed
  /// three times a paragraph.
  @inline(__always)
  static func ticks() -> UInt64 { cshim_ticks() }

  /// The seconds of `ticks` ticks, at the rate the ticks ran since the process first asked
  /// for it (`IndexBuilder.build` does first, before its workers start).
  static func seconds(ofTicks ticks: UInt64) -> Double {
    guard ticks > 0 else { return 0 }
    let (tick, second) = (Self.ticks(), now())
    let (elapsedTicks, elapsedSeconds) = (tick &- tickOrigin.tick, second - tickOrigin.second)
    guard elapsedTicks > 0, elapsedSeconds > 0 else { return 0 }
    return Double(ticks) * elapsedSeconds / Double(elapsedTicks)
  }
}

/// When ticks were first asked for, in ticks and in seconds (`Timings.seconds(ofTicks:)`).
private let tickOrigin = (tick: Timings.ticks(), second: Timings.now())

extension Timings {
  /// Starts the clock that converts ticks to seconds (the longer it runs before a
  /// conversion, the closer its rate).
  static func startTickClock() { _ = tickOrigin }
}
