/// The integer fields of an index file's payload, found where the grammar in `IndexFormat`
/// puts them, and the payload with one of them set to any value: for the tests and the
/// fuzzer, which hand the reader structurally valid files with hostile counts (random byte
/// flips rarely make a count of 2^63 - 1 behind valid checksums).
///
/// A term entry's fields (varints or codes in its head byte) are set by encoding the
/// entry again, with the chosen field in full and its varint padded to the length asked
/// for, and laying out the terms payload around it (block offsets, word table offset).
struct PayloadFields {
  /// Where a field is.
  enum Location: Equatable, Sendable {
    /// A little-endian integer of `width` bytes at `offset`.
    case fixed(offset: Int, width: Int)
    /// Part `part` of the entry of term `term` (in dictionary order) in the terms file's
    /// blocks: 0 KeyDelta, 1 DocFrequency, 2 Occurrences - DocFrequency, 3 DocsLength,
    /// 4 PositionsLength.
    case termEntry(term: Int, part: Int)
  }

  struct Field: Equatable, Sendable, CustomStringConvertible {
    var name: String
    var location: Location
    /// The field's width in bytes (8 for a term entry's varint).
    var width: Int {
      if case .fixed(_, let width) = location { return width }
      return 8
    }
    var description: String { name }
  }

  let kind: IndexFormat.FileKind
  let payload: [UInt8]
  /// Every field of the payload, in payload order (term entries after the fixed fields).
  let fields: [Field]
  /// The terms payload's parts, for encoding it again (empty for other kinds).
  private var terms = Terms()

