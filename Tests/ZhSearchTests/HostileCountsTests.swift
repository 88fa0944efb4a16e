import Foundation
import Testing

@testable import ZhSearch

/// Index files whose checksums are all valid but whose integers are hostile (a term count
/// of 2^63 - 1, an offset of 2^32, a varint of ten bytes): opening, `verify`, `stats`,
/// `files` and searching must answer or report damage, never trap.
struct HostileCountsTests {
  /// A small index in a folder of its own: 300 paragraphs in two files, lists with skip
  /// tables, a character with its own list and best paragraphs, words and joined terms.
  final class Index {
    let root: String
    let folder: String
    let generation: UInt64
    let payloads: [IndexFormat.FileKind: [UInt8]]
    let entries: [TermEntry]

    init() throws {
      root = Fixtures.temporaryDirectory(named: "hostile")
      var texts = ["", ""]
      for i in 0..<300 {
        texts[i % 2] += "第\(i)段：国家发展改革，人民生活水平提高，2018年GDP增长\(i % 7)%。国民国际国务国土国旗国歌国防国库国力国会国界国籍国宝。\n"
      }
      try FileManager.default.createDirectory(atPath: root + "/corpus", withIntermediateDirectories: true)
      for (i, text) in texts.enumerated() {
        try text.write(toFile: root + "/corpus/\(i).txt", atomically: true, encoding: .utf8)
      }
      folder = root + "/index"
      _ = try IndexBuilder(threads: 1).build(paths: [root + "/corpus"], into: folder)
      let reader = try IndexReader(directory: folder)
      let generation = reader.generation
      self.generation = generation
      var entries: [TermEntry] = []
      try reader.dictionary.forEach { entries.append($0) }
      self.entries = entries
      var payloads: [IndexFormat.FileKind: [UInt8]] = [:]
      for kind in IndexFormat.FileKind.allCases {
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + kind.fileName(generation: generation))))
        let length = file[file.count - 20..<file.count - 12].reversed().reduce(0) { $0 << 8 | Int($1) }
        payloads[kind] = Array(file[IndexFormat.headerSize..<IndexFormat.headerSize + length])
      }
      self.payloads = payloads
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ kind: IndexFormat.FileKind) -> String { folder + "/" + kind.fileName(generation: generation) }

    /// Writes `payload` as the file of `kind`, sealed with valid checksums, and a manifest
    /// that lists it (for the manifest itself, `payload` is the manifest's).
    func write(_ payload: [UInt8], as kind: IndexFormat.FileKind) {
      var manifest = IndexFormat.seal(payloads[.manifest]!, kind: .manifest)
      if kind == .manifest {
        manifest = IndexFormat.seal(payload, kind: .manifest)
      } else {
        var files: [(bytes: Int, tableChecksum: UInt32)] = []
        for other in IndexFormat.dataKinds {
          let sealed = IndexFormat.seal(other == kind ? payload : payloads[other]!, kind: other)
          if other == kind { _ = FileManager.default.createFile(atPath: path(kind), contents: Data(sealed)) }
          files.append((sealed.count, IndexFormat.tableChecksum(ofSealed: sealed)))
        }
        manifest = IndexFormat.seal(IndexFormat.manifest(generation: generation, files: files), kind: .manifest)
      }
      _ = FileManager.default.createFile(atPath: path(.manifest), contents: Data(manifest))
    }

    /// Whether `key` is among the terms the queries read: a word, 国家, 人民 or one of 国's
    /// own list and best paragraphs.
    func isQueried(_ key: UInt64) -> Bool {
      key & TermKey.wordFlag != 0 || key == TermKey.han(0x56FD, 0x5BB6) || key == TermKey.han(0x4EBA, 0x6C11)
        || key == TermKey.characterBest(0x56FD) || key == TermKey.characterList(0x56FD)
    }

    static let queries = [
      "国", "国家", "人民生活水平", "国民国际", "\"发展改革，人民\"", "2018年", "gdp", "2018", "国家 -人民", "国 OR 民",
      "国 家",
    ]

    /// Opens the index and runs what `verify`, `stats` and searches run; returns whether
    /// each step answered (true) or reported damage (false). A trap ends the test process.
    @discardableResult
    func exercise() -> [Bool] {
      let reader: IndexReader
      do { reader = try IndexReader(directory: folder) } catch { return [false] }
      var outcomes = [reader.problems(limit: 5).isEmpty]
      outcomes.append((try? reader.statistics()) != nil)
      outcomes.append((try? reader.files()) != nil)
      guard let searcher = try? Searcher(reader: reader) else { return outcomes + [false] }
      for query in Self.queries {
        do {
          outcomes.append(!(try searcher.search(query, limit: 3).hits.contains { $0.paragraph.text.isEmpty }))
        } catch {
          guard case .index = error else {
            Issue.record("\(query): \(error)")
            return outcomes
          }
          outcomes.append(false)
        }
      }
      outcomes.append((try? searcher.search("国", limit: 100)) != nil)
      return outcomes
    }

    /// Sets each of `fields` of `kind`'s payload to each hostile value in turn and
    /// exercises the index; returns how many cases ran.
    func attack(_ kind: IndexFormat.FileKind, where selected: (PayloadFields.Field) -> Bool) -> Int {
      let fields = PayloadFields(kind: kind, payload: payloads[kind]!, entries: entries)
      var cases = 0
      for field in fields.fields where selected(field) {
        let original = fields.value(of: field)
        var variants = PayloadFields.hostileValues(width: field.width, original: original).map { (value: $0, length: 0) }
        if case .termEntry = field.location { variants += [(original, 10), (original, 11)] }
        for variant in variants {
          write(fields.payload(setting: field, to: variant.value, varintLength: variant.length), as: kind)
          let outcomes = exercise()
          // A value padded to ten varint bytes is still the value; eleven are malformed.
          if variant.length == 10 { #expect(outcomes.allSatisfy { $0 }, "\(field) padded") }
          if variant.length == 11 { #expect(outcomes.first == false, "\(field) overlong") }
          cases += 1
        }
      }
      write(payloads[kind]!, as: kind)
      return cases
    }
  }

  @Test func theUntouchedIndexAnswersEveryQuery() throws {
    let index = try Index()
    // Laid out again with nothing changed, each payload is the same bytes.
    for kind in IndexFormat.FileKind.allCases {
      let fields = PayloadFields(kind: kind, payload: index.payloads[kind]!, entries: index.entries)
      if let field = fields.fields.first {
        #expect(fields.payload(setting: field, to: fields.value(of: field)) == index.payloads[kind]!, "\(kind)")
      }
    }
    #expect(index.exercise().allSatisfy { $0 })
    // The fixture has what the attacks need: skip tables, a character's best paragraphs and
    // own list, words.
    #expect(index.entries.contains { TermKey.isCharacterBest($0.key) })
    #expect(index.entries.contains { TermKey.isCharacterList($0.key) })
    #expect(index.entries.contains { $0.documentFrequency > 2 * IndexFormat.skipBlock })
    #expect(index.entries.contains { $0.key & TermKey.wordFlag != 0 })
  }

  @Test func aTermCountOfIntMaxIsReportedAsDamage() throws {
    let index = try Index()
    var payload = index.payloads[.terms]!
    payload.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    index.write(payload, as: .terms)
    #expect {
      _ = try IndexReader(directory: index.folder)
    } throws: { error in
      guard case .corrupt(let file, _) = error as? IndexError else { return false }
      return file.hasSuffix(".terms")
    }
  }

  @Test(.timeLimit(.minutes(5)))
  func hostileManifestFields() throws {
    let index = try Index()
    #expect(index.attack(.manifest) { _ in true } > 100)
  }

  @Test(.timeLimit(.minutes(5)))
  func hostileDictionaryFields() throws {
    let index = try Index()
    // The terms the queries read first, the first and last of the dictionary, and the
    // first of its second block; the block index's first two and last entries.
    let read = index.entries.indices.filter { index.isQueried(index.entries[$0].key) }.prefix(6)
    let chosen = Set(read).union([0, TermDictionaryWriter.blockLength, index.entries.count - 1])
    let blocks = (index.entries.count + TermDictionaryWriter.blockLength - 1) / TermDictionaryWriter.blockLength
    let cases = index.attack(.terms) { field in
      switch field.location {
      case .termEntry(let term, _): return chosen.contains(term)
      case .fixed:
        if field.name.contains("WordOffset") { return field.name.hasSuffix(" 0") || field.name.hasSuffix(" 1") }
        return !field.name.contains("block") || ["block 0 ", "block 1 ", "block \(blocks - 1) "].contains { field.name.contains($0) }
      }
    }
    #expect(cases > 500)
  }

  @Test(.timeLimit(.minutes(5)))
  func hostileSkipEntriesAndBestParagraphsHeaders() throws {
    let index = try Index()
    // The skip entries and headers of the lists the queries read.
    let cases = index.attack(.docs) { field in
      index.entries.contains { index.isQueried($0.key) && field.name.hasSuffix(" of \($0.key)") }
    }
    #expect(cases > 200)
  }

  @Test(.timeLimit(.minutes(5)))
  func hostileParagraphTableFields() throws {
    let index = try Index()
    // The header, the name offsets, and the entries of the first, a middle and the last paragraph.
    let cases = index.attack(.paragraphs) { field in
      !field.name.hasPrefix("paragraph ") || ["paragraph 0 ", "paragraph 1 ", "paragraph 150 ", "paragraph 299 "].contains {
        field.name.hasPrefix($0)
      }
    }
    #expect(cases > 200)
  }

  @Test(.timeLimit(.minutes(5)))
  func hostileFileTableFields() throws {
    let index = try Index()
    // Every field: the header, both files' entries and every string offset.
    let cases = index.attack(.files) { _ in true }
    #expect(cases > 100)
  }
}
