/// Vector reductions and element-wise maps used by batch norm, ReLU and the weighted sum.

/// Sum of n floats, eight lanes at a time (float reductions do not vectorise on their own).
@inline(__always)
func vectorSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var a0 = SIMD8<Float>()
  var a1 = a0
  var i = 0
  while i + 16 <= n {
    a0 += load8(p + i)
    a1 += load8(p + i + 8)
    i += 16
  }
  if i + 8 <= n {
    a0 += load8(p + i)
    i += 8
  }
  var s = laneSum(a0 + a1)
  while i < n {
    s += p[i]
    i += 1
  }
  return s
}

/// (sum (p[i] - k), sum (p[i] - k)^2) over n floats in one pass: the shifted sums of a one-pass variance.
@inline(__always)
func vectorShiftedSums(_ p: UnsafePointer<Float>, _ n: Int, shift k: Float) -> (Float, Float) {
  let kv = SIMD8<Float>(repeating: k)
  var s0 = SIMD8<Float>()
  var s1 = s0
  var q0 = s0
  var q1 = s0
  var i = 0
  while i + 16 <= n {
    let d0 = load8(p + i) - kv
    let d1 = load8(p + i + 8) - kv
    s0 += d0
    s1 += d1
    q0 = madd(q0, d0, d0)
    q1 = madd(q1, d1, d1)
    i += 16
  }
  if i + 8 <= n {
    let d0 = load8(p + i) - kv
    s0 += d0
    q0 = madd(q0, d0, d0)
    i += 8
  }
  var s = laneSum(s0 + s1)
  var q = laneSum(q0 + q1)
  while i < n {
    let d = p[i] - k
    s += d
    q += d * d
    i += 1
  }
  return (s, q)
}

/// Dot product of n floats.
@inline(__always)
func vectorDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
  var a0 = SIMD8<Float>()
  var a1 = a0
  var i = 0
  while i + 16 <= n {
    a0 = madd(a0, load8(a + i), load8(b + i))
    a1 = madd(a1, load8(a + i + 8), load8(b + i + 8))
    i += 16
  }
  if i + 8 <= n {
    a0 = madd(a0, load8(a + i), load8(b + i))
    i += 8
  }
  var s = laneSum(a0 + a1)
  while i < n {
    s += a[i] * b[i]
    i += 1
  }
  return s
}

/// (sum g, sum g * (x - m)) over n floats in one pass.
@inline(__always)
func vectorSumAndCenteredDot(
  _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean m: Float
) -> (Float, Float) {
  let mv = SIMD8<Float>(repeating: m)
  var s0 = SIMD8<Float>()
  var s1 = s0
  var t0 = s0
  var t1 = s0
  var i = 0
  while i + 16 <= n {
    let g0 = load8(g + i)
    let g1 = load8(g + i + 8)
    s0 += g0
    s1 += g1
    t0 = madd(t0, g0, load8(x + i) - mv)
    t1 = madd(t1, g1, load8(x + i + 8) - mv)
    i += 16
  }
  if i + 8 <= n {
    let g0 = load8(g + i)
    s0 += g0
    t0 = madd(t0, g0, load8(x + i) - mv)
    i += 8
  }
  var a = laneSum(s0 + s1)
  var b = laneSum(t0 + t1)
  while i < n {
    a += g[i]
    b += g[i] * (x[i] - m)
    i += 1
  }
  return (a, b)
}

