/// The on-disk format of a zhsearch index: every file's grammar, and the checksummed
/// container. This is the one specification of the bytes; each structure's writer and
/// reader cite their section here.
///
/// An index is a folder. Its `manifest` names the files of the current generation; a new
/// build writes files under a new generation number in a scratch folder of its own, moves
/// them in, then replaces the manifest atomically (written and fsynced in the scratch
/// folder, renamed over `manifest`), so readers see the old index or the new one, whole
/// (`IndexCommit`; what a folder may hold: `IndexFolder`).
/// All integers are little-endian; `varint` is unsigned LEB128 (7 bits a byte, low first:
/// `VarInt`); bits are packed least significant first.
///
/// ## Container and manifest
/// Written by `IndexFileWriter` (and `seal`), read by `IndexFile`.
/// ```
/// File            --> Header, Payload, BlockChecksums, Footer
/// Header          --> Magic "ZHSX", FormatVersion u16, FileKind u16, Reserved u64 (0)      16 bytes
/// BlockChecksums  --> CRC32 u32 ^ BlockCount       one per 32 KiB block of Header + Payload
/// Footer          --> PayloadLength u64, BlockCount u32, TableCRC u32, Magic "XSHZ"        20 bytes
///                     (TableCRC is the CRC-32 of BlockChecksums)
///
/// manifest        (kind 0) Payload --> Generation u64, AnalyzerVersion u32, AnalysisFlags u32,
///                     VariantTableCRC u32, FileCount u32,
///                     { NameLength u16, Name, ByteLength u64, TableCRC u32 } ^ FileCount
///                     AnalysisFlags: bit 0 set when traditional characters were folded to
///                     simplified ones (`Analyzer.foldsVariants`), every other bit 0;
///                     VariantTableCRC: the CRC-32 of the pairs folded (`VariantTable.checksum`),
///                     0 when bit 0 is clear. (Before version 4 neither field is there, and
///                     variants were kept apart.)
///                     (the data files in the order terms, docs, positions, paragraphs, text,
///                     files: FileCount 6; 5, without files, before format version 4)
/// ```
///
/// ## terms
/// Written by `TermDictionaryWriter`, read by `TermDictionary`.
/// ```
/// <gen>.terms     (kind 1) Payload --> TermCount u64, WordCount u64, BlockCount u64,
///                     WordTableOffset u64, BlockEntry ^ BlockCount, Block ^ BlockCount, WordTable
///   BlockEntry    --> FirstKey u64, DocsOffset u64, PositionsOffset u64, BlockOffset u64   32 bytes
///                     BlockOffset counts from the first Block; the offsets of the block's
///                     first term, the others' run on by the lengths before them
///   Block         --> { varint(KeyDelta), Head u8, [varint(DocFrequency)],
///                     [varint(Occurrences - DocFrequency)], [varint(DocsLength)],
///                     [varint(PositionsLength)] } ^ (up to 64 terms)
///                     KeyDelta: 0 for a block's first term (its key is FirstKey)
///                     Head packs the small values of the many rare terms: bits 0-1
///                     DocFrequency - 1, bit 2 set when Occurrences = DocFrequency, bits 3-5
///                     DocsLength - 1, bits 6-7 PositionsLength; a field follows in full only
///                     when its code is all ones (3, clear, 7, 3)
///   WordTable     --> WordOffset u64 ^ (WordCount + 1), WordBytes
///                     (words, and joined terms: a word's bytes, 0, the UTF-8 of the Han
///                     character right after it, at the word's positions)
///                     terms in key order, 64 to a block; Key = first << 21
///                     | second for Han (second 0 for a unigram), 1 << 63 | rank for the word
///                     of that rank in the word table, so the words come last, in byte order;
///                     Key = first << 21 | 0x1FFFFF is the character's own list: every paragraph
///                     that holds the character, with its count, and no positions
///                     (PositionsLength 0, PositionsOffset 0 in its skip entries); written for
///                     the characters whose lists hold at least characterListThreshold postings
///                     Key = first << 21 | 0x1FFFFE is the character's best paragraphs, written
///                     for the characters whose lists hold at least characterBestThreshold
///                     postings: its docs are a CharacterBest, no positions (as an own list)
/// ```
/// Worked example: one term, key 5, in one paragraph once, with 2 bytes of docs and 3 of
/// positions, is the payload TermCount 1, WordCount 0, BlockCount 1, WordTableOffset 67
/// (32 + 32 + 3), the BlockEntry 5, 0, 0, 0, the Block `00 CC 03` (KeyDelta 0; Head
/// 0b11_001_1_00: DocFrequency 1, Occurrences the same, DocsLength 2, PositionsLength
/// escaped; then varint 3), and the WordTable's one offset, 0.
///
/// ## docs
/// Written by `DocEncoder` (and `ShortList`), read by `DocIterator` (through `DocDecoder`)
/// and `DocCursor`.
/// ```
/// <gen>.docs      (kind 2) Payload --> DocList ^ TermCount      (in dictionary order)
///   CharacterBest --> UnionFrequency u32, Reserved u32 (0), DocList
///                     UnionFrequency: how many paragraphs hold the character (the total of a
///                     one-character query); the DocList: every paragraph p holding it with
///                     r(p) >= R, with its count, where r = tf / (tf + k1 * (1 - b + b * dl /
///                     avgdl)) under BM25(k1: 1.2, b: 0.75) (tf: the count; dl: p's Length;
///                     avgdl: TotalLength / ParagraphCount; in Doubles, as BM25 computes it)
///                     and R the characterBestCount-th largest r of all (every paragraph when
///                     there are no more): so no paragraph outside it scores above the lowest
///                     score of one inside
///   DocList       --> SkipEntry ^ (ceil(DocFrequency / 128) - 1), DocBits
///   DocBits       --> Doc ^ DocFrequency, padded with zero bits to a byte
///   Doc           --> Rice(Gap), Gamma(Tf)
///                     Gap = paragraph - previous paragraph - 1 (the first: its paragraph)
///                     Rice(v) = (v >> G) zero bits, a one bit, then the low G bits of v, with
///                     G = docGapBits(DocFrequency, ParagraphCount), about log2 of the mean gap
///                     Gamma(v) = n zero bits, a one bit, then the low n bits of v (n = floor(log2 v))
///   SkipEntry     --> LastParagraph u32, DocsOffset u32, PositionIndex u32, PositionsOffset u32
///                     (`SkipEntry`)
///                     one per block of 128 Docs after the first: the paragraph before the
///                     block, where the block starts in DocBits (bits), how many of the
///                     term's positions come before it, and where the block's first unary
///                     code starts in the term's HighBits (bits)
/// ```
///
/// ## positions
/// Written by `PositionAppender` (and `ShortList`) into `PositionStreams`, read by
/// `PositionReader`.
/// ```
/// <gen>.positions (kind 3) Payload --> TermPositions ^ TermCount    (in dictionary order)
///   TermPositions --> LowBits, HighBits
///   LowBits       --> the low K bits of each value, packed: ceil(Occurrences * K / 8) bytes
///   HighBits      --> for each value, (value >> K) zero bits then a one bit; padded with zero
///                     bits to a byte
///                     the values are, for each of the term's paragraphs, its first position
///                     (absolute) then the deltas from the previous one; a position is a code
///                     point offset in the folded paragraph; K = positionLowBits(TotalLength,
///                     ParagraphCount), about the log2 of the average paragraph length (Rice
///                     coding with one parameter)
/// ```
/// Worked example of docs and positions: a term found once in paragraph 7 (at position
/// 200) and three times in paragraph 11 (at positions 4, 9 and 30), in an index of 64
/// paragraphs (G = 4), has the DocList `EF 31` (no skip entries, being short): gap 7 as 1
/// then its low bits 1110 (least significant first), tf 1 as 1; gap 3 as 1 then 1100, tf 3
/// as 01 then 1. With K = 6 its position values 200, 4, 5, 21 have low bits 8, 4, 5, 21 (24
/// bits: `08 51 54`) and unary codes 0001, 1, 1, 1 (bits 0001111, padded: `78`), so its
/// positions are `08 51 54 78`.
///
/// ## paragraphs and text
/// ```
/// <gen>.paragraphs (kind 4) Payload --> ParagraphCount u64, FileCount u64, TotalLength u64,
///                     ParagraphEntry ^ ParagraphCount, NameOffset u64 ^ (FileCount + 1), NameBytes
///   ParagraphEntry --> TextOffset u64, TextLength u32, File u32, Line u32, Ordinal u32,
///                     Length u32 (tokens, for BM25), Column u32            32 bytes (`ParagraphEntry`)
///                     Column: the 1-based column, in code points, where the paragraph starts
///                     in its line (past the line's leading white space; after the first
///                     passage of a long line, where that passage starts); 0 = unknown
///                     (version 3 and before, where the field was Reserved and 0)
///                     a file's paragraphs are consecutive, in file order, by line and column
/// <gen>.text      (kind 5) Payload --> the paragraphs' UTF-8 text, concatenated
/// ```
///
/// ## files
/// Written by `FileTableWriter`, read by `FileTable` (format version 4 on; an older index
/// has none, and its manifest lists the five files above).
/// ```
/// <gen>.files     (kind 6) Payload --> FileCount u64, RootCount u64, BuiltAt i64,
///                     FileEntry ^ FileCount, StringOffset u64 ^ (2 * FileCount + RootCount + 1),
///                     StringBytes
///   FileEntry     --> Bytes u64, Modified i64, Paragraphs u32, Reserved u32 (0)        24 bytes
///                     Bytes and Modified (nanoseconds since 1970 UTC) as fstat found them
///                     when the file was read (Modified 0: the file could not be opened);
///                     Paragraphs: how many it gave
///   strings       --> Path ^ FileCount, Encoding ^ FileCount, Root ^ RootCount (UTF-8)
///                     string i runs from StringOffset i to StringOffset i + 1 in StringBytes
///                     Path: the file as reached, made absolute against the folder the build
///                     ran in and normalized without looking at the disk (no `.`, `..` or
///                     double slashes; symlinks kept); Encoding: the name of the encoding it
///                     was read in, empty when it was not read; Root: a path given to the
///                     build, absolute in the same way
///                     BuiltAt: when the build started, in seconds since 1970 UTC
/// ```
/// FileCount equals the `paragraphs` file's FileCount, and file i is the same file in both
/// (the `paragraphs` file keeps the path as reached). Worked example: one file, `/c/a.txt`,
/// of 10 bytes modified at 1.5 s, read as UTF-8 into 2 paragraphs, from the root `/c`, built
/// at 100 s, is the payload FileCount 1, RootCount 1, BuiltAt 100, the FileEntry 10,
/// 1500000000, 2, 0, the offsets 0, 8, 13, 15 and the bytes `/c/a.txtUTF-8/c` (24 + 24 + 32
/// + 15 = 95 bytes).
enum IndexFormat {
  /// The version this build writes. Version 3 added characters' best paragraphs (whose
  /// entries a reader of version 2 would count as terms), version 4 the `files` file, the
  /// manifest's AnalysisFlags and VariantTableCRC and the paragraphs' columns (0 before):
  /// versions 2 and 3 are still read.
  static let version: UInt16 = 4
  /// The versions this build reads.
  static let readableVersions: ClosedRange<UInt16> = 2...4
  /// The first version whose manifest records how the text was analyzed.
  static let analysisFlagsVersion: UInt16 = 4
  /// AnalysisFlags bit 0: traditional characters folded to simplified ones.
  static let foldsVariantsFlag: UInt32 = 1
  /// Bumped whenever analysis changes what terms a text produces. (Folding variants is an
  /// option the manifest records in AnalysisFlags: with variants kept, terms are as in version 2.)
  static let analyzerVersion: UInt32 = 2
  static let headerMagic: [UInt8] = Array("ZHSX".utf8)
  static let footerMagic: [UInt8] = Array("XSHZ".utf8)
  static let headerSize = 16
  static let footerSize = 20
  static let blockSize = 32 * 1024
  /// Docs per block of a long paragraph list; each block after the first has a skip entry.
  static let skipBlock = 128
  static let skipEntrySize = SkipEntry.size

