#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the value is released.
///
/// Index files are immutable once written (a new build writes new file names), so the
/// mapping stays valid while a newer index replaces this one.
final class MappedFile: @unchecked Sendable {
  /// The file's bytes.
  let bytes: UnsafeRawBufferPointer
  let path: String

  init(path: String) throws(IndexError) {
    self.path = path
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { throw .corrupt(file: path, detail: "file missing") }
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    let size = Int(info.st_size)
    if size == 0 {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else {
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit {
    if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
  }

  /// Tells the kernel the pages before `offset` are no longer needed, so a file read once
  /// from start to end does not stay resident.
  func release(before offset: Int) {
    guard let base = bytes.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let length = offset / page * page
    if length > 0 { madvise(UnsafeMutableRawPointer(mutating: base), length, MADV_DONTNEED) }
  }
}

/// Small helpers over POSIX file calls, each throwing `IndexError.io` with the system's message.
enum FileSystem {
  static func errorMessage() -> String { String(cString: strerror(errno)) }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }

  /// Names in a folder, without `.` and `..`.
  static func contents(of folder: String) throws(IndexError) -> [String] {
    guard let directory = opendir(folder) else { throw .io(path: folder, reason: errorMessage()) }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = String(decoding: entryName(entry), as: UTF8.self)
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The name of a directory entry from `readdir`, its bytes up to the terminating zero.
  ///
  /// Read in place: copying `d_name` (a 256-byte field) reads past the end of a short entry
  /// at the end of the C library's buffer (AddressSanitizer reports it).
  static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> UnsafeBufferPointer<UInt8> {
    let name = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    return UnsafeBufferPointer(start: name.assumingMemoryBound(to: UInt8.self), count: strlen(name.assumingMemoryBound(to: CChar.self)))
  }

  /// Creates a folder and any missing parents.
  static func makeDirectory(_ path: String) throws(IndexError) {
    if isDirectory(path) { return }
    let parent = parentFolder(of: path)
    if parent != path && !parent.isEmpty && !isDirectory(parent) { try makeDirectory(parent) }
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, reason: errorMessage()) }
  }

  static func parentFolder(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// Writes all of `bytes` to an open file, retrying short and interrupted writes.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(IndexError) {
    try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try writeAll(bytes, to: descriptor, path: path) } }.get()
  }

  /// Writes all of `bytes` to an open file, retrying short and interrupted writes.
  static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(IndexError) {
    var written = 0
    while written < bytes.count {
      let n = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
      if n < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, reason: errorMessage())
      }
      written += n
    }
  }

  /// Writes `bytes` to a new file at `path` and flushes them to the disk (fsync).
  static func writeDurably(_ bytes: [UInt8], to path: String) throws(IndexError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    do {
      try writeAll(bytes, to: descriptor, path: path)
    } catch {
      close(descriptor)
      throw error
    }
    if fsync(descriptor) != 0 {
      let reason = errorMessage()
      close(descriptor)
      throw .io(path: path, reason: reason)
    }
    if close(descriptor) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  /// Flushes a folder's entries (new names, renames) to the disk.
  static func syncDirectory(_ path: String) throws(IndexError) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  /// Renames atomically, replacing any file at `destination`.
  static func rename(_ source: String, to destination: String) throws(IndexError) {
    if Glibc.rename(source, destination) != 0 { throw .io(path: destination, reason: errorMessage()) }
  }

  static func remove(_ path: String) { unlink(path) }

  /// Reads a file in chunks of 1 MiB (the last may be shorter) and calls `body` with each.
  static func forEachChunk(
    of path: String, _ body: (UnsafeRawBufferPointer) throws(IndexError) -> Void
  ) throws(IndexError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    defer { close(descriptor) }
    let size = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      var filled = 0
      while filled < size {
        let n = read(descriptor, buffer + filled, size - filled)
        if n < 0 {
          if errno == EINTR { continue }
          throw .io(path: path, reason: errorMessage())
        }
        if n == 0 { break }
        filled += n
      }
      if filled == 0 { return }
      try body(UnsafeRawBufferPointer(start: buffer, count: filled))
      if filled < size { return }
    }
  }

  /// Removes a folder and everything in it (no symlinks are followed).
  static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      for name in (try? contents(of: path)) ?? [] { removeTree(path + "/" + name) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }
}
