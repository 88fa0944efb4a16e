import Testing

@testable import ZhSearch
import ZhSearchBench

struct CharacterListsTests {
  @Test func selectionFindsTheKthLargest() {
    var random = SeededGenerator(seed: 5)
    for count in [1, 2, 3, 10, 129, 1_000] {
      // Many ties: values from a small set.
      let values = (0..<count).map { _ in Double(Int.random(in: 0..<(count / 3 + 2), using: &random)) / 7 }
      let sorted = values.sorted(by: >)
      for k in Set([1, count / 2 + 1, count]) {
        var scrambled = values.enumerated().map { (ratio: $0.element, paragraph: UInt32($0.offset)) }
        #expect(CharacterLists.largest(k, of: &scrambled) == sorted[k - 1], "k \(k) of \(count)")
        #expect(scrambled.map(\.ratio).sorted(by: >) == sorted)
      }
    }
  }
}
