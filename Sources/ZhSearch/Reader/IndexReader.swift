import CICUShim

/// Opens an index folder and answers the lookups a query needs, reading only what it touches.
///
/// Opening reads the manifest and maps the files of its generation (six; five, without
/// `files`, before format version 4); each file's
/// container is checked then, and each block is checked against its CRC-32 when first read.
/// Term lookup is a binary search over the dictionary's fixed-width block index, then a short
/// scan of one block (Han keys are computed, words are found in the sorted word table), so no
/// dictionary is ever loaded whole. Not thread-safe.
///
/// This file opens the index; the reads are in extensions by job: posting lists and
/// positions (`IndexReader+Postings`), paragraphs (`IndexReader+Paragraphs`), the corpus
/// files (`IndexReader+Files`), and the
/// whole-index counts and checks (`IndexReader+Verification`).
public final class IndexReader {
  public let directory: String
  public let generation: UInt64
  /// Whether the index folded traditional characters to simplified ones: queries must be
  /// analyzed the same way (`Analyzer(foldsVariants:)`).
  public let foldsVariants: Bool
  public let paragraphCount: Int
  public let fileCount: Int
  /// The sum of all paragraph lengths, in tokens.
  public let totalLength: Int
  /// Low bits of each position value stored at a fixed width (see `IndexFormat`).
  let positionLowBits: Int
  /// The term dictionary.
  let dictionary: TermDictionary
  let terms: IndexFile
  let docs: IndexFile
  let positions: IndexFile
  let paragraphs: IndexFile
  let text: IndexFile
  /// The `files` file (nil for an index of format 2 or 3, which has none).
  let fileTable: FileTable?
  let fileNamesOffset: Int
  /// The files' absolute paths read so far (by `path(ofFile:)`), each read once.
  @exclusivity(unchecked) var filePaths: [String?] = []
  /// Paragraph lengths read so far: the table is read 1,024 entries at a time on first use,
  /// so ranking touches 4 bytes a paragraph instead of a 32-byte table entry.
  @exclusivity(unchecked) var lengths: [UInt32] = []
  @exclusivity(unchecked) var lengthChunkRead: [Bool] = []
  static let lengthChunk = 1024

  /// The average paragraph length in tokens.
  public var averageLength: Double {
    paragraphCount == 0 ? 0 : Double(totalLength) / Double(paragraphCount)
  }

  /// Makes a fault in a mapped index file, truncated by another program while it is read,
  /// end the process with one line on standard error and exit status 2 instead of a crash
  /// (a SIGBUS handler, for the whole process: the CLI installs it).
  public static func reportTruncatedFiles() { _ = cshim_guard_mappings() }

