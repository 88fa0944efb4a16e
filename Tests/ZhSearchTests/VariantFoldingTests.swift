import Foundation
import Testing

@testable import ZhSearch

/// Traditional and simplified characters matching each other, end to end: what an index
/// records, what a search finds and highlights, and the option that keeps them apart.
struct VariantFoldingTests {
  /// Paragraphs in traditional characters, simplified ones, and both.
  static let files = [
    "1954.txt": "關於發展國民經濟的第一個五年計劃。\n東北地區的工業發展很快。\n",
    "2019.txt": "坚持农业农村优先发展。\n东北振兴取得新进展。\n",
    "mixed.txt": "國家发展和改革委员会。\n中华人民共和国成立以后。\n",
  ]

  /// The text of each hit, and its highlighted spans as text.
  private func hits(_ searcher: Searcher, _ query: String) throws -> [String: [String]] {
    var found: [String: [String]] = [:]
    for hit in try searcher.search(query, limit: 100).hits {
      let characters = Array(hit.paragraph.text.unicodeScalars)
      found[hit.paragraph.text] = hit.highlights.map { String(String.UnicodeScalarView(characters[$0])) }
    }
    return found
  }

  @Test func traditionalAndSimplifiedFindTheSameParagraphs() throws {
    let searcher = try Fixtures.searcher(Self.files)
    #expect(searcher.reader.foldsVariants)
    let simplified = try searcher.matchingParagraphs("发展")
    #expect(simplified.count == 4)
    #expect(try searcher.matchingParagraphs("發展") == simplified)
    #expect(try searcher.matchingParagraphs("东北") == searcher.matchingParagraphs("東北"))
    #expect(try searcher.matchingParagraphs("东北").count == 2)
    // A phrase written half in each script.
    #expect(try searcher.matchingParagraphs("國家發展") == searcher.matchingParagraphs("国家发展"))
    #expect(try searcher.matchingParagraphs("国家发展").count == 1)
  }

  @Test func highlightsLandOnTheOriginalCharacters() throws {
    let searcher = try Fixtures.searcher(Self.files)
    let found = try hits(searcher, "发展")
    #expect(found["關於發展國民經濟的第一個五年計劃。"] == ["發展"])
    #expect(found["東北地區的工業發展很快。"] == ["發展"])
    #expect(found["坚持农业农村优先发展。"] == ["发展"])
    #expect(found["國家发展和改革委员会。"] == ["发展"])
    // The stored text is the original, and a mixed phrase is highlighted as written.
    #expect(try hits(searcher, "国家发展")["國家发展和改革委员会。"] == ["國家发展"])
    #expect(try hits(searcher, "东北")["東北地區的工業發展很快。"] == ["東北"])
  }

  @Test func keepingVariantsApartMatchesOnlyTheScriptAsWritten() throws {
    var builder = IndexBuilder()
    builder.foldsVariants = false
    let searcher = try Fixtures.searcher(Self.files, builder: builder)
    #expect(!searcher.reader.foldsVariants)
    #expect(try searcher.matchingParagraphs("發展").count == 2)
    #expect(try searcher.matchingParagraphs("发展").count == 2)
    #expect(Set(try searcher.matchingParagraphs("發展")).isDisjoint(with: try searcher.matchingParagraphs("发展")))
    #expect(try hits(searcher, "發展")["東北地區的工業發展很快。"] == ["發展"])
    #expect(try searcher.matchingParagraphs("国家发展").isEmpty)
  }

  @Test func charactersOutsideTheTableAreUnchanged() throws {
    let analyzer = try Analyzer()
    // Simplified characters, characters both scripts share, letters, digits, punctuation.
    let text = "中华人民共和国，2018年GDP增长６．６％。"
    #expect(String(decoding: analyzer.analyze(text).folded, as: UTF8.self) == "中华人民共和国,2018年gdp增长6.6%。")
    #expect(try Analyzer(foldsVariants: false).analyze(text).tokens == analyzer.analyze(text).tokens)
    // A traditional text folds to the simplified one, character for character.
    #expect(String(decoding: analyzer.analyze("關於發展國民經濟").folded, as: UTF8.self) == "关于发展国民经济")
  }

