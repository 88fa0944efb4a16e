/// Reads a corpus (files and folders) and writes its index: the whole `zhsearch index` job.
public struct IndexBuilder {
  /// What one build did.
  public struct Report: Sendable {
    public var files: Int
    public var paragraphs: Int
    public var inputBytes: Int
    public var statistics: IndexStatistics
  }

  public var maxParagraphLength: Int

  public init(maxParagraphLength: Int = 400) {
    self.maxParagraphLength = maxParagraphLength
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

  /// Indexes `paths` into `directory`, replacing any index there only once the new one is
  /// complete and on disk.
  public func build(paths: [String], into directory: String) throws(Failure) -> Report {
    let reader: CorpusReader
    let writer: IndexWriter
    do {
      reader = try CorpusReader(maxParagraphLength: maxParagraphLength)
      writer = try IndexWriter()
    } catch {
      throw .icu(error)
    }
    let files: [String]
    do { files = try CorpusReader.files(in: paths) } catch { throw .corpus(error) }
    var inputBytes = 0
    for path in files {
      let bytes: [UInt8]
      do { bytes = try CorpusReader.contents(of: path) } catch { throw .corpus(error) }
      inputBytes += bytes.count
      let file = writer.addFile(path)
      reader.paragraphs(in: bytes, file: file) { writer.add($0) }
    }
    do {
      let statistics = try writer.write(to: directory)
      return Report(
        files: files.count, paragraphs: statistics.paragraphs, inputBytes: inputBytes,
        statistics: statistics)
    } catch {
      throw .index(error)
    }
  }
}
