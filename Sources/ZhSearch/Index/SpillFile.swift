#if canImport(Glibc)
  import Glibc
#endif

/// A temporary file written through a buffer while an index is built, then read back whole.
///
/// Spill files hold a segment's postings or a worker's paragraph texts until the final merge;
/// they live in the build's scratch folder and are deleted with it. They are not fsynced:
/// only the final index files are.
final class SpillFile {
  let path: String
  private var descriptor: Int32
  private var buffer: [UInt8] = []
  /// Bytes appended so far.
  private(set) var count = 0

  init(path: String) throws(IndexError) {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw .io(path: path, reason: FileSystem.errorMessage()) }
    buffer.reserveCapacity(1 << 20)
  }

  deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

  func append(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
    buffer.append(contentsOf: bytes)
    count += bytes.count
    if buffer.count >= 1 << 20 { try flush() }
  }

  func append(_ bytes: [UInt8]) throws(IndexError) {
    buffer.append(contentsOf: bytes)
    count += bytes.count
    if buffer.count >= 1 << 20 { try flush() }
  }

  private func flush() throws(IndexError) {
    try FileSystem.writeAll(buffer, to: descriptor, path: path)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered and closes the file.
  func close() throws(IndexError) {
    try flush()
    if Glibc.close(descriptor) != 0 { throw .io(path: path, reason: FileSystem.errorMessage()) }
    descriptor = -1
  }
}
