import Testing

@testable import ZhSearch

/// Paragraph ranges in scope, and the file of each paragraph they come from.
struct ParagraphScopeTests {
  @Test func rangesContainAndFilter() {
    let scope = ParagraphScope(ranges: [2..<4, 4..<4, 7..<9])
    #expect(scope.ranges == [2..<4, 7..<9])
    #expect(scope.count == 4)
    #expect((0..<10).filter { scope.contains($0) } == [2, 3, 7, 8])
    #expect(scope.filter([0, 1, 2, 3, 5, 8, 9, 20]) == [2, 3, 8])
    let matches = scope.filter(Matches(paragraphs: [1, 3, 7], frequencies: [5, 6, 7]))
    #expect(matches.paragraphs == [3, 7])
    #expect(matches.frequencies == [6, 7])
    #expect(ParagraphScope(ranges: []).isEmpty)
  }

  @Test func eachFileIsOneRangeOfParagraphs() throws {
    let folder = Fixtures.corpusFolder(["a.txt": "一\n二\n", "b.txt": "三\n", "c.txt": "四\n五\n六\n"])
    let index = Fixtures.temporaryDirectory(named: "index")
    _ = try IndexBuilder().build(paths: [folder], into: index)
    let reader = try IndexReader(directory: index)
    let files = try ParagraphFiles(reader: reader)
    #expect(files.paths.map { FileFilter.name(of: $0) } == ["a.txt", "b.txt", "c.txt"])
    #expect(files.paragraphCounts == [2, 1, 3])
    for id in 0..<reader.paragraphCount {
      #expect(try reader.fileName(Int(files.files[id])) == reader.paragraph(id).file)
    }
    let scope = files.scope(allowing: [true, false, true])
    #expect(scope.count == 5)
    #expect((0..<UInt32(reader.paragraphCount)).filter { scope.contains($0) }.map { files.files[Int($0)] } == [0, 0, 2, 2, 2])
  }

  @Test func aScopedSearchCountsAndRanksOnlyItsParagraphsWithTheWholeIndexScores() throws {
    let reader = try IndexReader(directory: Fixtures.corpusIndex)
    let files = try ParagraphFiles(reader: reader)
    let (allowed, _) = FileFilter(globs: ["gwr-201*"], currentDirectory: "/").allowed(files.paths)
    let scope = files.scope(allowing: allowed)
    let whole = try Searcher(reader: reader)
    let scoped = try Searcher(reader: reader)
    scoped.scope = scope
    for query in ["民", "脱贫攻坚", "发展 改革", "脱贫 OR 扶贫", "经济 -增长", "2018年"] {
      let expected = try whole.matchingParagraphs(query).filter { scope.contains(UInt32($0)) }
      #expect(try scoped.matchingParagraphs(query) == expected, "query \(query)")
      let all = try whole.rank(query, limit: reader.paragraphCount)
      let inScope = all.best.filter { scope.contains(UInt32($0.paragraph)) }
      let ranking = try scoped.rank(query, limit: 5)
      #expect(ranking.total == expected.count, "query \(query)")
      #expect(ranking.best.map(\.paragraph) == inScope.prefix(5).map(\.paragraph), "query \(query)")
      for (got, want) in zip(ranking.best, inScope) { #expect(abs(got.score - want.score) < 1e-9) }
      #expect(try scoped.search(query, limit: 3).hits.allSatisfy { allowed[Int(files.files[$0.paragraph.id])] })
    }
  }
}
