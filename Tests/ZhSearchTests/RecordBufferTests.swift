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

  @Test func appendingManyAtOnceKeepsThoseThereAndTheirOrder() {
    let buffer = RecordBuffer(capacity: 2)
    buffer.append(7)
    let more = (0..<1000).map { UInt64($0) &* 0x9E37_79B9 }
    more.withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
    [UInt64]().withUnsafeBufferPointer { buffer.append(contentsOf: $0) }
    #expect(Array(buffer.records) == [7] + more)
  }
}