  @Test func theManifestRecordsTheChoiceAndTheTable() throws {
    for folds in [true, false] {
      var builder = IndexBuilder()
      builder.foldsVariants = folds
      let searcher = try Fixtures.searcher(Self.files, builder: builder)
      let manifest = try Self.payload(searcher.reader.directory + "/manifest")
      #expect(Array(manifest[12..<16]) == (folds ? [1, 0, 0, 0] : [0, 0, 0, 0]))
      let checksum = manifest[16..<20].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      #expect(checksum == (folds ? VariantTable.checksum : 0))
      #expect(try searcher.reader.statistics().foldsVariants == folds)
    }
  }

  @Test func anIndexFoldedWithAnotherTableIsRefused() throws {
    let searcher = try Fixtures.searcher(Self.files)
    let folder = searcher.reader.directory
    try Self.rewriteManifest(folder) { $0[16] ^= 0xFF }
    #expect(throws: IndexError.self) { try IndexReader(directory: folder) }
    do {
      _ = try IndexReader(directory: folder)
    } catch {
      #expect(error.description.contains("another table"))
      #expect(error.description.contains("rebuild the index"))
    }
  }

  @Test func aVersion3IndexIsReadWithVariantsKept() throws {
    // A version 3 manifest has no analysis fields: such an index kept variants apart.
    var builder = IndexBuilder()
    builder.foldsVariants = false
    let searcher = try Fixtures.searcher(Self.files, builder: builder)
    let folder = searcher.reader.directory
    try Self.rewriteManifest(folder, version: 3) { $0.removeSubrange(12..<20) }
    let reader = try IndexReader(directory: folder)
    #expect(!reader.foldsVariants)
    let old = try Searcher(reader: reader)
    #expect(try old.matchingParagraphs("發展").count == 2)
    #expect(try old.matchingParagraphs("发展") == searcher.matchingParagraphs("发展"))
  }

  @Test func indexKeepVariantsAndStatsSayWhich() throws {
    let corpus = Fixtures.corpusFolder(Self.files)
    let root = Fixtures.temporaryDirectory(named: "variants-cli")
    for (options, folded) in [([String](), true), (["--keep-variants"], false)] {
      let index = root + "/index\(folded)"
      #expect(try Self.run(["index", corpus, "--index", index] + options).status == 0)
      let stats = try Self.run(["stats", "--index", index])
      #expect(stats.output.contains(folded ? "variants          folded" : "variants          kept apart"))
      let json = try Self.run(["stats", "--index", index, "--json"])
      #expect(json.output.contains("\"foldsVariants\":\(folded)"))
      let search = try Self.run(["search", "发展", "--index", index])
      #expect(search.output.contains("[發展]") == folded)
    }
    let mistyped = try Self.run(["index", corpus, "--index", root + "/other", "--keep-variant"])
    #expect(mistyped.status != 0)
    #expect(mistyped.error.contains("--keep-variants"))
  }

  /// The payload of the sealed file at `path`.
  private static func payload(_ path: String) throws -> [UInt8] {
    let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let length = file[file.count - 20..<file.count - 12].reversed().reduce(0) { $0 << 8 | Int($1) }
    return Array(file[IndexFormat.headerSize..<IndexFormat.headerSize + length])
  }

  /// Seals `change(payload)` of the folder's manifest, as format `version`, in its place.
  private static func rewriteManifest(
    _ folder: String, version: UInt16 = IndexFormat.version, _ change: (inout [UInt8]) -> Void
  ) throws {
    let path = folder + "/manifest"
    var changed = try payload(path)
    change(&changed)
    let sealed = IndexFormat.seal(changed, kind: .manifest, version: version)
    try Data(sealed).write(to: URL(fileURLWithPath: path))
  }

  private static func run(_ arguments: [String]) throws -> CommandRun { try CommandRun(arguments) }
}
