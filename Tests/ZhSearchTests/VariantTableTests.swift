import Foundation
import Testing

@testable import ZhSearch

/// The traditional-to-simplified table: generated from ICU, and still what ICU derives.
struct VariantTableTests {
  /// The checked-in pairs, as (source, target).
  private static var checkedIn: [(source: UInt32, target: UInt32)] {
    stride(from: 0, to: VariantTable.pairs.count, by: 2).map {
      (UInt32(VariantTable.pairs[$0]), UInt32(VariantTable.pairs[$0 + 1]))
    }
  }

  /// The C source of the table, as the generator writes it.
  private static func source(of pairs: [(source: UInt32, target: UInt32)]) -> String {
    var lines = [
      "// Generated from ICU; do not edit. The table of `cicu_traditional_simplified`, written by",
      "// `ZHSEARCH_WRITE_VARIANT_PAIRS=1 swift test --filter VariantTableTests`, which otherwise",
      "// checks that it is still what this machine's ICU derives.",
      "#include \"CICUShim.h\"",
      "",
      "static const uint16_t variantPairs[] = {",
    ]
    for row in stride(from: 0, to: pairs.count, by: 8) {
      let items = pairs[row..<min(row + 8, pairs.count)].map {
        String(format: "0x%04X, 0x%04X,", $0.source, $0.target)
      }
      lines.append("  " + items.joined(separator: " "))
    }
    lines += [
      "};", "", "int32_t cshim_variant_pairs(const uint16_t **pairs) {", "  *pairs = variantPairs;",
      "  return (int32_t)(sizeof(variantPairs) / sizeof(variantPairs[0]) / 2);", "}", "",
    ]
    return lines.joined(separator: "\n")
  }

  @Test func theCheckedInTableIsWhatICUDerives() throws {
    let derived = try VariantTable.derivedFromICU()
    // Every pair lies in the Basic Multilingual Plane, which the lookup array covers.
    #expect(derived.allSatisfy { $0.source < 0x1_0000 && $0.target < 0x1_0000 })
    if ProcessInfo.processInfo.environment["ZHSEARCH_WRITE_VARIANT_PAIRS"] == "1" {
      let path = Fixtures.packageRoot + "/Sources/CICUShim/VariantPairs.c"
      try Self.source(of: derived).write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    let table = Self.checkedIn
    #expect(table.count == derived.count, "regenerate: ZHSEARCH_WRITE_VARIANT_PAIRS=1 swift test --filter VariantTableTests")
    #expect(zip(table, derived).allSatisfy { $0 == $1 })
  }

  @Test func theTableHasThousandsOfPairsAndTheKnownOnes() throws {
    let pairs = Dictionary(uniqueKeysWithValues: Self.checkedIn.map { ($0.source, $0.target) })
    #expect(pairs.count > 2000 && pairs.count < 5000, "\(pairs.count)")
    for (traditional, simplified) in [("發", "发"), ("東", "东"), ("國", "国"), ("後", "后"), ("這", "这"), ("們", "们")] {
      #expect(pairs[traditional.unicodeScalars.first!.value] == simplified.unicodeScalars.first!.value, "\(traditional)")
    }
    // Simplified characters, and other text, are not sources.
    for character in ["发", "国", "中", "a", "，"] {
      #expect(pairs[character.unicodeScalars.first!.value] == nil, "\(character)")
    }
  }

  @Test func foldingTwiceChangesNothing() {
    // No target is itself a source: a chain is followed to its end (and a loop, such as
    // ICU's 苎 and 苧, ends at its smallest code point).
    let sources = Set(Self.checkedIn.map(\.source))
    #expect(!Self.checkedIn.contains { sources.contains($0.target) })
    let folding = VariantTable.folding
    #expect(folding[0x82E7] == 0x82CE && folding[0x82CE] == 0x82CE)
  }

  @Test func theLookupArrayHoldsThePairsAndLeavesEverythingElse() {
    let pairs = Dictionary(uniqueKeysWithValues: Self.checkedIn.map { ($0.source, $0.target) })
    for c in UInt32(0)..<0x1_0000 {
      let expected = UInt16(pairs[c] ?? c)
      guard VariantTable.folding[Int(c)] == expected, VariantTable.identity[Int(c)] == UInt16(c) else {
        Issue.record("U+\(String(c, radix: 16))")
        return
      }
    }
  }

  @Test func theChecksumIsThatOfThePairs() {
    var bytes: [UInt8] = []
    for pair in Self.checkedIn {
      for unit in [UInt16(pair.source), UInt16(pair.target)] { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    }
    #expect(VariantTable.checksum == CRC32.checksum(of: bytes))
    #expect(VariantTable.checksum != 0)
  }
}
