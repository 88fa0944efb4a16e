import ArgumentParser
import ZhSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `zhsearch index`: reads files and folders of text and writes their index.
struct Index: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Index files and folders of Chinese text (folders: every .txt file, recursively).",
    discussion: """
      Each file's encoding is detected: UTF-8, GB18030 (GBK, GB2312), Big5, or UTF-16/UTF-32 \
      with a byte order mark; --encoding forces one. Files that cannot be read (binary, empty, \
      unreadable, broken symlinks) are skipped with a warning on standard error. Exit status: \
      0 when something was indexed, 2 when nothing could be (the existing index is then kept).
      """)

  @Argument(help: "Files and folders to index (default: corpus).")
  var paths: [String] = []

  @OptionGroup var options: IndexOptions

  @OptionGroup var build: BuildOptions

  func run() throws {
    let paths = paths.isEmpty ? ["corpus"] : paths
    var builder = try build.builder()
    let progress = ProgressBar(paths: paths)
    progress?.start("indexing")
    if let progress { builder.progress = { @Sendable done in progress.update(done) } }
    let summary: String
    do {
      summary = try Self.build(paths: paths, into: options.directory, with: builder, progress: progress)
    } catch {
      progress?.finish()
      throw error
    }
    progress?.finish()
    print(summary)
  }

  /// Builds the index, printing each warning on standard error as it comes, and returns a
  /// one-line summary of what was done.
  static func build(
    paths: [String], into directory: String, with builder: IndexBuilder = IndexBuilder(), progress: ProgressBar? = nil
  ) throws -> String {
    var builder = builder
    builder.notice = { @Sendable message in
      let message = TerminalText.escaped(message)
      if let progress { progress.interrupt("zhsearch: \(message)\n") } else { writeStandardError("zhsearch: \(message)\n") }
    }
    builder.warn = { @Sendable warning in
      let warning = TerminalText.escaped(warning.description)
      if let progress { progress.interrupt("zhsearch: warning: \(warning)\n") } else { writeStandardError("zhsearch: warning: \(warning)\n") }
    }
    let report: IndexBuilder.Report
    do {
      report = try builder.build(paths: paths, into: directory)
    } catch .index(.io(let path, let reason)) {
      // A write failed (a full disk, a size limit) or a file went away mid-run.
      throw CommandError(message: "indexing stopped: \(path): \(reason); the index in \(directory) is unchanged")
    } catch {
      throw CommandError(error)
    }
    let megabytes = Double(report.inputBytes) / 1_000_000
    return
      "indexed \(report.files) files\(skippedSummary(report.warnings)), \(report.paragraphs) paragraphs (\(format(megabytes, 2)) MB) "
      + "in \(format(report.seconds, 2)) s (\(format(megabytes / report.seconds, 1)) MB/s) into \(TerminalText.escaped(directory)) "
      + "(index \(format(Double(report.statistics.totalBytes) / 1_000_000, 2)) MB)"
  }

  /// ", skipped 3 (1 empty, 2 binary or undecodable)", or "" when nothing was skipped; files
  /// indexed with bytes replaced are counted too.
  static func skippedSummary(_ warnings: [CorpusWarning]) -> String {
    func counts(_ list: [CorpusWarning]) -> String {
      CorpusWarning.Kind.allCases.compactMap { kind in
        let n = list.count { $0.kind == kind }
        return n == 0 ? nil : "\(n) \(kind.rawValue)"
      }.joined(separator: ", ")
    }
    let skipped = warnings.filter(\.skipped)
    let repaired = warnings.filter { !$0.skipped }
    var text = ""
    if !skipped.isEmpty { text += ", skipped \(skipped.count) (\(counts(skipped)))" }
    if !repaired.isEmpty { text += ", \(repaired.count) with problems (\(counts(repaired)))" }
    return text
  }
}

/// Formats a number with a fixed count of decimals.
func format(_ value: Double, _ decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (value * scale).rounded() / scale
  var text = String(rounded)
  if let dot = text.firstIndex(of: ".") {
    let have = text.distance(from: dot, to: text.endIndex) - 1
    if have < decimals { text += String(repeating: "0", count: decimals - have) }
    if decimals == 0 { text = String(text[..<dot]) }
  }
  return text
}
