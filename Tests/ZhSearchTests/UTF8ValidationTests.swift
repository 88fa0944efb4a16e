import Testing

@testable import ZhSearch

struct UTF8ValidationTests {
  @Test func theFirstInvalidByteIsFoundWhereTheStandardLibraryFindsTheTextInvalid() {
    var random = SeededGenerator(seed: 8)
    let samples: [[UInt8]] = [
      Array("中文English2018年😀".utf8), [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
      [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xE4, 0xB8], [0x41, 0xFF], Array(repeating: 0x61, count: 17),
    ] + (0..<300).map { _ in (0..<Int.random(in: 1..<12, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) } }
    for bytes in samples {
      let first = bytes.withUnsafeBufferPointer(UTF8Validation.firstInvalid)
      #expect((first == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
      if let first {
        // Everything before it is valid, and no valid sequence starts at it.
        #expect(String(validating: bytes[..<first], as: UTF8.self) != nil, "\(bytes)")
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.sequenceLength($0, at: first) } == 0)
      }
    }
    #expect([0x41, 0x42, 0xE4, 0xB8, 0xAD, 0xFF].withUnsafeBufferPointer(UTF8Validation.firstInvalid) == 5)
  }

  @Test func everyOneByteChangeToChineseTextIsJudgedAsTheStandardLibraryDoes() {
    // Runs of three-byte characters are checked two at a time: change each byte of such a
    // run (and of one with a character from U+E000 on) to the values next to the edges of
    // the ranges those checks rely on.
    let texts = [Array("我们要坚定不移推进改革开放".utf8), Array("中\u{E000}文\u{FFFD}字".utf8)]
    let values: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xFF]
    for text in texts {
      for index in text.indices {
        for value in values {
          var bytes = text
          bytes[index] = value
          let first = bytes.withUnsafeBufferPointer(UTF8Validation.firstInvalid)
          #expect((first == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
          if let first { #expect(String(validating: bytes[..<first], as: UTF8.self) != nil, "\(bytes)") }
        }
      }
    }
  }

  @Test func aSequenceCutOffByTheEndIsToldApartFromAnInvalidOne() {
    #expect([0x41, 0xE4, 0xB8].withUnsafeBufferPointer { UTF8Validation.isTruncatedSequence($0, at: 1) })
    #expect(![0x41, 0xE4, 0x41].withUnsafeBufferPointer { UTF8Validation.isTruncatedSequence($0, at: 1) })
    #expect(![0x41, 0xFF].withUnsafeBufferPointer { UTF8Validation.isTruncatedSequence($0, at: 1) })
  }
}
