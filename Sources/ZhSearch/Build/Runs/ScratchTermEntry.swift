/// One term of a scratch run's `.terms` file: where its postings are in the run's `.docs`
/// and `.positions` files (each term's follow the one before's), and its counts.
///
/// ```
/// ScratchTermEntry --> Key u64, DocsLength u32, PositionsLength u32, DocFrequency u32,
///                      Occurrences u32, LastParagraph u32, Reserved u32          32 bytes
/// ```
/// Little-endian, in key order (Han keys, then words by rank). `LastParagraph` is the
/// term's last paragraph, numbered in the worker; `Reserved` is 0.
struct ScratchTermEntry: Equatable {
  var key: UInt64
  var docsLength: UInt32
  var positionsLength: UInt32
  var documentFrequency: UInt32
  var occurrences: UInt32
  var lastParagraph: UInt32

  /// Bytes of an entry.
  static let size = 32

  /// Appends the entry to `bytes`.
  func append(to bytes: inout RawByteBuffer) {
    bytes.append(key)
    bytes.append(docsLength)
    bytes.append(positionsLength)
    bytes.append(documentFrequency)
    bytes.append(occurrences)
    bytes.append(lastParagraph)
    bytes.append(UInt32(0))
  }
}

/// A scratch run's `.terms` file as read by the merge: its `ScratchTermEntry`s, field by
/// field (the merge reads one or two fields of most entries).
struct ScratchTermTable {
  /// The entries' bytes (the mapped file).
  let bytes: UnsafeRawBufferPointer

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// How many terms the table holds.
  var count: Int { bytes.count / ScratchTermEntry.size }

  /// Where entry `i` ends: the table's bytes read up to it.
  @inline(__always)
  static func end(of i: Int) -> Int { i &* ScratchTermEntry.size }

  @inline(__always)
  private func field<T: FixedWidthInteger>(_ i: Int, _ offset: Int, _: T.Type) -> T {
    T(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* ScratchTermEntry.size &+ offset, as: T.self))
  }

  @inline(__always) func key(at i: Int) -> UInt64 { field(i, 0, UInt64.self) }
  @inline(__always) func docsLength(at i: Int) -> Int { Int(field(i, 8, UInt32.self)) }
  @inline(__always) func positionsLength(at i: Int) -> Int { Int(field(i, 12, UInt32.self)) }
  @inline(__always) func documentFrequency(at i: Int) -> Int { Int(field(i, 16, UInt32.self)) }
  @inline(__always) func occurrences(at i: Int) -> Int { Int(field(i, 20, UInt32.self)) }

  /// About how much work term `i` is for the merge: its postings' bytes.
  func weight(at i: Int) -> Int { docsLength(at: i) + positionsLength(at: i) }

  /// Where a chunk of the merge starts in the run: the first term whose key is not below the
  /// chunk's first key, and where that term's postings start.
  struct Start {
    var index = 0
    var docsOffset = 0
    var positionsOffset = 0
  }

  /// Where each of `keys` (ascending) starts, found in one pass over the table.
  func starts(at keys: [UInt64]) -> [Start] {
    var starts: [Start] = []
    var current = Start()
    for key in keys {
      while current.index < count && self.key(at: current.index) < key {
        current.docsOffset += docsLength(at: current.index)
        current.positionsOffset += positionsLength(at: current.index)
        current.index += 1
      }
      starts.append(current)
    }
    return starts
  }

  /// Entry `i` whole.
  func entry(at i: Int) -> ScratchTermEntry {
    ScratchTermEntry(
      key: key(at: i), docsLength: field(i, 8, UInt32.self), positionsLength: field(i, 12, UInt32.self),
      documentFrequency: field(i, 16, UInt32.self), occurrences: field(i, 20, UInt32.self),
      lastParagraph: field(i, 24, UInt32.self))
  }
}