/// dst[i] (= or +=) a * src[i] + b.
@inline(__always)
func vectorAffine(
  _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, shift b: Float,
  accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  var i = 0
  if accumulate {
    while i + 8 <= n {
      store8(load8(dst + i) + madd(bv, av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] += a * src[i] + b
      i += 1
    }
  } else {
    while i + 8 <= n {
      store8(madd(bv, av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] = a * src[i] + b
      i += 1
    }
  }
}

/// dst[i] (= or +=) a * src[i].
@inline(__always)
func vectorScaleAdd(
  _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  var i = 0
  if accumulate {
    while i + 16 <= n {
      store8(madd(load8(dst + i), av, load8(src + i)), dst + i)
      store8(madd(load8(dst + i + 8), av, load8(src + i + 8)), dst + i + 8)
      i += 16
    }
    while i + 8 <= n {
      store8(madd(load8(dst + i), av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] += a * src[i]
      i += 1
    }
  } else {
    while i + 8 <= n {
      store8(av * load8(src + i), dst + i)
      i += 8
    }
    while i < n {
      dst[i] = a * src[i]
      i += 1
    }
  }
}

/// dst[i] (= or +=) a * g[i] + b * x[i] + c.
@inline(__always)
func vectorLinear2(
  _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, a: Float,
  b: Float, c: Float, accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  let cv = SIMD8<Float>(repeating: c)
  var i = 0
  while i + 8 <= n {
    var v = madd(madd(cv, av, load8(g + i)), bv, load8(x + i))
    if accumulate { v += load8(dst + i) }
    store8(v, dst + i)
    i += 8
  }
  while i < n {
    let v = a * g[i] + b * x[i] + c
    dst[i] = accumulate ? dst[i] + v : v
    i += 1
  }
}

/// dst[i] = src[i] for n floats, eight lanes at a time; a short tail is covered by one overlapping vector
/// (the ranges must not overlap each other).
@inline(__always)
func vectorCopy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
  if n < 8 {
    for i in 0..<n { dst[i] = src[i] }
    return
  }
  var i = 0
  while i + 8 <= n {
    store8(load8(src + i), dst + i)
    i += 8
  }
  if i < n { store8(load8(src + n - 8), dst + n - 8) }
}

/// dst[i] += v for n floats.
@inline(__always)
func vectorAddScalar(_ v: Float, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
  let vv = SIMD8<Float>(repeating: v)
  var i = 0
  while i + 8 <= n {
    store8(load8(dst + i) + vv, dst + i)
    i += 8
  }
  while i < n {
    dst[i] += v
    i += 1
  }
}

/// dst[i] = v for n floats, or dst[i] += v when `accumulate`: a gradient set fresh or added to.
@inline(__always)
func vectorFill(_ v: Float, _ dst: UnsafeMutablePointer<Float>, _ n: Int, accumulate: Bool) {
  if accumulate {
    vectorAddScalar(v, dst, n)
  } else {
    dst.update(repeating: v, count: n)
  }
}

/// dst[i] = src[i] for n floats, or dst[i] += src[i] when `accumulate`: a gradient set fresh or added to.
@inline(__always)
func vectorCopy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, accumulate: Bool) {
  if accumulate {
    vectorScaleAdd(src, dst, n, scale: 1, accumulate: true)
  } else {
    vectorCopy(src, dst, n)
  }
}

/// ReLU over n floats: dst[i] = max(src[i], 0), NaN staying NaN as in PyTorch (only values below zero
/// are replaced; a max instruction would turn NaN into 0 and hide a diverged loss).
@inline(__always)
func vectorRelu(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
  let zero = SIMD8<Float>()
  var i = 0
  while i + 8 <= n {
    let v = load8(src + i)
    store8(v.replacing(with: zero, where: v .< zero), dst + i)
    i += 8
  }
  while i < n {
    dst[i] = src[i] < 0 ? 0 : src[i]
    i += 1
  }
}

/// ReLU gradient over n floats: v = dy[i] where y[i] > 0, else 0; gx[i] = v, or gx[i] += v when
/// `accumulate`. gx may be dy itself (each dy[i] is read before gx[i] is written).
@inline(__always)
func vectorReluGradient(
  _ gy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ gx: UnsafeMutablePointer<Float>, _ n: Int,
  accumulate: Bool
) {
  let zero = SIMD8<Float>()
  var i = 0
  while i + 8 <= n {
    var v = zero.replacing(with: load8(gy + i), where: load8(y + i) .> zero)
    if accumulate { v += load8(gx + i) }
    store8(v, gx + i)
    i += 8
  }
  while i < n {
    let v = y[i] > 0 ? gy[i] : 0
    gx[i] = accumulate ? gx[i] + v : v
    i += 1
  }
}

/// dst[i] = relu(a * src[i] + b) (NaN kept, as `vectorRelu`): a batch norm's affine map, computed as
/// `vectorAffine` computes it, so values match a separate batch norm's output exactly, then the ReLU.
@inline(__always)
func vectorAffineRelu(
  _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, shift b: Float
) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  let zero = SIMD8<Float>()
  var i = 0
  while i + 8 <= n {
    let v = madd(bv, av, load8(src + i))
    store8(v.replacing(with: zero, where: v .< zero), dst + i)
    i += 8
  }
  while i < n {
    let v = a * src[i] + b
    dst[i] = v < 0 ? 0 : v
    i += 1
  }
}

/// The gradient through relu(a x + b) of dr, written to g: g[i] = dr[i] where a x[i] + b > 0, computed as
/// `vectorAffineRelu` computes the value. Returns (sum g, sum g (x - m)), the two sums of the batch norm's
/// backward. g may be dr itself.
@inline(__always)
func vectorAffineReluGradient(
  _ dr: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ n: Int,
  scale a: Float, shift b: Float, mean m: Float
) -> (Float, Float) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  let mv = SIMD8<Float>(repeating: m)
  let zero = SIMD8<Float>()
  var s = zero
  var d = zero
  var i = 0
  while i + 8 <= n {
    let xv = load8(x + i)
    let v = zero.replacing(with: load8(dr + i), where: madd(bv, av, xv) .> zero)
    store8(v, g + i)
    s += v
    d = madd(d, v, xv - mv)
    i += 8
  }
  var sum = laneSum(s)
  var centered = laneSum(d)
  while i < n {
    let v = a * x[i] + b > 0 ? dr[i] : 0
    g[i] = v
    sum += v
    centered += v * (x[i] - m)
    i += 1
  }
  return (sum, centered)
}
