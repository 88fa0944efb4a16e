import Foundation
import Synchronization

/// The files of a build cut into contiguous shares, one per worker at first, which the
/// workers take file by file; a worker that runs out of files splits off the back half of
/// the share with the most bytes left, as a share of its own (a segment of its own, whose
/// paragraphs come after the rest of that share's), with the records budget those files
/// would have taken.
///
/// The workers run at different speeds (a virtual machine's cores often do, and a byte of
/// short news lines costs more than a byte of long report lines): with fixed shares, one
/// worker often indexed alone for 20 to 140 ms at the end (news + speeches, two workers).
final class FileShares: @unchecked Sendable {
  typealias File = (index: Int, path: String, bytes: Int)

  /// One share: the files `next ..< end` not taken yet, the bytes of the files it ever
  /// held, and the records its builder may buffer (lowered when a split takes part of it).
  private struct Share {
    var next: Int
    var end: Int
    var bytes: Int
    let recordLimit: RecordLimit
  }

  let files: [File]
  private let lock = NSLock()
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

  /// The next file of share `share`, or nil when it has none left.
  func take(_ share: Int) -> File? {
    lock.withLock {
      guard shares[share].next < shares[share].end else { return nil }
      shares[share].next += 1
      return files[shares[share].next - 1]
    }
  }

  /// Splits off the back half (by bytes) of the share with the most bytes left, when that is
  /// at least `minimumBytes`, as a new share: its index, and its first file (which orders
  /// the segments). Its records limit is taken from the other's:
  /// in proportion to the bytes, less the records `recordsPerByte` says the files already
  /// taken there need.
  func split(minimumBytes: Int, recordsPerByte: Double) -> (share: Int, firstFile: Int)? {
    lock.withLock {
      var best = -1
      var bestBytes = 0
      for (i, share) in shares.enumerated() {
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
      // The owner's records limit, less what its files taken so far need, is shared in
      // proportion to the bytes of the files left; no split when either part would not fit
      // its share (with a tenth to spare): it would spill, and a spill costs more than the
      // wait it saves.
      let needed = Double(victim.bytes - bestBytes) * recordsPerByte
      let spare = Double(victim.recordLimit.value) - needed
      let moved = Int(spare * Double(movedBytes) / Double(bestBytes))
      guard Double(moved) >= Double(movedBytes) * recordsPerByte * 1.1,
        spare - Double(moved) >= Double(bestBytes - movedBytes) * recordsPerByte * 1.1
      else { return nil }
      victim.recordLimit.lower(by: moved)
      shares[best].end = first
      shares[best].bytes -= movedBytes
      shares.append(Share(next: first, end: victim.end, bytes: movedBytes, recordLimit: RecordLimit(moved)))
      return (shares.count - 1, first)
    }
  }
}

/// How many records a segment builder may buffer before it spills them: lowered from
/// another thread when part of its files goes to another builder.
final class RecordLimit: Sendable {
  private let atomic: Atomic<Int>

  init(_ records: Int) { atomic = Atomic(records) }

  var value: Int { atomic.load(ordering: .relaxed) }

  func lower(by records: Int) { atomic.subtract(records, ordering: .relaxed) }
}
