import FoundationEssentials
import Synchronization
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// A progress line on a terminal's standard error: a bar for indexing, text for other steps.
final class ProgressBar: @unchecked Sendable {
  private let total: Int
  private let lock = Mutex(())
  private var label = ""
  private var lastDrawn = 0.0

  /// A bar for the input of `paths`, or nil when standard error is not a terminal.
  init?(paths: [String]) {
    guard isatty(STDERR_FILENO) != 0 else { return nil }
    var sum = 0
    for path in (try? CorpusReader.files(in: paths)) ?? [] {
      var info = stat()
      if stat(path, &info) == 0 { sum += Int(info.st_size) }
    }
    total = max(sum, 1)
  }

  func start(_ label: String) {
    lock.withLock { _ in
      self.label = label
      writeStandardError("\r\u{1B}[K" + label)
    }
  }

  func update(_ done: Int) {
    lock.withLock { _ in
      let now = Date().timeIntervalSince1970
      guard now - lastDrawn > 0.05 || done >= total else { return }
      lastDrawn = now
      let width = 30
      let filled = min(width, done * width / total)
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      writeStandardError("\r\u{1B}[K\(label) \(bar) \(min(100, done * 100 / total))%")
    }
  }

  func finish() { writeStandardError("\r\u{1B}[K") }

  /// Writes `text` (whole lines) above the bar, which is drawn again at the next update.
  func interrupt(_ text: String) {
    lock.withLock { _ in
      writeStandardError("\r\u{1B}[K" + text)
      lastDrawn = 0
    }
  }
}
