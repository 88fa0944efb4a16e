import CICUShim

/// What `DocEncoder.addPacked` does with each posting besides encoding it.
protocol PostingCounter {
  func count(_ paragraph: UInt32, _ frequency: UInt32)
  /// Starts loading the counter of a paragraph counted soon.
  func prefetch(_ paragraph: UInt64)
}

extension PostingCounter {
  @inline(__always) func prefetch(_ paragraph: UInt64) {}
}

/// Nothing: the term's character is not summed.
struct NoCounter: PostingCounter {
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {}
}

/// Adds to the tally, noting the paragraphs touched (`Tally.add`).
struct TouchCounter: PostingCounter {
  // (Not retained: see `DocEncoder.tally`.)
  let tally: Unmanaged<Tally>
  let counters: UnsafePointer<UInt32>
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {
    tally._withUnsafeGuaranteedRef { $0.add(paragraph, frequency) }
  }
  @inline(__always) func prefetch(_ paragraph: UInt64) { cshim_prefetch(counters + Int(truncatingIfNeeded: paragraph), 4) }
}

/// Adds to the tally without noting the paragraphs (`Tally.accumulate`), through the
/// counters' address held here, so that it is not loaded through the tally for every
/// posting.
struct BlindCounter: PostingCounter {
  let counters: UnsafeMutablePointer<UInt32>
  @inline(__always) func count(_ paragraph: UInt32, _ frequency: UInt32) {
    counters[Int(truncatingIfNeeded: paragraph)] &+= frequency
  }
  @inline(__always) func prefetch(_ paragraph: UInt64) { cshim_prefetch(counters + Int(truncatingIfNeeded: paragraph), 4) }
}
