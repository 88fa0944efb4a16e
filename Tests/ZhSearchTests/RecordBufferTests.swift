import Testing

@testable import ZhSearch

struct RecordBufferTests {
  @Test func growingKeepsEveryRecordInOrder() {
    let buffer = RecordBuffer()
    for value in 0..<10_000 { buffer.append(UInt64(value) * 3) }
    #expect(buffer.count == 10_000)
    #expect(Array(buffer.records) == (0..<10_000).map { UInt64($0) * 3 })
    buffer.removeAll()
    #expect(buffer.isEmpty && buffer.capacity >= 10_000)
  }

  @Test func swappingExchangesRecordsAndCapacity() {
    let a = RecordBuffer(capacity: 4)
    let b = RecordBuffer(capacity: 100)
    a.append(1)
    a.append(2)
    b.append(9)
    a.swapContents(with: b)
    #expect(Array(a.records) == [9] && a.capacity == 100)
    #expect(Array(b.records) == [1, 2] && b.capacity == 4)
  }
}