  /// Opens the index in `directory`.
  ///
  /// - Throws: `IndexError.noIndex` when there is none, `.corrupt` or `.unsupportedVersion`
  ///   when a file is damaged or of another version.
  public init(directory: String) throws(IndexError) {
    self.directory = directory
    let folder = directory.hasSuffix("/") ? directory : directory + "/"
    // No manifest, no index: data files without one are what a first build that was
    // interrupted leaves (the next build removes them).
    guard FileSystem.exists(folder + "manifest") else { throw .noIndex(path: directory) }
    // A concurrent build may replace the generation between reading the manifest and
    // opening its files; read the new manifest then.
    var attempt = 0
    var opened: (UInt64, [IndexFile], Bool)
    while true {
      do throws(IndexError) {
        opened = try Self.openGeneration(folder)
        break
      } catch {
        attempt += 1
        if attempt >= 3 { throw error }
      }
    }
    generation = opened.0
    foldsVariants = opened.2
    (terms, docs, positions, paragraphs, text) = (
      opened.1[0], opened.1[1], opened.1[2], opened.1[3], opened.1[4]
    )
    let filesFile = opened.1.count > 5 ? opened.1[5] : nil
    dictionary = try TermDictionary(
      file: terms, docsLimit: docs.payloadCount, positionsLimit: positions.payloadCount)
    var counts = ByteReader(try paragraphs.bytes(0..<24), file: paragraphs.name)
    let paragraphs64 = try counts.read(UInt64.self)
    let files64 = try counts.read(UInt64.self)
    let length64 = try counts.read(UInt64.self)
    // Counts are checked against the file size before any arithmetic, so a damaged count
    // is reported instead of overflowing.
    let size = UInt64(paragraphs.payloadCount)
    // Paragraph ids are 32-bit throughout the postings.
    guard paragraphs64 <= size / UInt64(ParagraphEntry.size), paragraphs64 <= UInt64(UInt32.max),
      files64 <= size / 8,
      length64 <= UInt64(Int.max / 2),
      UInt64(ParagraphEntry.tableStart) + paragraphs64 * UInt64(ParagraphEntry.size) + (files64 + 1) * 8 <= size
    else { throw .corrupt(file: paragraphs.name, detail: "counts do not fit the file") }
    paragraphCount = Int(paragraphs64)
    fileCount = Int(files64)
    totalLength = Int(length64)
    positionLowBits = IndexFormat.positionLowBits(totalLength: totalLength, paragraphCount: paragraphCount)
    fileNamesOffset = ParagraphEntry.offset(of: paragraphCount)
    if let filesFile {
      fileTable = try FileTable(filesFile, fileCount: Int(files64))
    } else {
      fileTable = nil
    }
  }

  /// The index's data files, in manifest order.
  var indexFiles: [IndexFile] { [terms, docs, positions, paragraphs, text] + (fileTable.map { [$0.file] } ?? []) }

  private static func openGeneration(_ folder: String) throws(IndexError) -> (UInt64, [IndexFile], Bool) {
    let manifest = try IndexFile(path: folder + "manifest", name: "manifest", kind: .manifest)
    var reader = ByteReader(try manifest.payload(), file: "manifest")
    let generation = try reader.read(UInt64.self)
    let analyzerVersion = try reader.read(UInt32.self)
    guard analyzerVersion == IndexFormat.analyzerVersion else {
      throw .unsupportedVersion(
        file: "manifest", found: Int(analyzerVersion), supported: Int(IndexFormat.analyzerVersion))
    }
    // Before version 4, variants were always kept apart.
    var foldsVariants = false
    if manifest.version >= IndexFormat.analysisFlagsVersion {
      let flags = try reader.read(UInt32.self)
      let tableChecksum = try reader.read(UInt32.self)
      guard flags & ~IndexFormat.foldsVariantsFlag == 0 else {
        throw .corrupt(file: "manifest", detail: "unknown analysis flags \(flags)")
      }
      foldsVariants = flags & IndexFormat.foldsVariantsFlag != 0
      if foldsVariants && tableChecksum != VariantTable.checksum {
        throw .otherVariantTable(found: tableChecksum, expected: VariantTable.checksum)
      }
    }
    let count = try reader.read(UInt32.self)
    // An index written before format version 4 has no `files` file.
    let kinds = [IndexFormat.dataKinds, IndexFormat.legacyDataKinds].first { $0.count == count }
    guard let kinds else { throw .corrupt(file: "manifest", detail: "lists \(count) files") }
    var files: [IndexFile] = []
    for kind in kinds {
      let nameLength = Int(try reader.read(UInt16.self))
      let name = String(decoding: try reader.readBytes(nameLength), as: UTF8.self)
      // A size beyond Int is damage, like any other size that does not match the file.
      let byteCount = Int(exactly: try reader.read(UInt64.self)) ?? -1
      let checksum = try reader.read(UInt32.self)
      guard name == kind.fileName(generation: generation) else {
        throw .corrupt(file: "manifest", detail: "unexpected file name \(name)")
      }
      let file = try IndexFile(path: folder + name, name: name, kind: kind)
      guard file.byteCount == byteCount, file.tableChecksum == checksum else {
        throw .corrupt(file: name, detail: "does not match the manifest (size or checksum)")
      }
      files.append(file)
    }
    return (generation, files, foldsVariants)
  }
}
