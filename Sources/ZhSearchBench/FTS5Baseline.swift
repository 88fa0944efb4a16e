import ZhSearch
import CSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// SQLite FTS5 with its trigram tokenizer, built over the same paragraphs as zhsearch, as
/// the yardstick `zhsearch bench` reports a throughput ratio against.
///
/// The paragraphs are read and cut by the same `CorpusReader` and inserted in one
/// transaction through one prepared statement into a database file, committed to disk.
enum FTS5Baseline {
  /// What one FTS5 build took.
  struct Result: Sendable {
    var seconds: Double
    var paragraphs: Int
    var databaseBytes: Int
  }

  /// An error from SQLite, with its message.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func build(
    files: [String], maxParagraphLength: Int, encoding: TextEncoding?, database path: String
  ) throws -> Result {
    // (The database is in the bench's own scratch folder.)
    try? FileSystem.remove(path)
    defer {
      try? FileSystem.remove(path)
      try? FileSystem.remove(path + "-journal")
    }
    let start = Timings.now()
    var handle: OpaquePointer?
    guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else {
      throw Failure(description: "cannot open an SQLite database at \(path)")
    }
    defer { sqlite3_close(db) }
    func execute(_ sql: String) throws {
      var message: UnsafeMutablePointer<CChar>?
      if sqlite3_exec(db, sql, nil, nil, &message) != SQLITE_OK {
        let text = message.map { String(cString: $0) } ?? "unknown error"
        sqlite3_free(message)
        throw Failure(description: "SQLite: \(text)")
      }
    }
    try execute("CREATE VIRTUAL TABLE paragraphs USING fts5(text, tokenize = 'trigram')")
    try execute("BEGIN")
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, "INSERT INTO paragraphs(text) VALUES (?)", -1, &statement, nil) == SQLITE_OK else {
      throw Failure(description: "SQLite: \(String(cString: sqlite3_errmsg(db)))")
    }
    defer { sqlite3_finalize(statement) }
    let reader = try CorpusReader(maxParagraphLength: maxParagraphLength)
    let decoder = FileDecoder()
    var count = 0
    for file in files {
      // The same paragraphs zhsearch indexes; skipped files are skipped here too.
      _ = reader.paragraphs(ofFile: file, encoding: encoding, decoder: decoder) { _, _, _, paragraph in
        sqlite3_bind_text(
          statement, 1, UnsafeRawPointer(paragraph.baseAddress!).assumingMemoryBound(to: CChar.self),
          Int32(paragraph.count), nil)
        sqlite3_step(statement)
        sqlite3_reset(statement)
        count += 1
      }
    }
    try execute("COMMIT")
    let seconds = Timings.now() - start
    var info = stat()
    let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
    return Result(seconds: seconds, paragraphs: count, databaseBytes: size)
  }
}
