/// A parsed query: groups of alternatives that must all match, and clauses that must not.
///
/// `脱贫 "攻坚 战" OR 扶贫 -农村` is two required groups, `[脱贫]` and `["攻坚 战", 扶贫]`,
/// and one excluded clause, `农村`. Every clause means an exact phrase after folding.
public struct Query: Equatable, Sendable {
  /// Each group is a list of alternatives; a paragraph must match one clause of every group.
  public var required: [[String]]
  /// A paragraph that matches any of these clauses is left out.
  public var excluded: [String]

  public init(required: [[String]], excluded: [String] = []) {
    self.required = required
    self.excluded = excluded
  }

  /// Every clause that contributes to the score and to highlights.
  public var positiveClauses: [String] { required.flatMap { $0 } }
}