  /// The fields of `payload`, a payload of `kind`; `entries` are the index's dictionary
  /// entries (where the docs file's skip tables and best paragraphs' headers are).
  init(kind: IndexFormat.FileKind, payload: [UInt8], entries: [TermEntry]) {
    self.kind = kind
    self.payload = payload
    var fields: [Field] = []
    func add(_ name: String, _ offset: Int, _ width: Int) {
      guard offset >= 0, offset <= payload.count - width else { return }
      fields.append(Field(name: name, location: .fixed(offset: offset, width: width)))
    }
    let read = { (offset: Int, width: Int) -> Int in
      guard offset >= 0, offset <= payload.count - width else { return 0 }
      return Int(truncatingIfNeeded: payload[offset..<offset + width].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }
    switch kind {
    case .manifest:
      add("manifest Generation", 0, 8)
      add("manifest AnalyzerVersion", 8, 4)
      add("manifest AnalysisFlags", 12, 4)
      add("manifest VariantTableCRC", 16, 4)
      add("manifest FileCount", 20, 4)
      var offset = 24
      for dataKind in IndexFormat.dataKinds where offset + 2 <= payload.count {
        let nameLength = read(offset, 2)
        add("manifest NameLength of \(dataKind.suffix)", offset, 2)
        add("manifest ByteLength of \(dataKind.suffix)", offset + 2 + nameLength, 8)
        add("manifest TableCRC of \(dataKind.suffix)", offset + 2 + nameLength + 8, 4)
        offset += 2 + nameLength + 12
      }
    case .terms:
      terms = Terms(payload)
      for (i, name) in ["TermCount", "WordCount", "BlockCount", "WordTableOffset"].enumerated() {
        add("terms \(name)", 8 * i, 8)
      }
      for block in terms.blocks.indices {
        for (i, name) in ["FirstKey", "DocsOffset", "PositionsOffset", "BlockOffset"].enumerated() {
          add("terms block \(block) \(name)", 32 + 32 * block + 8 * i, 8)
        }
      }
      let wordTable = read(24, 8)
      for rank in 0...max(0, min(read(8, 8), payload.count / 8)) {
        add("terms WordOffset \(rank)", wordTable &+ 8 * rank, 8)
      }
      for term in terms.entries.indices {
        for (part, name) in ["KeyDelta", "DocFrequency", "Occurrences - DocFrequency", "DocsLength", "PositionsLength"]
          .enumerated()
        {
          fields.append(Field(name: "terms entry \(term) \(name)", location: .termEntry(term: term, part: part)))
        }
      }
    case .docs:
      for entry in entries {
        if TermKey.isCharacterBest(entry.key) {
          add("docs UnionFrequency of \(entry.key)", entry.docsRange.lowerBound - 8, 4)
          add("docs Reserved of \(entry.key)", entry.docsRange.lowerBound - 4, 4)
        }
        for skip in 0..<IndexReader.skipCount(entry) {
          for (i, name) in ["LastParagraph", "DocsOffset", "PositionIndex", "PositionsOffset"].enumerated() {
            add("docs skip \(skip) \(name) of \(entry.key)", entry.docsRange.lowerBound + 16 * skip + 4 * i, 4)
          }
        }
      }
    case .paragraphs:
      for (i, name) in ["ParagraphCount", "FileCount", "TotalLength"].enumerated() { add("paragraphs \(name)", 8 * i, 8) }
      let paragraphs = min(read(0, 8), payload.count / ParagraphEntry.size)
      for id in 0..<max(0, paragraphs) {
        let entry = ParagraphEntry.offset(of: id)
        add("paragraph \(id) TextOffset", entry, 8)
        for (i, name) in ["TextLength", "File", "Line", "Ordinal", "Length", "Column"].enumerated() {
          add("paragraph \(id) \(name)", entry + 8 + 4 * i, 4)
        }
      }
      let names = ParagraphEntry.offset(of: max(0, paragraphs))
      for file in 0...max(0, min(read(8, 8), payload.count / 8)) { add("paragraphs NameOffset \(file)", names + 8 * file, 8) }
    case .files:
      for (i, name) in ["FileCount", "RootCount", "BuiltAt"].enumerated() { add("files \(name)", 8 * i, 8) }
      let files = min(read(0, 8), payload.count / FileTableWriter.entrySize)
      for file in 0..<max(0, files) {
        let entry = FileTableWriter.headerSize + file * FileTableWriter.entrySize
        add("file \(file) Bytes", entry, 8)
        add("file \(file) Modified", entry + 8, 8)
        add("file \(file) Paragraphs", entry + 16, 4)
        add("file \(file) Reserved", entry + 20, 4)
      }
      let offsets = FileTableWriter.headerSize + max(0, files) * FileTableWriter.entrySize
      // (Each count bounded by the payload's size before any sum: they may be anything.)
      let roots = max(0, min(read(8, 8), payload.count / 8))
      let strings = min(2 * max(0, files) + roots, payload.count / 8)
      for string in 0...strings { add("files StringOffset \(string)", offsets + 8 * string, 8) }
    case .positions, .text:
      break
    }
    self.fields = fields
  }

  /// The field's value in the payload.
  func value(of field: Field) -> UInt64 {
    switch field.location {
    case .fixed(let offset, let width):
      return payload[offset..<offset + width].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    case .termEntry(let term, let part):
      return terms.entries[term][part]
    }
  }

  /// The payload with `field` set to `value` (truncated to its width); a term entry's field
  /// is written in full, as a varint of `varintLength` bytes (0: as short as it goes; past
  /// 10, malformed).
  func payload(setting field: Field, to value: UInt64, varintLength: Int = 0) -> [UInt8] {
    switch field.location {
    case .fixed(let offset, let width):
      var bytes = payload
      for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * i)) }
      return bytes
    case .termEntry(let term, let part):
      var changed = terms
      changed.entries[term][part] = value
      return changed.payload(inFull: (term, part, varintLength))
    }
  }

  /// Values that break careless arithmetic in a field of `width` bytes holding `original`:
  /// the edges of each integer width that fits, and the neighbours of the original.
  static func hostileValues(width: Int, original: UInt64) -> [UInt64] {
    let mask: UInt64 = width >= 8 ? .max : (1 << UInt64(8 * width)) - 1
    let candidates: [UInt64] = [
      0, 1, original &+ 1, original &- 1, mask - 1, mask, 1 << 31 - 1, 1 << 31, 1 << 32 - 1, 1 << 32,
      1 << 63 - 1, 1 << 63, .max - 1,
    ]
    var values: [UInt64] = []
    for value in candidates.map({ $0 & mask }) where value != original && !values.contains(value) {
      values.append(value)
    }
    return values
  }

  /// The terms payload taken apart: its header and block index as they are, each entry's
  /// five fields, and the word table's bytes.
  private struct Terms {
    var header: [UInt64] = []
    var blocks: [(firstKey: UInt64, docs: UInt64, positions: UInt64)] = []
    var entries: [[UInt64]] = []
    var wordTable: [UInt8] = []

    init() {}

    /// Parses a terms payload as the writer lays it out (a damaged one as far as it goes).
    init(_ payload: [UInt8]) {
      var reader = Reader(bytes: payload)
      header = (0..<4).map { _ in reader.fixed(8) }
      guard header.count == 4, header[2] < UInt64(payload.count / 32), header[3] <= UInt64(payload.count) else { return }
      var offsets: [Int] = []
      for _ in 0..<Int(header[2]) {
        blocks.append((reader.fixed(8), reader.fixed(8), reader.fixed(8)))
        offsets.append(Int(truncatingIfNeeded: reader.fixed(8)))
      }
      let blocksStart = reader.offset
      let termCount = Int(min(header[0], UInt64(payload.count)))
      for (b, offset) in offsets.enumerated() {
        reader.offset = blocksStart &+ offset
        for _ in 0..<max(0, min(TermDictionaryWriter.blockLength, termCount - b * TermDictionaryWriter.blockLength)) {
          guard reader.offset >= 0, reader.offset < payload.count else { return }
          let delta = reader.varint()
          let head = TermEntryHead(UInt8(truncatingIfNeeded: reader.fixed(1)))
          let fields = [TermEntryHead.Field.documentFrequency, .extraOccurrences, .docsLength, .positionsLength].map {
            head.inFull($0) ? reader.varint() : head.value($0)
          }
          entries.append([delta] + fields)
        }
      }
      wordTable = Array(payload[Int(header[3])...])
    }

    /// The payload laid out again; the entry field `inFull` is written in full, as a varint
    /// of the length given.
    func payload(inFull: (term: Int, part: Int, length: Int)) -> [UInt8] {
      var blockBytes: [[UInt8]] = []
      for (t, entry) in entries.enumerated() {
        if t % TermDictionaryWriter.blockLength == 0 { blockBytes.append([]) }
        let full = { (part: Int) -> Bool in inFull.term == t && inFull.part == part }
        let length = { (part: Int) -> Int in full(part) ? inFull.length : 0 }
        let (frequency, extra, docs, positions) = (entry[1], entry[2], entry[3], entry[4])
        let head = TermEntryHead(
          documentFrequency: frequency, extraOccurrences: extra, docsLength: docs, positionsLength: positions,
          inFull: { full($0.rawValue) })
        var bytes = Self.varint(entry[0], length: length(0))
        bytes.append(head.byte)
        for (field, value) in zip([TermEntryHead.Field.documentFrequency, .extraOccurrences, .docsLength, .positionsLength], entry[1...])
        where head.inFull(field) {
          bytes += Self.varint(value, length: length(field.rawValue))
        }
        blockBytes[blockBytes.count - 1] += bytes
      }
      var out = ByteBuffer()
      let blocksStart = 32 + 32 * blocks.count
      out.append(header[0])
      out.append(header[1])
      out.append(header[2])
      out.append(UInt64(blocksStart + blockBytes.reduce(0) { $0 + $1.count }))
      var offset = 0
      for (b, block) in blocks.enumerated() {
        out.append(block.firstKey)
        out.append(block.docs)
        out.append(block.positions)
        out.append(UInt64(offset))
        offset += b < blockBytes.count ? blockBytes[b].count : 0
      }
      for block in blockBytes { out.append(contentsOf: block) }
      out.append(contentsOf: wordTable)
      return out.bytes
    }

    /// LEB128, padded with continuation bytes to `length` bytes when it is longer.
    static func varint(_ value: UInt64, length: Int) -> [UInt8] {
      var bytes: [UInt8] = []
      var rest = value
      repeat {
        bytes.append(UInt8(rest & 0x7F) | (rest >= 0x80 ? 0x80 : 0))
        rest >>= 7
      } while rest > 0
      while bytes.count < length {
        bytes[bytes.count - 1] |= 0x80
        bytes.append(0)
      }
      return bytes
    }

    /// Reads the payload's integers, with zeros past its end.
    private struct Reader {
      let bytes: [UInt8]
      var offset = 0

      mutating func fixed(_ width: Int) -> UInt64 {
        defer { offset &+= width }
        guard offset >= 0, offset <= bytes.count - width else { return 0 }
        return bytes[offset..<offset + width].reversed().reduce(0) { $0 << 8 | UInt64($1) }
      }

      mutating func varint() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset >= 0, offset < bytes.count, shift < 64 {
          let byte = bytes[offset]
          offset += 1
          value |= UInt64(byte & 0x7F) << shift
          if byte < 0x80 { break }
          shift += 7
        }
        return value
      }
    }
  }
}
