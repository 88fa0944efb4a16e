import Testing

@testable import ZhSearch
import ZhSearchBench

struct TallyTests {
  @Test func countersSumTouchAndClear() {
    let tally = Tally(paragraphs: 10)
    tally.add(7, 2)
    tally.add(3, 1)
    tally.add(7, 5)
    #expect(Array(tally.touched) == [7, 3])
    #expect(tally.count(7) == 7 && tally.count(3) == 1)
    tally.clear()
    #expect(tally.touchedCount == 0 && tally.count(7) == 0 && tally.count(3) == 0)
  }

  @Test func touchedParagraphsSortWhetherFewOrMany() {
    for touched in [[900, 5, 300], Array((0..<600).reversed().map { $0 * 3 / 2 })] {
      let tally = Tally(paragraphs: 1000)
      for paragraph in touched { tally.add(UInt32(paragraph), 1) }
      tally.sortTouched()
      #expect(Array(tally.touched) == touched.sorted().map { UInt32($0) })
      tally.clear()
      #expect((0..<1000).allSatisfy { tally.count(UInt32($0)) == 0 })
    }
  }

  @Test func blindSumsAreFoundAscendingInOnePass() {
    let tally = Tally(paragraphs: 100)
    for (paragraph, frequency) in [(70, 2), (3, 1), (70, 5), (99, 1), (0, 4)] {
      tally.accumulate(UInt32(paragraph), UInt32(frequency))
    }
    #expect(tally.touchedCount == 0)
    tally.recordNonzero()
    #expect(Array(tally.touched) == [0, 3, 70, 99])
    #expect(tally.count(0) == 4 && tally.count(70) == 7 && tally.count(99) == 1)
    tally.clear()
    #expect((0..<100).allSatisfy { tally.count(UInt32($0)) == 0 })
  }

  @Test(arguments: [0, 1, 7, 8, 9, 63, 64, 1000])
  func blindSumsAreFoundWhateverTheirDensityAndTheCountersNumber(paragraphs: Int) {
    // Eight counters at a time where the CPU allows, the rest one by one: every mask of
    // nonzero lanes, and tails of every length, against a plain filter.
    var generator = SeededGenerator(seed: UInt64(paragraphs) + 1)
    for density in [0.0, 0.05, 0.3, 0.5, 0.9, 1.0] {
      let tally = Tally(paragraphs: paragraphs)
      var expected: [UInt32] = []
      for paragraph in 0..<paragraphs where Double.random(in: 0..<1, using: &generator) < density {
        tally.accumulate(UInt32(paragraph), UInt32.random(in: 1...3, using: &generator))
        expected.append(UInt32(paragraph))
      }
      tally.recordNonzero()
      #expect(Array(tally.touched) == expected, "\(paragraphs) counters, density \(density)")
      tally.clear()
    }
  }

  @Test func anOverflowIsFlaggedAndNeverWrapsToZero() {
    // Forged frequencies that add up to 2^32 must not bring a counter back to zero (which
    // would record the paragraph twice and leave counters set after `clear()`).
    let tally = Tally(paragraphs: 2)
    tally.add(0, 1 << 31)
    tally.add(0, 1 << 31)
    tally.add(0, 3)
    #expect(tally.overflowed)
    #expect(tally.count(0) == UInt32.max)
    #expect(tally.touchedCount == 1)
    tally.clear()
    #expect(!tally.overflowed && tally.count(0) == 0)
  }

  @Test func commonIndicesPairEachSharedParagraphsPlaceInBothLists() {
    // One tally for every pair, so a counter left set by one pair would show in the next;
    // either list the shorter.
    let tally = Tally(paragraphs: 300)
    var random = SeededGenerator(seed: 23)
    for round in 0..<300 {
      func pick(_ density: Double) -> [UInt32] {
        (0..<300).filter { _ in Double.random(in: 0..<1, using: &random) < density }.map { UInt32($0) }
      }
      let a = pick([0.0, 0.01, 0.2, 0.7, 1.0][round % 5])
      let b = pick([0.05, 0.5, 1.0, 0.0][round % 4])
      var expected: [UInt64] = []
      for (i, paragraph) in a.enumerated() {
        if let j = b.firstIndex(of: paragraph) { expected.append(UInt64(i) << 32 | UInt64(j)) }
      }
      let pairs = UnsafeMutablePointer<UInt64>.allocate(capacity: max(a.count, b.count) + 1)
      defer { pairs.deallocate() }
      let found = a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in tally.commonIndices(a, b, into: pairs) } }
      #expect(found.map { Array(UnsafeBufferPointer(start: pairs, count: $0)) } == expected, "round \(round)")
    }
    #expect((0..<300).allSatisfy { tally.count(UInt32($0)) == 0 } && tally.touchedCount == 0)
    let beyond: [UInt32] = [5, 300]
    let pairs = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
    defer { pairs.deallocate() }
    #expect(beyond.withUnsafeBufferPointer { tally.commonIndices($0, $0, into: pairs) } == nil)
  }
}
