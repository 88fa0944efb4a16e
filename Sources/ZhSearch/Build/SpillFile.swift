#if canImport(Glibc)
  import Glibc
#endif

/// A temporary file written through a buffer while an index is built, then read back whole.
///
/// Spill files hold a run's postings or a worker's paragraph texts until the final merge;
/// they live in the build's scratch folder and are deleted with it. They are not fsynced:
/// only the final index files are. A spill file given a memory limit keeps its bytes in
/// memory up to that limit and is written only past it (the merge's later chunks, read
/// back a moment later, then never goes through the page cache).
final class SpillFile {
  let path: String
  private var descriptor: Int32 = -1
  // (The properties an append changes are not checked for overlapping access at run time:
  // a spill file has one user at a time, and a worker appends to two for every paragraph.)
  @exclusivity(unchecked) private var buffer: [UInt8] = []
  /// Buffers kept in memory (moved there whole, not copied again), while no file has been
  /// written.
  private var kept: [[UInt8]] = []
  private let memoryLimit: Int
  /// Bytes appended so far.
  @exclusivity(unchecked) private(set) var count = 0

  /// A spill file at `path`, created at once, or only once more than `memoryLimit` bytes
  /// were appended.
  init(path: String, memoryLimit: Int = 0) throws(IndexError) {
    self.path = path
    self.memoryLimit = memoryLimit
    if memoryLimit <= 0 { try openFile() }
  }

  deinit {
    if descriptor >= 0 { Glibc.close(descriptor) }
  }

  private func openFile() throws(IndexError) {
    descriptor = try FileSystem.createFile(path, mode: 0o600)
  }

  func append(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
    // (The megabyte is taken at the first append: the merge makes spill files for every
    // chunk and most never need one.)
    if buffer.capacity == 0 { buffer.reserveCapacity(1 << 20) }
    // (What is buffered goes first when these would not fit: growing the buffer would copy
    // it again. The merge hands over a megabyte or more at a time.)
    if !buffer.isEmpty && buffer.count + bytes.count > buffer.capacity { try flush() }
    buffer.append(contentsOf: bytes)
    count += bytes.count
    if buffer.count >= 1 << 20 { try flush() }
  }

  func append(_ bytes: [UInt8]) throws(IndexError) {
    try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try append(bytes) } }.get()
  }

  /// Keeps or writes what is buffered; `closing` when nothing more will be appended.
  private func flush(closing: Bool = false) throws(IndexError) {
    if descriptor < 0 {
      if count <= memoryLimit {
        // The buffer itself is kept (copying it would touch as much fresh memory again);
        // a later append starts a new one.
        if !buffer.isEmpty { kept.append(buffer) }
        buffer = []
        return
      }
      // Past the limit: what was kept goes to the file first.
      try openFile()
      for chunk in kept { try FileSystem.writeAll(chunk, to: descriptor, path: path) }
      kept = []
    }
    try FileSystem.writeAll(buffer, to: descriptor, path: path)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered (or keeps it, within the memory limit) and closes the file.
  func close() throws(IndexError) {
    try flush(closing: true)
    // The buffer's megabyte is not needed again (the merge holds dozens of closed files).
    buffer = []
    guard descriptor >= 0 else { return }
    defer { descriptor = -1 }
    try FileSystem.close(descriptor, path: path)
  }

  /// Frees the bytes kept in memory (once read back for the last time).
  func discard() {
    kept = []
  }

  /// Reads the closed file's bytes back in chunks, from memory if it was never written.
  func forEachChunk(_ body: (UnsafeRawBufferPointer) throws(IndexError) -> Void) throws(IndexError) {
    if count <= memoryLimit {
      for chunk in kept {
        let read = chunk.withUnsafeBytes { bytes in Result { () throws(IndexError) in try body(bytes) } }
        try read.get()
      }
    } else {
      try FileSystem.forEachChunk(of: path, body)
    }
  }
}
