import CICUShim
import Dispatch
import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a corpus (files and folders) and writes its index: the whole `zhsearch index` job.
///
/// The files are cut into one contiguous share per thread, balanced by size (a thread that
/// runs out of files takes the back half of another's: `FileShares`). Each thread reads
/// its files, cuts them into paragraphs and analyzes them into a `RunBuilder`,
/// which spills a sorted scratch run whenever its share of the memory budget fills (a thread
/// that never fills it keeps its sorted records in memory instead). The runs are then
/// merged into the final files (`RunMerger`) while the paragraph texts and table are
/// concatenated, the file table is written (`FileTableWriter`), and `IndexCommit` publishes
/// the new generation. Peak memory is the budget plus small buffers, whatever the corpus
/// size.
public struct IndexBuilder: Sendable {
  /// What one build did.
  public struct Report: Sendable {
    /// Files indexed (in whole or, after a read error, in part).
    public var files: Int
    /// What was skipped or repaired, in the order of the files.
    public var warnings: [CorpusWarning]
    public var paragraphs: Int
    public var inputBytes: Int
    /// Scratch runs the merge read (written, or kept in memory by a worker).
    public var scratchRuns: Int
    public var statistics: IndexStatistics
    /// Seconds per stage, summed over threads (merge and commit: wall-clock seconds).
    public var timings: Timings
    /// Wall-clock seconds of the whole build.
    public var seconds: Double
  }

  /// An error from either the corpus or the index.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case corpus(CorpusError)
    case index(IndexError)
    case icu(ICUError)

