/// Moving a row between a strided grid and its dense values: the zero-upsampling of a strided output
/// gradient, and the gather and scatter of a strided 1x1 convolution. At stride 2, sixteen positions of the
/// strided row at a time (eight values), where the row has room for all sixteen; the rest, and any other
/// stride, one value at a time.

/// Spreads eight values over sixteen lanes: lane 2i holds v[i], the odd lanes 0.
@inline(__always)
private func spread(_ v: SIMD8<Float>) -> SIMD16<Float> {
  SIMD16(
    v[0], 0, v[1], 0, v[2], 0, v[3], 0, v[4], 0, v[5], 0, v[6], 0, v[7], 0)
}

/// dst[s j] = src[j] for j < n. At stride 2 a whole vector also writes 0 at the odd positions it covers,
/// so the row dst must hold zeros between the strided positions already (a zero-padded gradient plane).
/// `room` is how many floats from dst on belong to the row.
@inline(__always)
func spreadStrided(
  _ src: UnsafePointer<Float>, _ n: Int, stride s: Int, into dst: UnsafeMutablePointer<Float>, room: Int
) {
  var j = 0
  while s == 2 && j + 8 <= n && 2 * j + 16 <= room {
    UnsafeMutableRawPointer(dst + 2 * j).storeBytes(of: spread(load8(src + j)), as: SIMD16<Float>.self)
    j += 8
  }
  while j < n {
    dst[s * j] = src[j]
    j += 1
  }
}

/// dst[j] = v or relu(v) (`rectify`, NaN kept), v = src[s j], for j < n; `room` is how many floats from
/// src on belong to the row.
@inline(__always)
func gatherStrided(
  _ src: UnsafePointer<Float>, _ n: Int, stride s: Int, into dst: UnsafeMutablePointer<Float>, rectify: Bool,
  room: Int
) {
  var j = 0
  while s == 2 && j + 8 <= n && 2 * j + 16 <= room {
    var v = UnsafeRawPointer(src + 2 * j).loadUnaligned(as: SIMD16<Float>.self).evenHalf
    if rectify { v.replace(with: 0, where: v .< 0) }
    store8(v, dst + j)
    j += 8
  }
  while j < n {
    let v = src[s * j]
    dst[j] = rectify && v < 0 ? 0 : v
    j += 1
  }
}

/// dst[s j] += values[j] for j < n, only where mask[j] > 0 when a mask is given (the gathered relu(x) of
/// a rectified 1x1 convolution). At stride 2 a whole vector adds zeros at the odd positions it covers, so
/// the row must not be written by another thread meanwhile; `room` is how many floats from dst on belong
/// to it.
@inline(__always)
func scatterAddStrided(
  _ values: UnsafePointer<Float>, _ n: Int, stride s: Int, mask: UnsafePointer<Float>?,
  into dst: UnsafeMutablePointer<Float>, room: Int
) {
  var j = 0
  while s == 2 && j + 8 <= n && 2 * j + 16 <= room {
    var v = load8(values + j)
    if let mask { v = SIMD8<Float>().replacing(with: v, where: load8(mask + j) .> 0) }
    let p = UnsafeMutableRawPointer(dst + 2 * j)
    p.storeBytes(of: p.loadUnaligned(as: SIMD16<Float>.self) + spread(v), as: SIMD16<Float>.self)
    j += 8
  }
  while j < n {
    if mask.map({ $0[j] > 0 }) ?? true { dst[s * j] += values[j] }
    j += 1
  }
}
