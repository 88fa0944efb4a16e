/// A stable least-significant-digit radix sort of 64-bit keys carrying 64-bit values.
enum RadixSort {
  /// Sorts `keys` ascending, moving `values` with them; equal keys keep their order.
  static func sort(keys: inout [UInt64], values: inout [UInt64]) {
    var scratchKeys: [UInt64] = []
    var scratchValues: [UInt64] = []
    sort(keys: &keys, values: &values, scratchKeys: &scratchKeys, scratchValues: &scratchValues)
  }

  /// Sorts with caller-owned scratch arrays, so repeated sorts reuse their memory.
  static func sort(
    keys: inout [UInt64], values: inout [UInt64], scratchKeys: inout [UInt64],
    scratchValues: inout [UInt64]
  ) {
    let n = keys.count
    guard n > 1 else { return }
    // One histogram per byte of the key, from a single pass.
    var counts = [Int](repeating: 0, count: 8 * 256)
    keys.withUnsafeBufferPointer { k in
      counts.withUnsafeMutableBufferPointer { c in
        for key in k {
          for byte in 0..<8 { c[byte * 256 + Int((key >> UInt64(byte * 8)) & 0xFF)] += 1 }
        }
      }
    }
    scratchKeys.reserveCapacity(keys.capacity)
    scratchValues.reserveCapacity(values.capacity)
    if scratchKeys.count < n {
      scratchKeys.append(contentsOf: repeatElement(0, count: n - scratchKeys.count))
      scratchValues.append(contentsOf: repeatElement(0, count: n - scratchValues.count))
    }
    var offsets = [Int](repeating: 0, count: 256)
    for byte in 0..<8 {
      let histogram = counts[byte * 256..<(byte + 1) * 256]
      if histogram.contains(n) { continue }  // every key has the same byte here
      var sum = 0
      for b in 0..<256 {
        offsets[b] = sum
        sum += histogram[histogram.startIndex + b]
      }
      let shift = UInt64(byte * 8)
      offsets.withUnsafeMutableBufferPointer { o in
        keys.withUnsafeBufferPointer { k in
          values.withUnsafeBufferPointer { v in
            scratchKeys.withUnsafeMutableBufferPointer { sk in
              scratchValues.withUnsafeMutableBufferPointer { sv in
                for i in 0..<n {
                  let key = k[i]
                  let b = Int((key >> shift) & 0xFF)
                  let target = o[b]
                  o[b] = target + 1
                  sk[target] = key
                  sv[target] = v[i]
                }
              }
            }
          }
        }
      }
      swap(&keys, &scratchKeys)
      swap(&values, &scratchValues)
    }
    // After an odd number of passes `keys` is the scratch array, longer than n: trim it.
    if keys.count != n {
      keys.removeSubrange(n...)
      values.removeSubrange(n...)
    }
  }
}
