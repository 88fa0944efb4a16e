#if canImport(Glibc)
  import Glibc
#endif

/// The file-system calls of a build, each throwing `IndexError.io` with the system's message.
///
/// Every call that creates, writes, flushes, moves or removes a file of an index goes
/// through here, so that `FaultInjector` can fail any of them in a test, and so that the
/// rules that keep a user's files safe are in one place: files are created only where
/// none exists (never through a symlink, never truncating), and what is read must be a
/// regular file (a FIFO would block the process).
package enum FileSystem {
  /// The kinds of call, as `FaultInjector` counts and fails them.
  enum Call: String, Sendable {
    case create, open, read, write, fsync, close, rename, unlink, mkdir, rmdir, list
  }

  static func errorMessage() -> String { String(cString: strerror(errno)) }

  static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }

  /// The type bits of the entry at `path` itself (a symlink is not followed), or nil when
  /// there is none.
  static func entryType(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
  }

  /// Names in a folder, without `.` and `..`.
  ///
  /// - Throws: `.io` when the folder cannot be listed whole; `.foreignEntry` for a name that
  ///   is not valid UTF-8 (zhsearch never makes one, and it could not be named again).
  static func contents(of folder: String) throws(IndexError) -> [String] {
    try FaultInjector.check(.list, folder)
    guard let directory = opendir(folder) else { throw .io(path: folder, reason: errorMessage()) }
    defer { closedir(directory) }
    var names: [String] = []
    // readdir returns nil at the end and on an error, told apart by errno.
    errno = 0
    while let entry = readdir(directory) {
      defer { errno = 0 }
      let bytes = entryName(entry)
      guard let name = String(validating: bytes, as: UTF8.self) else {
        throw .foreignEntry(folder: folder, name: String(decoding: bytes, as: UTF8.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    if errno != 0 { throw .io(path: folder, reason: errorMessage()) }
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
    try FaultInjector.check(.mkdir, path)
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, reason: errorMessage()) }
  }

  /// Creates a folder that must not exist yet.
  static func makeNewDirectory(_ path: String) throws(IndexError) {
    try FaultInjector.check(.mkdir, path)
    if mkdir(path, 0o755) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  static func parentFolder(of path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "." }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
  }

  /// Creates a new file for writing. An entry already at `path`, a symlink included, is an
  /// error: nothing is ever written through a name that zhsearch did not just create.
  static func createFile(_ path: String, mode: mode_t = 0o644) throws(IndexError) -> Int32 {
    try FaultInjector.check(.create, path)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    return descriptor
  }

  /// Opens a regular file for reading; anything else (a FIFO, a device, a folder) is an
  /// error, found without blocking.
  static func openForReading(_ path: String) throws(IndexError) -> Int32 {
    try FaultInjector.check(.open, path)
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let reason = errorMessage()
      Glibc.close(descriptor)
      throw .io(path: path, reason: reason)
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      Glibc.close(descriptor)
      throw .io(path: path, reason: "not a regular file")
    }
    return descriptor
  }

  /// Writes all of `bytes` to an open file, retrying short and interrupted writes.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(IndexError) {
    try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try writeAll(bytes, to: descriptor, path: path) } }.get()
  }

  /// Writes all of `bytes` to an open file, retrying short and interrupted writes.
  static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(IndexError) {
    try FaultInjector.check(.write, path)
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

  /// Flushes an open file to the disk.
  static func sync(_ descriptor: Int32, path: String) throws(IndexError) {
    try FaultInjector.check(.fsync, path)
    if fsync(descriptor) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  /// Closes a file; the descriptor is closed whether or not this throws.
  static func close(_ descriptor: Int32, path: String) throws(IndexError) {
    do {
      try FaultInjector.check(.close, path)
    } catch {
      Glibc.close(descriptor)
      throw error
    }
    if Glibc.close(descriptor) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  /// Writes `bytes` to a new file at `path` and flushes them to the disk (fsync).
  static func writeDurably(_ bytes: [UInt8], to path: String) throws(IndexError) {
    let descriptor = try createFile(path)
    do {
      try writeAll(bytes, to: descriptor, path: path)
      try sync(descriptor, path: path)
    } catch {
      Glibc.close(descriptor)
      throw error
    }
    try close(descriptor, path: path)
  }

  /// Flushes a folder's entries (new names, renames) to the disk.
  static func syncDirectory(_ path: String) throws(IndexError) {
    try FaultInjector.check(.fsync, path)
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(path: path, reason: errorMessage()) }
    defer { Glibc.close(descriptor) }
    if fsync(descriptor) != 0 { throw .io(path: path, reason: errorMessage()) }
  }

  /// Renames atomically, replacing any file at `destination`.
  static func rename(_ source: String, to destination: String) throws(IndexError) {
    try FaultInjector.check(.rename, destination)
    if Glibc.rename(source, destination) != 0 { throw .io(path: destination, reason: errorMessage()) }
  }

  /// Removes a file (a missing one is no error).
  package static func remove(_ path: String) throws(IndexError) {
    try FaultInjector.check(.unlink, path)
    if unlink(path) != 0 && errno != ENOENT { throw .io(path: path, reason: errorMessage()) }
  }

  /// Removes an empty folder (a missing one is no error).
  static func removeDirectory(_ path: String) throws(IndexError) {
    try FaultInjector.check(.rmdir, path)
    if rmdir(path) != 0 && errno != ENOENT { throw .io(path: path, reason: errorMessage()) }
  }

  /// Reads a file in chunks of 1 MiB (the last may be shorter) and calls `body` with each.
  static func forEachChunk(
    of path: String, _ body: (UnsafeRawBufferPointer) throws(IndexError) -> Void
  ) throws(IndexError) {
    let descriptor = try openForReading(path)
    defer { Glibc.close(descriptor) }
    let size = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      try FaultInjector.check(.read, path)
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

  /// Removes a folder that zhsearch made for itself (the benchmark's, a fuzzer's, a test's),
  /// with everything in it; no symlinks are followed. Names are handled as bytes, so entries
  /// whose names are not UTF-8 go too.
  package static func removeTree(_ path: String) {
    removeTree(bytes: Array(path.utf8CString.dropLast()))
  }

  private static func removeTree(bytes path: [CChar]) {
    let terminated = path + [0]
    var info = stat()
    guard lstat(terminated, &info) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFDIR, let folder = opendir(terminated) else {
      unlink(terminated)
      return
    }
    var children: [[CChar]] = []
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.bindMemory(to: CChar.self).prefix { $0 != 0 }) }
      if name != [46] && name != [46, 46] { children.append(path + [47] + name) }
    }
    closedir(folder)
    for child in children { removeTree(bytes: child) }
    rmdir(terminated)
  }

}
