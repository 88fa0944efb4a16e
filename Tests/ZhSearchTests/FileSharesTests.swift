import Testing

@testable import ZhSearch

struct FileSharesTests {
  /// Ten files of 100 bytes in two shares of five, each builder allowed `limit` records.
  private func shares(limit: Int) -> FileShares {
    let files = (0..<10).map { (index: $0, path: "/f\($0).txt", bytes: 100) }
    return FileShares(files, shares: [0..<5, 5..<10], recordLimit: { _ in RecordLimit(limit) })
  }

  @Test func sharesHandOutTheirFilesInOrder() {
    let shares = shares(limit: 1000)
    #expect((0..<6).map { _ in shares.take(0)?.index } == [0, 1, 2, 3, 4, nil])
    #expect(shares.take(1)?.index == 5)
  }

  @Test func aSplitTakesTheBackHalfOfTheLargestShareWithItsBudget() throws {
    let shares = shares(limit: 1000)
    for _ in 0..<5 { _ = shares.take(0) }
    _ = shares.take(1)
    // Share 1 has files 6 to 9 left (400 bytes): files 8 and 9 go to a new share, with
    // half of the records its first 100 bytes leave (900), and it keeps the rest.
    let split = try #require(shares.split(minimumBytes: 100, recordsPerByte: 1, minimumRecords: 1))
    #expect(split.share == 2 && split.firstFile == 8)
    #expect(shares.recordLimit(2).value == 450)
    #expect(shares.recordLimit(1).value == 550)
    #expect([shares.take(1)?.index, shares.take(1)?.index, shares.take(1)?.index] == [6, 7, nil])
    #expect([shares.take(2)?.index, shares.take(2)?.index, shares.take(2)?.index] == [8, 9, nil])
  }

  @Test func noSplitWhenTooLittleIsLeftOrItsRecordsWouldNotFit() {
    let small = shares(limit: 1000)
    for _ in 0..<5 { _ = small.take(0) }
    _ = small.take(1)
    #expect(small.split(minimumBytes: 500, recordsPerByte: 1, minimumRecords: 1) == nil)
    // Nor below the smallest records limit a builder gets.
    #expect(small.split(minimumBytes: 100, recordsPerByte: 1, minimumRecords: 451) == nil)
    // 300 records: the 400 bytes left need 440 with their margin.
    let tight = shares(limit: 300)
    for _ in 0..<5 { _ = tight.take(0) }
    _ = tight.take(1)
    #expect(tight.split(minimumBytes: 100, recordsPerByte: 1, minimumRecords: 1) == nil)
    #expect(tight.recordLimit(1).value == 300)
  }

  @Test func theOtherBuildersOwnRecordsPerByteCountWhenHigher() {
    // Share 1's builder took 100 bytes into 250 records and is on its second file: at 2.5
    // records a byte, its 300 bytes left do not fit the 1,000 - 250 - 250 it has to spare.
    let shares = shares(limit: 1000)
    for _ in 0..<5 { _ = shares.take(0) }
    _ = shares.take(1)
    _ = shares.take(1, records: 250)
    #expect(shares.split(minimumBytes: 100, recordsPerByte: 1, minimumRecords: 1) == nil)
    // Nothing to go by (no records yet anywhere): no split.
    let fresh = self.shares(limit: 1000)
    for _ in 0..<5 { _ = fresh.take(0) }
    _ = fresh.take(1)
    #expect(fresh.split(minimumBytes: 100, recordsPerByte: 0, minimumRecords: 1) == nil)
  }

  @Test func noSplitFromABuilderThatSpilled() {
    let shares = shares(limit: 1000)
    for _ in 0..<5 { _ = shares.take(0) }
    _ = shares.take(1, records: 0, spilled: true)
    #expect(shares.split(minimumBytes: 100, recordsPerByte: 1, minimumRecords: 1) == nil)
  }
}
