/// One clause's matches: paragraphs ascending, with how often each contains the clause.
struct Matches {
  var paragraphs: [UInt32] = []
  var frequencies: [UInt32] = []
}
