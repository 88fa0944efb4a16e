/// The owner of a `BitAppender`'s memory: a noncopyable value, so that the memory has one
/// owner and is freed with it.
struct BitWriter: ~Copyable {
  private var state: BitAppender

  init(capacity: Int = 1 << 12) { state = BitAppender(capacity: capacity) }

  deinit { state.base.deallocate() }

  /// Bits written so far.
  var bitCount: Int { state.bitCount }

  /// The bytes written so far (whole bytes only: call `alignToByte()` first).
  var written: UnsafeRawBufferPointer { state.written }

  /// A copy of the bytes written so far (whole bytes only).
  var bytes: [UInt8] { Array(written) }

  /// The writer's state, to append to in a local variable. Until it is given back with
  /// `settle(_:)` the writer must not be used (an append may have moved the memory).
  func lend() -> BitAppender { state }

  /// Takes back the state lent by `lend()`, with what was appended to it.
  mutating func settle(_ appender: BitAppender) { state = appender }

  /// Appends the low `width` bits of `value` (`width` at most 32).
  @inline(__always)
  mutating func append(_ value: UInt64, width: Int) { state.append(value, width: width) }

  /// Appends `zeros` zero bits and a one bit.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64) { state.appendUnary(zeros) }

  /// Appends `zeros` zero bits, a one bit, then the low `width` bits of `value`.
  @inline(__always)
  mutating func appendUnary(_ zeros: UInt64, then value: UInt64, width: Int) {
    state.appendUnary(zeros, then: value, width: width)
  }

  /// Stores the pending bits, the last byte padded with zero bits.
  mutating func alignToByte() { state.alignToByte() }

  mutating func removeAll() { state.removeAll() }
}
