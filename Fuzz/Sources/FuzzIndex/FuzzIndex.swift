// libFuzzer target: any bytes as one file of an index, opened, verified and searched.
//
// Input: a mode byte, then the bytes. The mode's low six bits pick the file (the five data
// files of format 3, the manifest, then the files table); with its high bit set the bytes are the whole file, else they
// are the file's payload, sealed with valid checksums and listed in a matching manifest, so
// that the decoders behind the checksums see them. With bit 0x40 set (and the high bit
// clear) the bytes are edits of the original payload instead: each 4 bytes, a field (u16,
// little-endian, modulo the payload's integer fields: see PayloadFields), a value (one of
// the field's hostile values, modulo their count; 255: the next 8 bytes, little-endian),
// and a varint length for a term entry's field; the payload so edited is sealed as above.
// So the fuzzer reaches structurally valid files with hostile counts, which byte flips
// rarely make.
import Foundation

@testable import ZhSearch

/// A small index, built once per fuzzing process, and its files' original bytes.
private let base: (folder: String, files: [IndexFormat.FileKind: [UInt8]]) = {
  let folder = NSTemporaryDirectory() + "zhsearch-fuzz-index-\(getpid())"
  try? FileManager.default.createDirectory(atPath: folder + "/corpus", withIntermediateDirectories: true)
  // Enough paragraphs for skip tables (lists of more than 128) and many terms.
  var text = ""
  for i in 0..<300 { text += "第\(i)段：国家发展改革，人民生活水平提高，2018年GDP增长\(i % 7)%。\n" }
  _ = FileManager.default.createFile(atPath: folder + "/corpus/a.txt", contents: Data(text.utf8))
  do {
    _ = try IndexBuilder(threads: 1).build(paths: [folder + "/corpus"], into: folder + "/index")
  } catch {
    fatalError("cannot build the fuzzing index: \(error)")
  }
  var files: [IndexFormat.FileKind: [UInt8]] = [:]
  for kind in IndexFormat.FileKind.allCases {
    files[kind] = Array(FileManager.default.contents(atPath: folder + "/index/" + kind.fileName(generation: 1)) ?? Data())
  }
  return (folder + "/index", files)
}()

/// The original index's dictionary entries, where the docs file's fields are.
private let baseEntries: [TermEntry] = {
  var entries: [TermEntry] = []
  try? IndexReader(directory: base.folder).dictionary.forEach { entries.append($0) }
  return entries
}()

/// The payload of `kind`'s original file.
private func originalPayload(_ kind: IndexFormat.FileKind) -> [UInt8] {
  let file = base.files[kind]!
  let length = file[file.count - 20..<file.count - 12].reversed().reduce(0) { $0 << 8 | Int($1) }
  return Array(file[IndexFormat.headerSize..<IndexFormat.headerSize + length])
}

/// The original payload of `kind` with the edits in `bytes` (see the top of the file).
private func edited(_ kind: IndexFormat.FileKind, _ bytes: [UInt8]) -> [UInt8] {
  var payload = originalPayload(kind)
  var at = 0
  // A few edits: each one parses the payload again.
  for _ in 0..<8 where at + 4 <= bytes.count {
    let fields = PayloadFields(kind: kind, payload: payload, entries: baseEntries)
    guard !fields.fields.isEmpty else { break }
    let field = fields.fields[(Int(bytes[at]) | Int(bytes[at + 1]) << 8) % fields.fields.count]
    let (selector, length) = (Int(bytes[at + 2]), Int(bytes[at + 3]) % 12)
    at += 4
    var value: UInt64
    if selector == 255 && at + 8 <= bytes.count {
      value = bytes[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) }
      at += 8
    } else {
      let hostile = PayloadFields.hostileValues(width: field.width, original: fields.value(of: field))
      value = hostile[selector % hostile.count]
    }
    payload = fields.payload(setting: field, to: value, varintLength: length)
  }
  return payload
}

private func write(_ bytes: [UInt8], _ kind: IndexFormat.FileKind) {
  _ = FileManager.default.createFile(atPath: base.folder + "/" + kind.fileName(generation: 1), contents: Data(bytes))
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
  // With ZHSEARCH_FUZZ_SEEDS=DIR, writes each file's payload (and each whole file) as seeds.
  if let seeds = ProcessInfo.processInfo.environment["ZHSEARCH_FUZZ_SEEDS"] {
    try? FileManager.default.createDirectory(atPath: seeds, withIntermediateDirectories: true)
    for (index, kind) in (IndexFormat.dataKinds + [.manifest]).enumerated() {
      let file = base.files[kind]!
      let payload = originalPayload(kind)
      _ = FileManager.default.createFile(atPath: seeds + "/payload-\(kind.suffix)", contents: Data([UInt8(index)] + payload))
      _ = FileManager.default.createFile(atPath: seeds + "/file-\(kind.suffix)", contents: Data([UInt8(index) | 0x80] + file))
    }
    exit(0)
  }
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  guard count > 0 else { return 0 }
  // (In this order, the inputs kept from before the files table pick the same files.)
  let kinds = IndexFormat.legacyDataKinds + [.manifest, .files]
  let kind = kinds[Int(data[0] & 0x3F) % kinds.count]
  var bytes = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
  if data[0] & 0xC0 == 0x40 { bytes = edited(kind, bytes) }
  if data[0] & 0x80 != 0 || kind == .manifest {
    write(data[0] & 0x80 != 0 ? bytes : IndexFormat.seal(bytes, kind: kind), kind)
  } else {
    let sealed = IndexFormat.seal(bytes, kind: kind)
    write(sealed, kind)
    let files = IndexFormat.dataKinds.map { other in
      let file = other == kind ? sealed : base.files[other]!
      return (bytes: file.count, tableChecksum: IndexFormat.tableChecksum(ofSealed: file))
    }
    write(IndexFormat.seal(IndexFormat.manifest(generation: 1, files: files), kind: .manifest), .manifest)
  }
  defer {
    write(base.files[kind]!, kind)
    write(base.files[.manifest]!, .manifest)
  }
  // Opening, verifying and searching must report damage or answer, never trap or hang.
  guard let reader = try? IndexReader(directory: base.folder) else { return 0 }
  _ = reader.problems(limit: 3)
  _ = try? reader.files()
  _ = try? reader.statistics()
  guard let searcher = try? Searcher(reader: reader) else { return 0 }
  for query in ["国家", "国", "人民生活", "2018年", "gdp", "\"发展改革，人民\"", "国家 -人民", "国 OR 民"] {
    _ = try? searcher.search(query, limit: 3)
  }
  return 0
}
