import Testing

@testable import ZhSearch
import ZhSearchBench

struct ParagraphMarksTests {
  @Test func intersectionsAgreeWithSetsAndLeaveTheMarksClear() {
    // One set of marks for every pair, so a bit left set by one pair would show in the next.
    let marks = ParagraphMarks(paragraphs: 200)
    var random = SeededGenerator(seed: 17)
    for round in 0..<300 {
      // Sets from empty to every paragraph; the edges (0, 63, 64, 199) often in.
      let density = [0.0, 0.02, 0.3, 0.9, 1.0][round % 5]
      let other = [0.0, 0.05, 0.5, 1.0][round % 4]
      func pick(_ density: Double) -> Set<UInt32> {
        Set((0..<200).filter { _ in Double.random(in: 0..<1, using: &random) < density }.map { UInt32($0) })
      }
      let (a, b) = (pick(density), pick(other))
      let common = marks.intersection(a.sorted(), b.sorted())
      #expect(common == a.intersection(b).sorted(), "round \(round)")
    }
  }

  @Test func paragraphsBeyondTheMarksAreLeftToTheCaller() {
    let marks = ParagraphMarks(paragraphs: 64)
    #expect(marks.intersection([3, 64], [3]) == nil)
    #expect(marks.intersection([3], [2, 3, 100]) == nil)
    // Nothing was marked: an intersection that fits still finds what it should.
    #expect(marks.intersection([1, 63], [0, 1, 2, 63]) == [1, 63])
    #expect(marks.intersection([], [5]) == [] && marks.intersection([5], []) == [])
  }
}