  /// The postings (summed over every term that starts with a character) from which the
  /// character gets its own list: a single-character query then reads one list instead of
  /// counting hundreds.
  static func characterListThreshold(paragraphCount: Int) -> Int { max(4096, paragraphCount / 2) }

  /// The postings (summed as above) from which a character gets its best paragraphs: the
  /// best-scored paragraphs of a one-character query are then read from a short list.
  static func characterBestThreshold(paragraphCount: Int) -> Int { max(1024, paragraphCount / 16) }

  /// How many paragraphs a character's best paragraphs hold at least (with ties, more).
  static let characterBestCount = 128

  /// The bytes before the list of a character's best paragraphs.
  static let characterBestHeaderSize = 8

  /// G, the Rice parameter of a term's paragraph gaps: the floor of log2 of 0.69 times the
  /// mean gap (the optimum for geometric gaps), at least 0. Whatever the gaps, the unary
  /// parts of a list add up to at most ParagraphCount >> G bits.
  static func docGapBits(documentFrequency: Int, paragraphCount: Int) -> Int {
    guard documentFrequency > 0 else { return 0 }
    let scaled = paragraphCount / 100 * 69 + paragraphCount % 100 * 69 / 100
    let mean = scaled / documentFrequency
    return mean < 2 ? 0 : Int.bitWidth - 1 - mean.leadingZeroBitCount
  }

