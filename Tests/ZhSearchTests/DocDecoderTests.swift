import Testing

@testable import ZhSearch
import ZhSearchBench

/// The doc bits read by `DocDecoder`, from bits written by an independent oracle (checked
/// appends of `BitWriter`, code part by code part).
struct DocDecoderTests {
  /// Writes postings as the merger does: Rice-coded gaps, gamma-coded frequencies.
  private func encodeDocs(_ postings: [(paragraph: UInt64, frequency: UInt64)], gapBits: Int) -> [UInt8] {
    var writer = BitWriter()
    var previous: UInt64? = nil
    for (paragraph, frequency) in postings {
      let gap = previous.map { paragraph - $0 - 1 } ?? paragraph
      writer.appendUnary(gap >> UInt64(gapBits))
      writer.append(gap, width: gapBits)
      let n = UInt64.bitWidth - 1 - frequency.leadingZeroBitCount
      writer.appendUnary(UInt64(n))
      writer.append(frequency, width: n)
      previous = paragraph
    }
    writer.alignToByte()
    return writer.bytes
  }

  @Test func theDocsWorkedExampleHoldsByteForByte() throws {
    // IndexFormat: paragraph 7 once, paragraph 11 three times, 64 paragraphs (G = 4).
    #expect(IndexFormat.docGapBits(documentFrequency: 2, paragraphCount: 64) == 4)
    let bytes = encodeDocs([(7, 1), (11, 3)], gapBits: 4)
    #expect(bytes == [0xEF, 0x31])
    bytes.withUnsafeBytes { raw in
      var decoder = DocDecoder(raw, gapBits: 4, paragraphCount: 64)
      let first = decoder.next(after: nil)
      #expect(first?.paragraph == 7 && first?.frequency == 1)
      let second = decoder.next(after: 7)
      #expect(second?.paragraph == 11 && second?.frequency == 3)
    }
  }

  @Test func bitsLoadedPastTheListAreNeverDecoded() throws {
    // The list [(7, 1), (11, 3)] is 2 bytes; the next list's bytes follow it in the file.
    // Whatever they hold, the decoder sees the same two postings and then the end (read
    // into the window, the all-one bytes would make a third posting, paragraph 59).
    let list = encodeDocs([(7, 1), (11, 3)], gapBits: 4)
    for filler: UInt8 in [0x00, 0xFF, 0x5A] {
      let file = list + [UInt8](repeating: filler, count: 8)
      file.withUnsafeBytes { raw in
        var decoder = DocDecoder(
          UnsafeRawBufferPointer(rebasing: raw[0..<2]), loadable: raw, gapBits: 4, paragraphCount: 64)
        let first = decoder.next(after: nil)
        #expect(first?.paragraph == 7 && first?.frequency == 1)
        let second = decoder.next(after: 7)
        #expect(second?.paragraph == 11 && second?.frequency == 3)
        #expect(decoder.next(after: 11) == nil)
      }
    }
  }

  @Test func longGapsAndLargeFrequenciesDecodeOnTheSlowPath() throws {
    // G = 0: a gap of 5,000 is 5,000 zero bits; frequencies up to 100,000 take 33 bits.
    let postings: [(paragraph: UInt64, frequency: UInt64)] = [(0, 1), (5_001, 100_000), (5_002, 2), (90_000, 7), (90_001, 1)]
    let bytes = encodeDocs(postings, gapBits: 0)
    bytes.withUnsafeBytes { raw in
      var decoder = DocDecoder(raw, gapBits: 0, paragraphCount: 100_000)
      var previous: UInt64? = nil
      for expected in postings {
        let posting = decoder.next(after: previous)
        #expect(posting?.paragraph == expected.paragraph && posting?.frequency == expected.frequency)
        previous = posting?.paragraph
      }
      // Past the end, or beyond the index's paragraphs: reported, not read.
      #expect(decoder.next(after: previous) == nil)
      var small = DocDecoder(raw, gapBits: 0, paragraphCount: 6_000)
      _ = small.next(after: nil)
      _ = small.next(after: 0)
      _ = small.next(after: 5_001)
      #expect(small.next(after: 5_002) == nil)
    }
  }

