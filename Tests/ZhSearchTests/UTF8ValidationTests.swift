import Testing

@testable import ZhSearch
import ZhSearchBench

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

  @Test func longTextsCheckedThirtyTwoBytesAtATimeGiveTheSameFirstErrorAsOneAtATime() {
    // Long enough for the vector check and its blocks' edges: a mixed text with each byte
    // changed to the values next to the edges of the ranges, then cut at every length
    // (sequences cut off by the end), then random bytes, and random mixes of sequences.
    let text = Array(String(repeating: "我们要坚定不移推进改革开放，2018年GDP增长6.6%。😀 \u{E000}é", count: 3).utf8)
    let values: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
    func check(_ bytes: [UInt8]) {
      bytes.withUnsafeBufferPointer { buffer in
        let first = UTF8Validation.firstInvalid(buffer)
        #expect(first == UTF8Validation.firstInvalid(buffer, from: 0), "\(bytes)")
        #expect((first == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
      }
    }
    for index in text.indices {
      for value in values {
        var bytes = text
        bytes[index] = value
        check(bytes)
      }
    }
    for length in 0...text.count { check(Array(text[..<length])) }
    var random = SeededGenerator(seed: 32)
    let pieces: [[UInt8]] = [[0x41], [0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xE4, 0xB8], [0xF0, 0x9F], [0xED, 0xA0, 0x80], [0xFF]]
    for _ in 0..<2000 {
      var bytes: [UInt8] = []
      let valid = Bool.random(using: &random)
      while bytes.count < Int.random(in: 32..<160, using: &random) {
        bytes += pieces[Int.random(in: 0..<(valid ? 4 : pieces.count), using: &random)]
      }
      if !valid && Bool.random(using: &random) { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
      check(bytes)
    }
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