  /// K, the number of low bits of each position value stored at a fixed width: the floor
  /// of log2 of the average paragraph length in tokens, from 1 to 16, so that the unary
  /// high parts are mostly one or two bits.
  static func positionLowBits(totalLength: Int, paragraphCount: Int) -> Int {
    guard paragraphCount > 0, totalLength >= paragraphCount else { return 1 }
    let average = totalLength / paragraphCount
    return min(16, max(1, Int.bitWidth - 1 - average.leadingZeroBitCount))
  }

  /// The kinds of index file, stored in each header.
  enum FileKind: UInt16, CaseIterable, Sendable {
    case manifest = 0, terms, docs, positions, paragraphs, text, files

    /// The file's name extension (the manifest's whole name).
    var suffix: String {
      switch self {
      case .manifest: return "manifest"
      case .terms: return "terms"
      case .docs: return "docs"
      case .positions: return "positions"
      case .paragraphs: return "paragraphs"
      case .text: return "text"
      case .files: return "files"
      }
    }

    /// The file name of this kind in a generation.
    func fileName(generation: UInt64) -> String {
      self == .manifest ? "manifest" : "\(IndexFormat.generationName(generation)).\(suffix)"
    }
  }

  /// The data files of a generation, in manifest order.
  static let dataKinds: [FileKind] = [.terms, .docs, .positions, .paragraphs, .text, .files]