  @Test func bulkDecodingAgreesWithOnePostingAtATime() throws {
    // Mostly short codes (the bulk path), some long gaps and large frequencies (the slow
    // path), with bytes of another list after them; decoded in chunks of every size.
    var random = SeededGenerator(seed: 17)
    var postings: [(paragraph: UInt64, frequency: UInt64)] = []
    var paragraph: UInt64 = 0
    for i in 0..<2_000 {
      paragraph += i % 97 == 5 ? UInt64.random(in: 500...5_000, using: &random) : UInt64.random(in: 1...12, using: &random)
      let frequency = i % 89 == 3 ? UInt64.random(in: 70_000...900_000, using: &random) : UInt64.random(in: 1...4, using: &random)
      postings.append((paragraph, frequency))
    }
    let count = Int(paragraph) + 1
    let list = encodeDocs(postings, gapBits: 2)
    let file = list + [UInt8](repeating: 0xFF, count: 8)
    file.withUnsafeBytes { raw in
      let bits = UnsafeRawBufferPointer(rebasing: raw[0..<list.count])
      for chunk in [1, 7, 128, 2_000] {
        var decoder = DocDecoder(bits, loadable: raw, gapBits: 2, paragraphCount: count)
        let paragraphs = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
        let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
        defer { paragraphs.deallocate(); frequencies.deallocate() }
        var done = 0
        while done < postings.count {
          let size = min(chunk, postings.count - done)
          let decoded = decoder.decode(
            size, after: done == 0 ? nil : UInt64(paragraphs[done - 1]),
            paragraphs: paragraphs + done, frequencies: frequencies + done)
          #expect(decoded == size)
          done += size
        }
        #expect((0..<postings.count).map { UInt64(paragraphs[$0]) } == postings.map(\.paragraph), "chunk \(chunk)")
        #expect((0..<postings.count).map { UInt64(frequencies[$0]) } == postings.map(\.frequency), "chunk \(chunk)")
        // The filler after the list is never decoded as a posting.
        var one: (UInt32, UInt32) = (0, 0)
        #expect(decoder.decode(1, after: paragraph, paragraphs: &one.0, frequencies: &one.1) == 0)
      }
      // A paragraph beyond the index stops the decoding where it lies.
      var short = DocDecoder(bits, loadable: raw, gapBits: 2, paragraphCount: Int(postings[1_000].paragraph))
      let paragraphs = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
      let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: postings.count)
      defer { paragraphs.deallocate(); frequencies.deallocate() }
      #expect(short.decode(postings.count, after: nil, paragraphs: paragraphs, frequencies: frequencies) == 1_000)
    }
  }

  @Test func twoListsDecodedInLockstepAgreeWithEachAlone() throws {
    // Long gaps and large frequencies (the slow path) at different places in each list.
    func postings(seed: UInt64, every: Int) -> [(paragraph: UInt64, frequency: UInt64)] {
      var random = SeededGenerator(seed: seed)
      var paragraph: UInt64 = 0
      return (0..<1_500).map { i in
        paragraph += i % every == 2 ? UInt64.random(in: 300...3_000, using: &random) : UInt64.random(in: 1...9, using: &random)
        return (paragraph, i % (every + 4) == 1 ? UInt64.random(in: 50_000...90_000, using: &random) : 1)
      }
    }
    let a = postings(seed: 3, every: 61)
    let b = postings(seed: 4, every: 37)
    let count = Int(max(a.last!.paragraph, b.last!.paragraph)) + 1
    let bytesA = encodeDocs(a, gapBits: 2) + [UInt8](repeating: 0, count: 8)
    let bytesB = encodeDocs(b, gapBits: 3) + [UInt8](repeating: 0xFF, count: 8)
    bytesA.withUnsafeBytes { rawA in
      bytesB.withUnsafeBytes { rawB in
        var decoderA = DocDecoder(
          UnsafeRawBufferPointer(rebasing: rawA[0..<rawA.count - 8]), loadable: rawA, gapBits: 2, paragraphCount: count)
        var decoderB = DocDecoder(
          UnsafeRawBufferPointer(rebasing: rawB[0..<rawB.count - 8]), loadable: rawB, gapBits: 3, paragraphCount: count)
        let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * 1_500)
        defer { out.deallocate() }
        #expect(DocDecoder.decode(1_500, &decoderA, after: nil, into: out, out + 1_500, &decoderB, after: nil, into: out + 3_000, out + 4_500))
        #expect((0..<1_500).map { UInt64(out[$0]) } == a.map(\.paragraph))
        #expect((0..<1_500).map { UInt64(out[1_500 + $0]) } == a.map(\.frequency))
        #expect((0..<1_500).map { UInt64(out[3_000 + $0]) } == b.map(\.paragraph))
        #expect((0..<1_500).map { UInt64(out[4_500 + $0]) } == b.map(\.frequency))
      }
    }
  }
}
