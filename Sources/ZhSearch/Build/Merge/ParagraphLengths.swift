/// The length (in tokens) of each paragraph of a build, read from the workers' paragraph
/// tables in the scratch folder, and their average as the index will give it
/// (`IndexReader.averageLength`).
///
/// The lengths are copied into an array of their own when it fits `memoryLimit` (four bytes
/// a paragraph: read in any order, as they are, the tables' 32-byte entries would miss the
/// cache); else each is read from the mapped tables, so a corpus of any size fits.
final class ParagraphLengths: @unchecked Sendable {
  private let compact: UnsafeMutableBufferPointer<UInt32>?
  private let files: [MappedFile]
  /// Each table's first paragraph, ascending, then the end of the last; and where each
  /// table's first Length field is (read through raw pointers: once per paragraph of every
  /// frequent character).
  private let bases: [Int]
  private let fields: [UnsafeRawPointer?]
  let averageLength: Double

  /// The tables at `paths`, whose paragraphs are numbered from each `base` on, in order.
  init(_ tables: [(base: Int, path: String)], totalLength: Int, memoryLimit: Int) throws(IndexError) {
    var files: [MappedFile] = []
    var bases: [Int] = []
    var end = 0
    for table in tables {
      let file = try MappedFile(path: table.path)
      guard table.base == end else { throw .io(path: table.path, reason: "paragraph tables out of order") }
      files.append(file)
      bases.append(table.base)
      end = table.base + file.bytes.count / ParagraphEntry.size
    }
    bases.append(end)
    self.files = files
    self.bases = bases
    fields = files.map { $0.bytes.baseAddress.map { $0 + ParagraphEntry.lengthOffset } }
    averageLength = end == 0 ? 0 : Double(totalLength) / Double(end)
    if end * MemoryLayout<UInt32>.stride <= memoryLimit {
      let compact = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: end)
      for table in 0..<files.count {
        for i in 0..<bases[table + 1] - bases[table] {
          compact[bases[table] + i] = UInt32(
            littleEndian: fields[table].unsafelyUnwrapped.loadUnaligned(
              fromByteOffset: i * ParagraphEntry.size, as: UInt32.self))
        }
      }
      self.compact = compact
    } else {
      compact = nil
    }
  }

  deinit { compact?.deallocate() }

  /// Every paragraph's length, when they were copied (see the type), for loops that read
  /// many (valid while the lengths live).
  var all: UnsafePointer<UInt32>? { compact.map { UnsafePointer($0.baseAddress!) } }

  /// The length of paragraph `paragraph`.
  @inline(__always)
  func length(of paragraph: Int) throws(IndexError) -> UInt32 {
    guard paragraph >= 0 && paragraph < bases[bases.count - 1] else { throw Self.missing(paragraph) }
    if let compact { return compact[paragraph] }
    // A few tables (one per worker): the last that starts at or before it.
    var table = bases.count - 2
    while bases[table] > paragraph { table -= 1 }
    let field = fields[table].unsafelyUnwrapped + (paragraph - bases[table]) * ParagraphEntry.size
    return UInt32(littleEndian: field.loadUnaligned(as: UInt32.self))
  }

  @inline(never)
  private static func missing(_ paragraph: Int) -> IndexError {
    .corrupt(file: "paragraphs", detail: "no paragraph \(paragraph) in the workers' tables")
  }
}
