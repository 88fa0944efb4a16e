import CICUShim

#if canImport(Glibc)
  import Glibc
#endif

/// Writes one index file as a stream: header, payload, block checksums and footer
/// (`IndexFormat`, section container; read by `IndexFile`), computing each block's CRC-32
/// as the bytes go by.
///
/// Bytes are buffered and written in large chunks; `finish()` writes the checksum table and
/// footer, fsyncs and closes the file. Memory stays small whatever the payload size.
final class IndexFileWriter {
  let path: String
  private let descriptor: Int32
  // (What a write changes is not checked for overlapping access at run time: a writer has
  // one user at a time, and the first worker writes its texts here paragraph by paragraph.)
  @exclusivity(unchecked) private var buffer: [UInt8] = []
  private let bufferSize = 1 << 20
  /// CRC-32 state of the block being filled, and how many bytes it holds.
  @exclusivity(unchecked) private var blockCRC: UInt32 = 0
  @exclusivity(unchecked) private var blockFill = 0
  private var blockChecksums = ByteBuffer()
  /// Payload bytes written so far.
  @exclusivity(unchecked) private(set) var payloadCount = 0
  /// Bytes handed to the file so far, and up to where the disk was asked to write them.
  private var fileBytes = 0
  private var writebackStart = 0
  private var finished = false

  /// Creates the file (where none is) and writes its header.
  init(path: String, kind: IndexFormat.FileKind) throws(IndexError) {
    self.path = path
    descriptor = try FileSystem.createFile(path)
    buffer.reserveCapacity(bufferSize + 64)
    var header = ByteBuffer()
    header.append(contentsOf: IndexFormat.headerMagic)
    header.append(IndexFormat.version)
    header.append(kind.rawValue)
    header.append(UInt64(0))
    header.bytes.withUnsafeBytes { absorb($0) }
    payloadCount = 0
  }

  deinit {
    if !finished { close(descriptor) }
  }

  /// Appends payload bytes.
  func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
    if bytes.count >= bufferSize / 16 {
      // Large pieces (a merge chunk's postings, a worker's texts a megabyte at a time) go
      // to the file as they are, after what is buffered, rather than through the buffer:
      // one copy of them fewer.
      checksum(bytes)
      payloadCount += bytes.count
      try flush()
      try FileSystem.writeAll(bytes, to: descriptor, path: path)
      fileBytes += bytes.count
      startWriteback()
      return
    }
    absorb(bytes)
    if buffer.count >= bufferSize { try flush() }
  }

  /// Appends payload bytes.
  func write(_ bytes: [UInt8]) throws(IndexError) {
    try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try write(bytes) } }.get()
  }

  /// Buffers bytes and folds them into the block checksums.
  private func absorb(_ bytes: UnsafeRawBufferPointer) {
    checksum(bytes)
    buffer.append(contentsOf: bytes)
    payloadCount += bytes.count
  }

  /// Folds bytes into the block checksums.
  private func checksum(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
      let take = min(IndexFormat.blockSize - blockFill, bytes.count - offset)
      let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take])
      blockCRC = CRC32.update(blockCRC, with: piece)
      blockFill += take
      if blockFill == IndexFormat.blockSize { endBlock() }
      offset += take
    }
  }

  private func endBlock() {
    blockChecksums.append(CRC32.finish(blockCRC))
    blockCRC = 0
    blockFill = 0
  }

  private func flush() throws(IndexError) {
    guard !buffer.isEmpty else { return }
    try FileSystem.writeAll(buffer, to: descriptor, path: path)
    fileBytes += buffer.count
    buffer.removeAll(keepingCapacity: true)
    startWriteback()
  }

  /// Every MiB, the disk is asked to start writing them: the fsync at the end then waits
  /// for the last few only, and a smaller step leaves less for it. A file system without
  /// the call ignores it.
  private func startWriteback() {
    if fileBytes - writebackStart >= 1 << 20 {
      _ = cshim_start_writeback(descriptor, Int64(writebackStart), Int64(fileBytes - writebackStart))
      writebackStart = fileBytes
    }
  }

  /// Writes the checksum table and footer, flushes the file to the disk and closes it.
  ///
  /// - Returns: the file's size and the CRC-32 of its checksum table, for the manifest.
  func finish() throws(IndexError) -> (bytes: Int, tableChecksum: UInt32) {
    if blockFill > 0 { endBlock() }
    let table = blockChecksums.bytes
    let tableChecksum = CRC32.checksum(of: table)
    var footer = ByteBuffer()
    footer.append(UInt64(payloadCount))
    footer.append(UInt32(table.count / 4))
    footer.append(tableChecksum)
    footer.append(contentsOf: IndexFormat.footerMagic)
    buffer.append(contentsOf: table)
    buffer.append(contentsOf: footer.bytes)
    try flush()
    finished = true
    do {
      try FileSystem.sync(descriptor, path: path)
    } catch {
      close(descriptor)
      throw error
    }
    try FileSystem.close(descriptor, path: path)
    return (IndexFormat.headerSize + payloadCount + table.count + IndexFormat.footerSize, tableChecksum)
  }
}