  /// The data files of a generation written before format version 4 (no `files`), in
  /// manifest order.
  static let legacyDataKinds: [FileKind] = [.terms, .docs, .positions, .paragraphs, .text]

  static func generationName(_ generation: UInt64) -> String {
    let digits = String(generation)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
  }

  /// The manifest's payload for the data files of `generation`, each given by its size and
  /// the checksum of its block table (in the order of `kinds`: `dataKinds`, or for tests,
  /// `legacyDataKinds` as an index of format 2 or 3 has them), analyzed with variants
  /// folded or not.
  static func manifest(
    generation: UInt64, files: [(bytes: Int, tableChecksum: UInt32)], kinds: [FileKind] = dataKinds,
    foldsVariants: Bool = true
  ) -> [UInt8] {
    var manifest = ByteBuffer()
    manifest.append(generation)
    manifest.append(analyzerVersion)
    manifest.append(foldsVariants ? foldsVariantsFlag : 0)
    manifest.append(foldsVariants ? VariantTable.checksum : 0)
    manifest.append(UInt32(kinds.count))
    for (kind, file) in zip(kinds, files) {
      let name = kind.fileName(generation: generation)
      manifest.append(UInt16(name.utf8.count))
      manifest.append(contentsOf: name.utf8)
      manifest.append(UInt64(file.bytes))
      manifest.append(file.tableChecksum)
    }
    return manifest.bytes
  }

  /// The checksum of the block table of a sealed file (from its footer), as the manifest
  /// records it.
  static func tableChecksum(ofSealed file: [UInt8]) -> UInt32 {
    guard file.count >= footerSize else { return 0 }
    return file[file.count - 8..<file.count - 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// Wraps a payload in the container: header, block checksums and footer (of format
  /// `version`: the current one, or an older one for tests of what older builds wrote).
  static func seal(_ payload: [UInt8], kind: FileKind, version: UInt16 = version) -> [UInt8] {
    var file = ByteBuffer(capacity: payload.count + payload.count / blockSize * 4 + 64)
    file.append(contentsOf: headerMagic)
    file.append(version)
    file.append(kind.rawValue)
    file.append(UInt64(0))
    file.append(contentsOf: payload)
    let covered = file.count
    var table = ByteBuffer()
    file.bytes.withUnsafeBytes { all in
      var start = 0
      while start < covered {
        let end = min(start + blockSize, covered)
        table.append(CRC32.checksum(of: UnsafeRawBufferPointer(rebasing: all[start..<end])))
        start = end
      }
    }
    file.append(contentsOf: table.bytes)
    file.append(UInt64(payload.count))
    file.append(UInt32(table.count / 4))
    file.append(CRC32.checksum(of: table.bytes))
    file.append(contentsOf: footerMagic)
    return file.bytes
  }
}
