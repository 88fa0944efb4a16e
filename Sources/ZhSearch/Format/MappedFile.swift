import CICUShim

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the value is released.
///
/// Index files are immutable once written (a new build writes new file names), so the
/// mapping stays valid while a newer index replaces this one. Only another program can
/// truncate one under a reader: the mapping is registered with the shim's SIGBUS handler,
/// which the CLI installs, so that the fault is reported as a one-line error.
final class MappedFile: @unchecked Sendable {
  /// The file's bytes.
  let bytes: UnsafeRawBufferPointer
  let path: String
  /// The mapping's slot with the SIGBUS handler (-1: none).
  private let guardSlot: Int32

  init(path: String) throws(IndexError) {
    self.path = path
    try FaultInjector.check(.open, path)
    // Without blocking: a FIFO in place of an index file must not hang the process.
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ENOENT { throw .corrupt(file: path, detail: "file missing") }
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    guard info.st_mode & S_IFMT == S_IFREG else { throw .corrupt(file: path, detail: "not a regular file") }
    guard let size = Int(exactly: info.st_size), size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      guardSlot = -1
      return
    }
    let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
    guard let address, address != MAP_FAILED else {
      throw .io(path: path, reason: String(cString: strerror(errno)))
    }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
    guardSlot = cshim_guard_mapping(address, Int64(size), path)
  }

  deinit {
    cshim_unguard_mapping(guardSlot)
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
