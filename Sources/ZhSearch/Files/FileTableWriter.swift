/// Builds the `files` payload: per corpus file its absolute path, encoding, size,
/// modification time and paragraphs, and the build's roots and time (grammar and a worked
/// example: `IndexFormat`, section files; read by `FileTable`).
///
/// One entry a file, not a paragraph: the table is written once at the end of a build.
enum FileTableWriter {
  static let headerSize = 24
  static let entrySize = 24

  /// The payload for `files` (in the `paragraphs` file's order), `roots` and `builtAt`
  /// (seconds since 1970 UTC). A file's missing encoding is written empty, its missing
  /// size and time as 0.
  static func payload(files: [IndexedFile], roots: [String], builtAt: Int64) -> [UInt8] {
    var payload = ByteBuffer(capacity: headerSize + files.count * (entrySize + 16 + 64))
    payload.append(UInt64(files.count))
    payload.append(UInt64(roots.count))
    payload.append(UInt64(bitPattern: builtAt))
    for file in files {
      payload.append(UInt64(max(0, file.bytes ?? 0)))
      payload.append(UInt64(bitPattern: file.modified ?? 0))
      payload.append(UInt32(clamping: file.paragraphs))
      payload.append(UInt32(0))
    }
    payload.appendStringTable(files.map(\.path) + files.map { $0.encoding ?? "" } + roots, offsets: UInt64.self)
    return payload.bytes
  }

  /// Writes the `files` file at `path`.
  ///
  /// - Returns: its size and the CRC-32 of its checksum table, for the manifest.
  static func write(
    files: [IndexedFile], roots: [String], builtAt: Int64, to path: String
  ) throws(IndexError) -> (bytes: Int, tableChecksum: UInt32) {
    let writer = try IndexFileWriter(path: path, kind: .files)
    try writer.write(payload(files: files, roots: roots, builtAt: builtAt))
    return try writer.finish()
  }
}
