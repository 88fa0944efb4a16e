import ZhSearch

/// Renders results as JSON with keys in a fixed, documented order.
enum JSONOutput {
  /// `{"query", "total", "hits": [{"rank", "score", "file", "line", "paragraph", "text",
  /// "highlights"}]}`; highlights are `[start, end]` character offsets into `text`.
  static func render(_ result: SearchResult) -> String {
    let hits = result.hits.map { hit in
      let highlights = hit.highlights.map { "[\($0.lowerBound),\($0.upperBound)]" }
      return "{\"rank\":\(hit.rank),\"score\":\(number(hit.score)),"
        + "\"file\":\(string(hit.paragraph.file)),\"line\":\(hit.paragraph.line),"
        + "\"paragraph\":\(hit.paragraph.ordinal),\"text\":\(string(hit.paragraph.text)),"
        + "\"highlights\":[\(highlights.joined(separator: ","))]}"
    }
    return "{\"query\":\(string(result.query)),\"total\":\(result.total),"
      + "\"hits\":[\(hits.joined(separator: ","))]}"
  }

  static func render(_ statistics: IndexStatistics) -> String {
    let files = statistics.fileSizes.map { "\(string($0.name)):\($0.bytes)" }
    return "{\"formatVersion\":\(statistics.formatVersion),\"generation\":\(statistics.generation),"
      + "\"files\":\(statistics.files),\"paragraphs\":\(statistics.paragraphs),"
      + "\"terms\":\(statistics.terms),\"postings\":\(statistics.postings),"
      + "\"positions\":\(statistics.positions),\"textBytes\":\(statistics.textBytes),"
      + "\"totalBytes\":\(statistics.totalBytes),\"fileBytes\":{\(files.joined(separator: ","))}}"
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
