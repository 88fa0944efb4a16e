import ZhSearch
import ZhSearchBench

/// Renders results as JSON with keys in a fixed, documented order.
enum JSONOutput {
  /// `{"query", "total", "hits": [{"rank", "score", "file", "path", "line", "column",
  /// "paragraph", "text", "highlights"}]}`; highlights are `[start, end]` character offsets
  /// into `text`, column the first highlight's in its line (0: not recorded); "file" is the
  /// path as printed (`PathDisplay`), "path" the absolute path (null when the index does not
  /// record it). With `context`, each hit also has `"before"` and `"after"`: arrays of
  /// `paragraphObject`s, in file order.
  static func render(
    _ result: SearchResult,
    context: [(before: [IndexReader.StoredParagraph], after: [IndexReader.StoredParagraph])]? = nil
  ) -> String {
    let hits = result.hits.enumerated().map { (index, hit) in
      let highlights = hit.highlights.map { "[\($0.lowerBound),\($0.upperBound)]" }
      var object = "{\"rank\":\(hit.rank),\"score\":\(number(hit.score)),"
        + "\"file\":\(string(PathDisplay.shown(hit.paragraph))),\"path\":\(hit.paragraph.path.map(string) ?? "null"),"
        + "\"line\":\(hit.paragraph.line),\"column\":\(hit.column),"
        + "\"paragraph\":\(hit.paragraph.ordinal),\"text\":\(string(hit.paragraph.text)),"
        + "\"highlights\":[\(highlights.joined(separator: ","))]"
      if let context {
        object += ",\"before\":\(paragraphArray(context[index].before)),\"after\":\(paragraphArray(context[index].after))"
      }
      return object + "}"
    }
    return "{\"query\":\(string(result.query)),\"total\":\(result.total),"
      + "\"hits\":[\(hits.joined(separator: ","))]}"
  }

  /// `{"line", "column", "paragraph", "text"}`: a stored paragraph's place in its file
  /// (column 0: not recorded) and its text.
  static func paragraphObject(_ paragraph: IndexReader.StoredParagraph) -> String {
    "{\"line\":\(paragraph.line),\"column\":\(paragraph.column),\"paragraph\":\(paragraph.ordinal),"
      + "\"text\":\(string(paragraph.text))}"
  }

  static func paragraphArray(_ paragraphs: [IndexReader.StoredParagraph]) -> String {
    "[" + paragraphs.map(paragraphObject).joined(separator: ",") + "]"
  }

  static func render(_ statistics: IndexStatistics) -> String {
    let files = statistics.fileSizes.map { "\(string($0.name)):\($0.bytes)" }
    return "{\"formatVersion\":\(statistics.formatVersion),\"generation\":\(statistics.generation),"
      + "\"foldsVariants\":\(statistics.foldsVariants),"
      + "\"files\":\(statistics.files),\"paragraphs\":\(statistics.paragraphs),"
      + "\"terms\":\(statistics.terms),\"postings\":\(statistics.postings),"
      + "\"positions\":\(statistics.positions),\"textBytes\":\(statistics.textBytes),"
      + "\"totalBytes\":\(statistics.totalBytes),\"fileBytes\":{\(files.joined(separator: ","))},"
      + "\"roots\":\(strings(statistics.roots)),\"builtAt\":\(statistics.builtAt.map { string(TimeText.utc($0)) } ?? "null")}"
  }

  /// `{"roots", "builtAt", "files": [{"file", "path", "paragraphs", "encoding", "bytes",
  /// "modified"}]}`: "file" as printed (`PathDisplay`), "path" absolute; the build's and
  /// files' times in UTC; null for what the index does not record.
  static func render(_ files: [IndexedFile], roots: [String]?, builtAt: Int64?) -> String {
    let entries = files.map { file in
      "{\"file\":\(string(PathDisplay.shown(file))),\"path\":\(file.isAbsolute ? string(file.path) : "null"),"
        + "\"paragraphs\":\(file.paragraphs),\"encoding\":\(file.encoding.map(string) ?? "null"),"
        + "\"bytes\":\(file.bytes.map(String.init) ?? "null"),"
        + "\"modified\":\(file.modified.map { string(TimeText.utc($0 / 1_000_000_000)) } ?? "null")}"
    }
    return "{\"roots\":\(strings(roots)),\"builtAt\":\(builtAt.map { string(TimeText.utc($0)) } ?? "null"),"
      + "\"files\":[\(entries.joined(separator: ","))]}"
  }

  /// A JSON array of strings, or null.
  static func strings(_ values: [String]?) -> String {
    values.map { "[" + $0.map(string).joined(separator: ",") + "]" } ?? "null"
  }

  static func render(_ report: Bench.Report) -> String {
    let stages = report.stages
    let statistics = report.statistics
    let input = Double(report.inputBytes)
    return "{\"inputBytes\":\(report.inputBytes),\"files\":\(report.files),\"paragraphs\":\(report.paragraphs),"
      + "\"threads\":\(report.threads),\"scratchRuns\":\(report.scratchRuns),"
      + "\"seconds\":{\"min\":\(number(report.seconds.minimum)),\"median\":\(number(report.seconds.median))},"
      + "\"megabytesPerSecond\":{\"median\":\(number(report.megabytesPerSecond.median)),\"best\":\(number(input / 1e6 / report.seconds.minimum))},"
      + "\"paragraphsPerSecond\":{\"median\":\(number(report.paragraphsPerSecond.median))},"
      + "\"peakMemoryBytes\":\(report.peakMemoryBytes),"
      + "\"indexBytesPerInputByte\":{\"total\":\(number(Double(statistics.totalBytes) / input)),"
      + "\"inverted\":\(number(Double(statistics.invertedBytes) / input)),\"text\":\(number(Double(statistics.textBytes) / input))},"
      + "\"stagesSeconds\":{\"read\":\(number(stages.read)),\"split\":\(number(stages.split)),"
      + "\"analyze\":\(number(stages.analyze)),\"invert\":\(number(stages.invert)),\"write\":\(number(stages.write)),"
      + "\"merge\":\(number(stages.merge))},"
      + "\"fts5\":{\"seconds\":\(number(report.fts5Seconds)),\"bytes\":\(report.fts5Bytes),\"speedup\":\(number(report.speedupOverFTS5))},"
      + "\"queries\":\(render(report.queries))}"
  }

  static func render(_ report: Bench.QueryReport) -> String {
    func latency(_ latency: Bench.Latency) -> String {
      "{\"count\":\(latency.count),\"p50Microseconds\":\(number(latency.p50)),"
        + "\"p95Microseconds\":\(number(latency.p95)),\"p99Microseconds\":\(number(latency.p99))}"
    }
    let kinds = report.byKind.map { "\(string($0.kind.rawValue)):\(latency($0.latency))" }
    let slowest = report.slowest.map { "{\"query\":\(string($0.query)),\"microseconds\":\(number($0.microseconds))}" }
    return "{\"ranked\":\(latency(report.ranked)),\"byKind\":{\(kinds.joined(separator: ","))},"
      + "\"withText\":\(latency(report.withText)),"
      + "\"searchProcessMilliseconds\":{\"p50\":\(number(report.processMilliseconds.p50)),\"p99\":\(number(report.processMilliseconds.p99))},"
      + "\"slowest\":[\(slowest.joined(separator: ","))]}"
  }

  static func number(_ value: Double) -> String {
    value.isFinite ? format(value, 6) : "0"
  }

  /// A JSON string literal.
  static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
