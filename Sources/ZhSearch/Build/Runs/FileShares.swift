import Synchronization

/// The files of a build cut into contiguous shares, one per worker at first, which the
/// workers take file by file; a worker that runs out of files splits off the back half of
/// the share with the most bytes left, as a share of its own (a run of its own, whose
/// paragraphs come after the rest of that share's), with the records budget those files
/// would have taken.
///
/// The workers run at different speeds (a virtual machine's cores often do, and a byte of
/// short news lines costs more than a byte of long report lines): with fixed shares, one
/// worker would often index alone at the end.
final class FileShares: @unchecked Sendable {
  typealias File = (index: Int, path: String, bytes: Int)

  /// One share: the files `next ..< end` not taken yet, the bytes of its files (taken or
  /// not), and the records its builder may buffer (lowered when a split takes part of it);
  /// and, as of the last file taken, the records its builder held, the bytes of the files
  /// done before it, and whether the builder had spilled a run.
  private struct Share {
    var next: Int
    var end: Int
    var bytes: Int
    let recordLimit: RecordLimit
    var records = 0
    var doneBytes = 0
    var spilled = false
  }

  let files: [File]
  private let lock = Lock()
  private var shares: [Share] = []
  /// Bytes of files `0 ..< i`.
  private let bytesBefore: [Int]

  /// The shares `shares` (ranges of `files`), share `i`'s builder with `recordLimit(i)`.
  init(_ files: [File], shares: [Range<Int>], recordLimit: (Int) -> RecordLimit) {
    self.files = files
    var sum = 0
    var before = [0]
    for file in files {
      sum += file.bytes
      before.append(sum)
    }
    bytesBefore = before
    self.shares = shares.enumerated().map { i, range in
      Share(next: range.lowerBound, end: range.upperBound, bytes: before[range.upperBound] - before[range.lowerBound], recordLimit: recordLimit(i))
    }
  }

  /// The records limit of share `share`'s builder.
  func recordLimit(_ share: Int) -> RecordLimit { lock.withLock { shares[share].recordLimit } }

  /// The next file of share `share`, or nil when it has none left, for a builder that has
  /// buffered `records` records so far and has `spilled` runs or not.
  func take(_ share: Int, records: Int = 0, spilled: Bool = false) -> File? {
    lock.withLock {
      let left = bytesBefore[shares[share].end] - bytesBefore[shares[share].next]
      (shares[share].records, shares[share].doneBytes) = (records, shares[share].bytes - left)
      shares[share].spilled = spilled
      guard shares[share].next < shares[share].end else { return nil }
      shares[share].next += 1
      return files[shares[share].next - 1]
    }
  }

  /// Splits off the back half (by bytes) of the share with the most bytes left, when that is
  /// at least `minimumBytes`, as a new share: its index, and its first file (which orders
  /// the runs). Its records limit is taken from the other's: what that builder's limit
  /// leaves over the records it holds and those its file in progress will add is shared in
  /// proportion to the bytes left, each part counted at the higher of `recordsPerByte` (the
  /// splitting worker's) and the other builder's records per byte so far.
  ///
  /// No split from a builder that has spilled (its buffers stay as large as its limit was),
  /// nor when either part would not fit its records (with a tenth to spare) or the new one
  /// would get fewer than `minimumRecords`: its builder would spill, and a spill costs more
  /// than the wait it saves.
  func split(minimumBytes: Int, recordsPerByte: Double, minimumRecords: Int = 1 << 16) -> (share: Int, firstFile: Int)? {
    lock.withLock {
      var best = -1
      var bestBytes = 0
      for (i, share) in shares.enumerated() where !share.spilled {
        let left = bytesBefore[share.end] - bytesBefore[share.next]
        if left > bestBytes { (best, bestBytes) = (i, left) }
      }
      guard best >= 0, bestBytes >= minimumBytes else { return nil }
      let victim = shares[best]
      // The first file from which the back half is at most half the bytes left.
      let middle = bytesBefore[victim.next] + bestBytes / 2
      var first = victim.next + 1
      while first < victim.end && bytesBefore[first] < middle { first += 1 }
      guard first < victim.end else { return nil }
      let movedBytes = bytesBefore[victim.end] - bytesBefore[first]
      let inProgress = victim.bytes - bestBytes - victim.doneBytes
      let rate = max(recordsPerByte, victim.doneBytes > 0 ? Double(victim.records) / Double(victim.doneBytes) : 0)
      guard rate > 0 else { return nil }
      let spare = Double(victim.recordLimit.value) - Double(victim.records) - Double(inProgress) * rate
      let moved = Int(spare * Double(movedBytes) / Double(bestBytes))
      guard moved >= minimumRecords, Double(moved) >= Double(movedBytes) * rate * 1.1,
        spare - Double(moved) >= Double(bestBytes - movedBytes) * rate * 1.1
      else { return nil }
      victim.recordLimit.lower(by: moved)
      shares[best].end = first
      shares[best].bytes -= movedBytes
      shares.append(Share(next: first, end: victim.end, bytes: movedBytes, recordLimit: RecordLimit(moved)))
      return (shares.count - 1, first)
    }
  }
}
