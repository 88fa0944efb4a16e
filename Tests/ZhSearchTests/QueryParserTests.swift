import Testing

@testable import ZhSearch

struct QueryParserTests {
  @Test func whitespaceSeparatesRequiredClauses() throws {
    #expect(try QueryParser.parse("脱贫  攻坚\u{3000}战") == Query(required: [["脱贫"], ["攻坚"], ["战"]]))
  }

  @Test func quotesKeepWhitespaceInsideAPhrase() throws {
    #expect(try QueryParser.parse("\"中国 人民\" 万岁") == Query(required: [["中国 人民"], ["万岁"]]))
  }

  @Test func orMakesAlternativesAndBindsTighterThanAnd() throws {
    #expect(
      try QueryParser.parse("脱贫 攻坚 OR 扶贫 OR 减贫") == Query(required: [["脱贫"], ["攻坚", "扶贫", "减贫"]]))
  }

  @Test func aLeadingMinusExcludes() throws {
    #expect(
      try QueryParser.parse("改革 -农村 -\"城市 建设\"")
        == Query(required: [["改革"]], excluded: ["农村", "城市 建设"]))
  }

  @Test func aQuotedMinusOrOrIsText() throws {
    #expect(try QueryParser.parse("\"-农村\" \"OR\"") == Query(required: [["-农村"], ["OR"]]))
  }

  @Test func aJoinerAfterADashDoesNotHideTheExclusion() throws {
    #expect(try QueryParser.parse("改革 -\u{200D}农村") == Query(required: [["改革"]], excluded: ["\u{200D}农村"]))
  }

  @Test func badQueriesAreClearErrors() {
    #expect(throws: QueryError.empty) { try QueryParser.parse("") }
    #expect(throws: QueryError.empty) { try QueryParser.parse("  \u{3000} ") }
    #expect(throws: QueryError.unbalancedQuote) { try QueryParser.parse("\"中国 人民") }
    #expect(throws: QueryError.danglingExclusion) { try QueryParser.parse("中国 -") }
    #expect(throws: QueryError.misplacedOr) { try QueryParser.parse("OR 中国") }
    #expect(throws: QueryError.misplacedOr) { try QueryParser.parse("中国 OR") }
    #expect(throws: QueryError.misplacedOr) { try QueryParser.parse("中国 OR OR 美国") }
    #expect(throws: QueryError.misplacedOr) { try QueryParser.parse("中国 OR -美国") }
    #expect(throws: QueryError.onlyExclusions) { try QueryParser.parse("-中国") }
    #expect(throws: QueryError.nothingSearchable(clause: "")) { try QueryParser.parse("\"\"") }
  }
}
