/// Moving a row between a stride-2 grid and its dense values: the zero-upsampling of a stride-2 output
/// gradient, and the gather and scatter of a stride-2 1x1 convolution. Sixteen positions of the strided
/// row at a time (eight values), where the row has room for all sixteen; the rest one value at a time.

/// Spreads eight values over sixteen lanes: lane 2i holds v[i], the odd lanes 0.
@inline(__always)
private func spread(_ v: SIMD8<Float>) -> SIMD16<Float> {
  SIMD16(
    v[0], 0, v[1], 0, v[2], 0, v[3], 0, v[4], 0, v[5], 0, v[6], 0, v[7], 0)
}

/// dst[2j] = src[j] for j < n, and dst[2j + 1] = 0 wherever a whole vector is written: the row dst must
/// hold zeros at its odd positions already (a zero-padded gradient plane), since the last values are
/// written one at a time. `room` is how many floats from dst on belong to the row.
@inline(__always)
func spreadByTwo(_ src: UnsafePointer<Float>, _ n: Int, into dst: UnsafeMutablePointer<Float>, room: Int) {
  var j = 0
  while j + 8 <= n && 2 * j + 16 <= room {
    UnsafeMutableRawPointer(dst + 2 * j).storeBytes(of: spread(load8(src + j)), as: SIMD16<Float>.self)
    j += 8
  }
  while j < n {
    dst[2 * j] = src[j]
    j += 1
  }
}

/// dst[j] = v or relu(v) (`rectify`, NaN kept), v = src[2j], for j < n; `room` is how many floats from
/// src on belong to the row.
@inline(__always)
func gatherEven(
  _ src: UnsafePointer<Float>, _ n: Int, into dst: UnsafeMutablePointer<Float>, rectify: Bool, room: Int
) {
  var j = 0
  while j + 8 <= n && 2 * j + 16 <= room {
    var v = UnsafeRawPointer(src + 2 * j).loadUnaligned(as: SIMD16<Float>.self).evenHalf
    if rectify { v.replace(with: 0, where: v .< 0) }
    store8(v, dst + j)
    j += 8
  }
  while j < n {
    let v = src[2 * j]
    dst[j] = rectify && v < 0 ? 0 : v
    j += 1
  }
}

/// dst[2j] += values[j] for j < n, only where mask[j] > 0 when a mask is given (the gathered relu(x) of
/// a rectified 1x1 convolution). A whole vector adds zeros at the odd positions it covers, so the row
/// must not be written by another thread meanwhile; `room` is how many floats from dst on belong to it.
@inline(__always)
func scatterAddEven(
  _ values: UnsafePointer<Float>, _ n: Int, mask: UnsafePointer<Float>?, into dst: UnsafeMutablePointer<Float>,
  room: Int
) {
  var j = 0
  while j + 8 <= n && 2 * j + 16 <= room {
    var v = load8(values + j)
    if let mask { v = SIMD8<Float>().replacing(with: v, where: load8(mask + j) .> 0) }
    let p = UnsafeMutableRawPointer(dst + 2 * j)
    p.storeBytes(of: p.loadUnaligned(as: SIMD16<Float>.self) + spread(v), as: SIMD16<Float>.self)
    j += 8
  }
  while j < n {
    if mask.map({ $0[j] > 0 }) ?? true { dst[2 * j] += values[j] }
    j += 1
  }
}
