/// One term's positions in the final format while it is merged: fixed-width low bits and
/// unary high parts (`IndexFormat`, section positions), the memory of the two streams (lent
/// to a `PositionAppender` while a list is encoded).
struct PositionStreams: ~Copyable {
  let lowBits: Int
  private var low = BitWriter()
  private var high = BitWriter()

  init(lowBits: Int) { self.lowBits = lowBits }

  mutating func removeAll() {
    low.removeAll()
    high.removeAll()
  }

  /// The two streams' state, to append to in a local variable; the streams must not be used
  /// until it is given back with `settle(_:)`.
  func lend() -> PositionAppender { PositionAppender(lowBits: lowBits, low: low.lend(), high: high.lend()) }

  /// Takes back the state lent by `lend()`.
  mutating func settle(_ appender: PositionAppender) {
    low.settle(appender.low)
    high.settle(appender.high)
  }

  /// Appends the term's two streams to `out` and returns their byte length.
  mutating func write(into out: inout RawByteBuffer) -> Int {
    low.alignToByte()
    high.alignToByte()
    out.append(low.written)
    out.append(high.written)
    return low.written.count + high.written.count
  }
}
