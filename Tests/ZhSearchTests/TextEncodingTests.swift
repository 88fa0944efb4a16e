import Testing

@testable import ZhSearch
import ZhSearchBench

struct TextEncodingTests {
  /// 国家发展和改革委员会发布报告，经济运行总体平稳。 in GB18030.
  static let gb18030: [UInt8] = [
    0xb9, 0xfa, 0xbc, 0xd2, 0xb7, 0xa2, 0xd5, 0xb9, 0xba, 0xcd, 0xb8, 0xc4, 0xb8, 0xef, 0xce, 0xaf, 0xd4, 0xb1,
    0xbb, 0xe1, 0xb7, 0xa2, 0xb2, 0xbc, 0xb1, 0xa8, 0xb8, 0xe6, 0xa3, 0xac, 0xbe, 0xad, 0xbc, 0xc3, 0xd4, 0xcb,
    0xd0, 0xd0, 0xd7, 0xdc, 0xcc, 0xe5, 0xc6, 0xbd, 0xce, 0xc8, 0xa1, 0xa3,
  ]
  static let gb18030Text = "国家发展和改革委员会发布报告，经济运行总体平稳。"
  /// 臺灣的經濟發展與國際貿易關係密切，政府推動產業升級。 in Big5.
  static let big5: [UInt8] = [
    0xbb, 0x4f, 0xc6, 0x57, 0xaa, 0xba, 0xb8, 0x67, 0xc0, 0xd9, 0xb5, 0x6f, 0xae, 0x69, 0xbb, 0x50, 0xb0, 0xea,
    0xbb, 0xda, 0xb6, 0x54, 0xa9, 0xf6, 0xc3, 0xf6, 0xab, 0x59, 0xb1, 0x4b, 0xa4, 0xc1, 0xa1, 0x41, 0xac, 0x46,
    0xa9, 0xb2, 0xb1, 0xc0, 0xb0, 0xca, 0xb2, 0xa3, 0xb7, 0x7e, 0xa4, 0xc9, 0xaf, 0xc5, 0xa1, 0x43,
  ]
  static let big5Text = "臺灣的經濟發展與國際貿易關係密切，政府推動產業升級。"

  private func detect(_ bytes: [UInt8], isWhole: Bool = true) -> TextEncoding.Detection {
    bytes.withUnsafeBytes { TextEncoding.detect($0, isWhole: isWhole) }
  }

  @Test func byteOrderMarksNameTheirEncoding() {
    #expect(detect([0xEF, 0xBB, 0xBF, 0x41]) == .text(.utf8, skip: 3))
    #expect(detect([0xFF, 0xFE, 0x2D, 0x4E]) == .text(.charset("UTF-16LE"), skip: 2))
    #expect(detect([0xFE, 0xFF, 0x4E, 0x2D]) == .text(.charset("UTF-16BE"), skip: 2))
    #expect(detect([0xFF, 0xFE, 0, 0, 0x2D, 0x4E, 0, 0]) == .text(.charset("UTF-32LE"), skip: 4))
    #expect(detect([0, 0, 0xFE, 0xFF, 0, 0, 0x4E, 0x2D]) == .text(.charset("UTF-32BE"), skip: 4))
  }

  @Test func gb18030AndBig5AreToldApart() {
    #expect(detect(Self.gb18030) == .text(.charset("GB18030"), skip: 0))
    #expect(detect(Self.big5) == .text(.charset("Big5"), skip: 0))
    // With ASCII around them, and cut off mid-character at the end of a sample.
    #expect(detect(Array("2024 report: ".utf8) + Self.gb18030 + [0xb9], isWhole: false) == .text(.charset("GB18030"), skip: 0))
  }

  @Test func utf8WithAFewBadBytesStaysUTF8() {
    let text = Array(String(repeating: "我们要坚定不移推进改革开放。", count: 3).utf8)
    #expect(detect(text) == .text(.utf8, skip: 0, checked: true))
    #expect(detect(text + [0xFF] + text) == .text(.utf8, skip: 0))
    // A sample that ends inside a character is not invalid.
    #expect(detect(Array(text.dropLast()), isWhole: false) == .text(.utf8, skip: 0))
  }

  @Test func binaryAndUndecodableBytesAreNotText() {
    guard case .binary = detect([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) else {
      Issue.record("NUL bytes without a byte order mark are binary")
      return
    }
    // Random high bytes decode to rare characters in both GB18030 and Big5.
    var random = SeededGenerator(seed: 3)
    let noise = (0..<4000).map { _ in UInt8.random(in: 0x80...0xFF, using: &random) }
    guard case .binary = detect(noise) else {
      Issue.record("random bytes are undecodable, not text")
      return
    }
  }

  @Test func encodingNamesAreICUNamesAndAliases() {
    #expect(TextEncoding(name: "utf-8") == .utf8)
    #expect(TextEncoding(name: "GB18030")?.description.lowercased() == "gb18030")
    #expect(TextEncoding(name: "gbk") != nil)
    #expect(TextEncoding(name: "big5") != nil)
    #expect(TextEncoding(name: "no-such-encoding") == nil)
  }
}