    public var description: String {
      switch self {
      case .corpus(let error): return error.description
      case .index(let error): return error.description
      case .icu(let error): return error.description
      }
    }
  }

  /// Lines longer than this many characters are cut into passages.
  public var maxParagraphLength: Int
  /// Threads that read and analyze at once, and that merge.
  public var threads: Int
  /// Bytes the buffered records of all threads may take before they are spilled (at most
  /// the machine's memory is used: more cannot be resident).
  public var memoryBudget: Int
  private var usableMemory: Int { min(memoryBudget, Int(clamping: ProcessInfo.processInfo.physicalMemory)) }
  /// Called now and then from any thread with the number of input bytes done so far.
  public var progress: (@Sendable (Int) -> Void)?
  /// Called from any thread with each warning as it happens (they are also in the report).
  public var warn: (@Sendable (CorpusWarning) -> Void)?
  /// Called with news worth a line to the user that is not about a file (a wait for a lock).
  public var notice: (@Sendable (String) -> Void)?
  /// The encoding of every file; nil to detect each file's (see `TextEncoding.detect`).
  public var encoding: TextEncoding?
  /// Whether traditional characters are indexed as their simplified forms (so that each
  /// matches the other), as the manifest then records; false keeps them apart.
  public var foldsVariants = true
  /// Chunks of about equal work that the merge cuts the key range into (fewer for a small
  /// index), taken by its threads as they come free. (Small enough that the thread that
  /// finishes first waits little for another's last chunk.)
  var mergeChunks = 64
  /// The least work (records, or postings bytes of a spilled run) a merge chunk is cut
  /// for.
  var minimumMergeChunkWork = 1 << 17
  /// Bytes of encoded postings a merge thread holds before it writes them out (its buffers'
  /// size; smaller in tests, so that chunks of the bundled corpus outgrow them).
  var mergeFlushBytes = 1 << 20
  /// Bytes of files a share must have left for a worker that ran out of files to split off
  /// its back half (`FileShares.split`). (Small enough that the workers end their analysis
  /// close together.)
  var minimumSplitBytes = 1 << 19

  public init(
    maxParagraphLength: Int = 400, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    memoryBudget: Int = 256 << 20
  ) {
    self.maxParagraphLength = maxParagraphLength
    self.threads = max(1, threads)
    self.memoryBudget = memoryBudget
  }

  /// Indexes `paths` into `directory`, replacing any index there only once the new one is
  /// complete and on disk.
  ///
  /// Paths and files that cannot be read are skipped with a warning; when nothing at all
  /// could be indexed the build fails with `CorpusError.nothingIndexed` and any index
  /// already in `directory` stays as it was.
  public func build(paths: [String], into directory: String) throws(Failure) -> Report {
    let start = Timings.now()
    Timings.startTickClock()
    let build = Build(paths: paths, builtAt: Int64(time(nil)))
    let (files, listingWarnings) = CorpusReader.scanSized(paths)
    for warning in listingWarnings { warn?(warning) }
    guard !files.isEmpty else {
      throw .corpus(listingWarnings.isEmpty ? .noTextFiles(paths: paths) : .nothingIndexed(skipped: listingWarnings.count))
    }
    do { _ = try CorpusReader(maxParagraphLength: maxParagraphLength) } catch { throw .icu(error) }
    let commit: IndexCommit
    do {
      commit = try IndexCommit(directory: directory) {
        notice?("another zhsearch index run is writing \(directory); waiting for it to finish")
      }
    } catch {
      throw .index(error)
    }
    do {
      var report = try self.build(files: files, commit: commit, start: start, build: build)
      report.warnings = listingWarnings + report.warnings
      return report
    } catch {
      commit.abandon()
      throw error
    }
  }

  /// What the file table records of a build as a whole: the folder it ran in, the paths it
  /// was given (absolute) and when it started.
  private struct Build {
    let folder: String?
    let roots: [String]
    let builtAt: Int64

    init(paths: [String], builtAt: Int64) {
      folder = FilePaths.currentDirectory()
      roots = paths.map { [folder] in FilePaths.absolute($0, base: folder) }
      self.builtAt = builtAt
    }
  }

  /// What a worker found reading one file, for the file table.
  typealias FileFacts = (bytes: Int, modified: Int64?, encoding: String?, paragraphs: Int)

  private func build(
    files: [(path: String, bytes: Int)], commit: IndexCommit, start: Double, build: Build
  ) throws(Failure) -> Report {
    let scratch = commit.scratch
    let partition = Self.partition(files, into: threads)
    // Three quarters of the budget for buffered records; the rest is left for file buffers,
    // analyzers and the pages of the files being merged.
    // (At most 2^31 records a builder: a term list packs a record index into 32 bits.)
    let records = min(1 << 31, max(1 << 16, usableMemory / 4 * 3 / partition.count / RunBuilder.bytesPerRecord))
    let shares = FileShares(
      Array(partition.joined()), shares: partition.map { $0.startIndex..<$0.endIndex }, recordLimit: { _ in RecordLimit(records) })
    let results = ResultSlots<[(firstFile: Int, builder: RunBuilder)], Failure>(count: partition.count)
    let facts = ResultSlots<FileFacts, Never>(count: files.count)
    let done = ProgressCounter(progress)
    let limit = maxParagraphLength
    let splitBytes = minimumSplitBytes
    let encoding = encoding
    let foldsVariants = foldsVariants
    let warn = warn
    // The first worker's texts go straight to the final text file, which the thread that
    // concatenates the others' then takes over.
    let finalText: IndexFileWriter
    do { finalText = try IndexFileWriter(path: commit.path(of: .text), kind: .text) } catch { throw .index(error) }
    nonisolated(unsafe) let firstText = finalText
    DispatchQueue.concurrentPerform(iterations: partition.count) { worker in
      results.store(
        worker,
        Self.runWorker(
          worker, shares: shares, firstFile: partition[worker].startIndex, scratch: scratch,
          finalText: worker == 0 ? firstText : nil, minimumSplitBytes: splitBytes, maxParagraphLength: limit, encoding: encoding,
          foldsVariants: foldsVariants, progress: done, facts: facts, warn: warn))
    }
    var built: [(firstFile: Int, builder: RunBuilder)] = []
    for result in results.all {
      switch result {
      case .success(let builders): built += builders
      case .failure(let error): throw error
      case nil: throw .index(.io(path: scratch, reason: "a worker did not finish"))
      }
    }
    // In file order: a share split off another comes after what is left of it.
    let builders = built.sorted { $0.firstFile < $1.firstFile }.map(\.builder)
    guard builders.contains(where: { $0.paragraphCount > 0 }) else {
      throw .corpus(.nothingIndexed(skipped: builders.reduce(0) { $0 + $1.warnings.count { $0.skipped } }))
    }
    // Each file's record: the path absolute, the rest as its worker found it (the size as
    // listed, for a file that could not be opened).
    let found = facts.all
    let fileRecords = files.enumerated().map { index, file in
      let fact: FileFacts = found[index].map { result in switch result { case .success(let fact): fact } }
        ?? (file.bytes, nil, nil, 0)
      return IndexedFile(
        path: FilePaths.absolute(file.path, base: build.folder), isAbsolute: true, encoding: fact.encoding,
        bytes: fact.bytes, modified: fact.modified, paragraphs: fact.paragraphs)
    }
    do {
      return try finish(
        builders, files: files.map(\.path), records: fileRecords, build: build, commit: commit, scratch: scratch,
        text: finalText, start: start)
    } catch {
      throw .index(error)
    }
  }

  /// Reads, cuts and analyzes share `worker` of the files, then, while another share has
  /// enough left, the back half of it split off (`FileShares.split`); then sorts each
  /// builder's records.
  ///
  /// - Returns: the builders, each with the index of its first file.
  private static func runWorker(
    _ worker: Int, shares: FileShares, firstFile: Int, scratch: String, finalText: IndexFileWriter?,
    minimumSplitBytes: Int, maxParagraphLength: Int, encoding: TextEncoding?, foldsVariants: Bool, progress: ProgressCounter,
    facts: ResultSlots<FileFacts, Never>, warn: (@Sendable (CorpusWarning) -> Void)?
  ) -> Result<[(firstFile: Int, builder: RunBuilder)], Failure> {
    do throws(Failure) {
      let reader: CorpusReader
      let analyzer: Analyzer
      do {
        reader = try CorpusReader(maxParagraphLength: maxParagraphLength)
        analyzer = try Analyzer(foldsVariants: foldsVariants)
      } catch {
        throw .icu(error)
      }
      let decoder = FileDecoder()
      var builders: [(firstFile: Int, builder: RunBuilder)] = []
      var share = worker
      var first = firstFile
      while true {
        let builder: RunBuilder
        do {
          builder = try RunBuilder(
            worker: share, scratch: scratch, recordLimit: shares.recordLimit(share), analyzer: analyzer,
            finalText: share == 0 ? finalText : nil)
        } catch {
          throw .index(error)
        }
        try index(
          shares, share, into: builder, reader: reader, decoder: decoder, encoding: encoding, progress: progress, facts: facts,
          warn: warn)
        builders.append((first, builder))
        // Half of what is left of the largest share, when that is worth a run of its
        // own (at least a megabyte left), with records budget in proportion.
        let perByte = Double(builder.recordCount) / Double(max(1, builder.inputBytes))
        guard let (next, nextFirst) = shares.split(minimumBytes: minimumSplitBytes, recordsPerByte: perByte) else { break }
        (share, first) = (next, nextFirst)
      }
      for (_, builder) in builders {
        do { try builder.finish() } catch { throw .index(error) }
      }
      return .success(builders)
    } catch {
      return .failure(error)
    }
  }

  /// Reads, cuts and analyzes the files of share `share` into `builder`, one by one.
  private static func index(
    _ shares: FileShares, _ share: Int, into builder: RunBuilder, reader: CorpusReader, decoder: FileDecoder,
    encoding: TextEncoding?, progress: ProgressCounter, facts: ResultSlots<FileFacts, Never>,
    warn: (@Sendable (CorpusWarning) -> Void)?
  ) throws(Failure) {
    while let file = shares.take(share, records: builder.recordCount, spilled: !builder.runs.isEmpty) {
      let start = Timings.now()
      let before = builder.timings
      let readBefore = decoder.readSeconds
      let read: (bytes: Int, paragraphs: Int, warning: CorpusWarning?)
      do {
        read = try reader.paragraphs(ofFile: file.path, encoding: encoding, decoder: decoder) {
          line, ordinal, column, paragraph throws(IndexError) in
          try builder.add(paragraph, file: file.index, line: line, ordinal: ordinal, column: column)
        }
      } catch {
        throw .index(error)
      }
      builder.inputBytes += read.bytes
      if read.paragraphs > 0 { builder.filesIndexed += 1 }
      let stat = decoder.lastFile
      facts.store(
        file.index,
        .success(
          (stat?.bytes ?? file.bytes, stat?.modified, read.paragraphs > 0 ? stat?.encoding?.description : nil, read.paragraphs)))
      if let warning = read.warning {
        builder.warnings.append(warning)
        warn?(warning)
      }
      // Reading, decoding and cutting into paragraphs: all but the builder's own stages.
      var timings = builder.timings
      let inside = timings.analyze + timings.invert + timings.write - before.analyze - before.invert - before.write
      let reading = decoder.readSeconds - readBefore
      timings.read += reading
      timings.split += Timings.now() - start - inside - reading
      builder.timings = timings
      progress.add(file.bytes)
    }
  }

  /// Merges the workers' scratch runs and writes the final files, then publishes them.
  private func finish(
    _ builders: [RunBuilder], files: [String], records: [IndexedFile], build: Build, commit: IndexCommit, scratch: String,
    text: IndexFileWriter, start: Double
  ) throws(IndexError) -> Report {
    let mergeStart = Timings.now()
    // The workers' record buffers, freed by now, raise glibc's thresholds for giving memory
    // back to the system: what it kept (tens of megabytes, or the merge's buffers would be
    // carved from it and the peak would grow by as much) is given back before the merge.
    _ = cshim_release_freed_memory()
    var inputs: [RunMerger.Input] = []
    var paragraphBase: UInt64 = 0
    var paragraphCount = 0
    var totalLength = 0
    var timings = Timings()
    for builder in builders {
      for run in builder.runs {
        inputs.append(RunMerger.Input(source: .written(name: run.name), paragraphBase: paragraphBase))
      }
      if let memory = builder.memoryRun {
        inputs.append(RunMerger.Input(source: .memory(memory), paragraphBase: paragraphBase))
      }
      paragraphBase += UInt64(builder.paragraphCount)
      paragraphCount += builder.paragraphCount
      totalLength += builder.totalLength
      timings.add(builder.timings)
    }
    // The paragraph texts and table, and the file table, share no file with the postings:
    // they are written on a thread of their own while the postings merge.
    let texts = ResultSlots<(TextFiles, files: (bytes: Int, tableChecksum: UInt32)), IndexError>(count: 1)
    let group = DispatchGroup()
    let workers = builders.map(\.worker)
    let (textPath, tablePath, filesPath) = (commit.path(of: .text), commit.path(of: .paragraphs), commit.path(of: .files))
    let (paragraphTotal, lengthTotal) = (paragraphCount, totalLength)
    nonisolated(unsafe) let textWriter = text
    DispatchQueue.global().async(group: group) {
      texts.store(0, Result { () throws(IndexError) in
        let written = try Self.concatenateTexts(
          workers: workers, scratch: scratch, files: files, paragraphCount: paragraphTotal,
          totalLength: lengthTotal, text: textWriter, table: tablePath)
        return (written, try FileTableWriter.write(files: records, roots: build.roots, builtAt: build.builtAt, to: filesPath))
      })
    }
    let merged: RunMerger.Output
    do {
      // Paragraph lengths for the characters' best paragraphs, from the workers' tables.
      var tables: [(base: Int, path: String)] = []
      var base = 0
      for builder in builders {
        tables.append((base, scratch + "/w\(builder.worker).paragraphs"))
        base += builder.paragraphCount
      }
      merged = try RunMerger.merge(
        inputs, scratch: scratch, paragraphCount: paragraphCount,
        positionLowBits: IndexFormat.positionLowBits(totalLength: totalLength, paragraphCount: paragraphCount),
        memoryBudget: usableMemory, lengths: try ParagraphLengths(tables, totalLength: totalLength, memoryLimit: usableMemory / 16),
        threads: threads, chunks: mergeChunks, minimumChunkWork: minimumMergeChunkWork, flushBytes: mergeFlushBytes, into: commit)
    } catch {
      group.wait()
      throw error
    }
    group.wait()
    guard let written = texts.all[0] else { throw .io(path: textPath, reason: "the texts were not written") }
    let ((textFile, tableFile, textBase), filesFile) = try written.get()
    let published = [merged.terms, merged.docs, merged.positions, tableFile, textFile, filesFile]
    try commit.publish(published, foldsVariants: foldsVariants)
    timings.merge = Timings.now() - mergeStart
    // (Records kept in memory are sorted by the merge, a bucket at a time.)
    timings.invert += merged.sortSeconds
    let sizes = zip(IndexFormat.dataKinds, published)
      .map { IndexStatistics.FileSize(name: $0.0.fileName(generation: commit.generation), bytes: $0.1.bytes) }
    let statistics = IndexStatistics(
      formatVersion: Int(IndexFormat.version), generation: commit.generation, foldsVariants: foldsVariants, files: files.count,
      paragraphs: paragraphCount, terms: merged.termCount, postings: merged.postings,
      positions: merged.occurrences, textBytes: Int(textBase), fileSizes: sizes, roots: build.roots, builtAt: build.builtAt)
    return Report(
      files: builders.reduce(0) { $0 + $1.filesIndexed }, warnings: builders.flatMap(\.warnings),
      paragraphs: paragraphCount,
      inputBytes: builders.reduce(0) { $0 + $1.inputBytes }, scratchRuns: inputs.count,
      statistics: statistics, timings: timings, seconds: Timings.now() - start)
  }

  /// The `text` and `paragraphs` files as written (size and table checksum each), and the
  /// bytes of text.
  private typealias TextFiles = (
    text: (bytes: Int, tableChecksum: UInt32), table: (bytes: Int, tableChecksum: UInt32), textBytes: UInt64
  )

  /// Finishes the final `text` file (the first worker's texts, already there, then the
  /// others', concatenated) and writes the `paragraphs` file (the workers' paragraph
  /// entries, text offsets moved to match, then the file names).
  ///
  /// - Returns: both files' sizes and table checksums, and the bytes of text.
  private static func concatenateTexts(
    workers: [Int], scratch: String, files: [String], paragraphCount: Int, totalLength: Int, text: IndexFileWriter,
    table tablePath: String
  ) throws(IndexError) -> TextFiles {
    let table = try IndexFileWriter(path: tablePath, kind: .paragraphs)
    var header = ByteBuffer()
    header.append(UInt64(paragraphCount))
    header.append(UInt64(files.count))
    header.append(UInt64(totalLength))
    try table.write(header.bytes)
    var textBase: UInt64 = 0
    // The first builder's texts are in the file already.
    precondition(workers.first == 0, "the first share's builder comes first")
    for worker in workers {
      var textBytes = 0
      if worker == 0 {
        textBytes = text.payloadCount
      } else {
        try FileSystem.forEachChunk(of: scratch + "/w\(worker).text") { chunk throws(IndexError) in
          try text.write(chunk)
          textBytes += chunk.count
        }
        // Removed now, while the postings merge, rather than with the scratch folder after
        // the commit, where freeing its pages would delay the build's end.
        try FileSystem.remove(scratch + "/w\(worker).text")
      }
      // Chunks are whole entries: the chunk size is a multiple of the entry size.
      try FileSystem.forEachChunk(of: scratch + "/w\(worker).paragraphs") { chunk throws(IndexError) in
        var patched = [UInt8](chunk)
        patched.withUnsafeMutableBytes { raw in
          for offset in stride(from: 0, to: raw.count, by: ParagraphEntry.size) {
            let local = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            raw.storeBytes(of: (local + textBase).littleEndian, toByteOffset: offset, as: UInt64.self)
          }
        }
        try table.write(patched)
      }
      textBase += UInt64(textBytes)
    }
    var names = ByteBuffer()
    names.appendStringTable(files, offsets: UInt64.self)
    try table.write(names.bytes)
    return (try text.finish(), try table.finish(), textBase)
  }

  /// Cuts the file list (each file with its size) into at most `count` contiguous shares of
  /// about equal size.
  static func partition(_ files: [(path: String, bytes: Int)], into count: Int) -> [ArraySlice<(index: Int, path: String, bytes: Int)>] {
    let sized = files.enumerated().map { (index: $0.offset, path: $0.element.path, bytes: $0.element.bytes) }
    let total = sized.reduce(0) { $0 + $1.bytes }
    var shares: [ArraySlice<(index: Int, path: String, bytes: Int)>] = []
    var start = 0
    var accumulated = 0
    for (i, file) in sized.enumerated() {
      accumulated += file.bytes
      let wanted = (shares.count + 1) * total / count
      if accumulated >= wanted && shares.count < count - 1 {
        shares.append(sized[start...i])
        start = i + 1
      }
    }
    if start < sized.count || shares.isEmpty { shares.append(sized[start...]) }
    return shares
  }
}
