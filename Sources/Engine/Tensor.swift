import Foundation

/// A contiguous float32 tensor in NCHW order with an optional gradient.
///
/// Tensors have reference semantics: an op's output and the tape's backward closures share one object,
/// and gradients accumulate into `grad`. Storage comes from a `BufferPool` and returns to it on `deinit`.
/// A tensor made by `Tape.concatChannels` or `Tape.sliceSpatial` is a view (`Tensor.View`) whose dense
/// storage exists only once something reads `data`.
public final class Tensor: @unchecked Sendable {
  /// The extent of each dimension, outermost first.
  public let shape: [Int]
  /// The number of elements.
  public let count: Int
  /// The elements, row-major. For a view, reading this copies what the view shows into the view's own
  /// storage the first time.
  public var data: UnsafeMutablePointer<Float> {
    if let storage { return storage }
    switch view.unsafelyUnwrapped {
    case .channels(let concatenation): return concatenation.contents()
    case .spatialSlice(let slice): return slice.contents()
    }
  }
  /// The storage of a plain tensor; nil for a view.
  private let storage: UnsafeMutablePointer<Float>?

  /// What a view tensor shows; ops that know a kind read it in place.
  enum View {
    /// The channel concatenation of other tensors.
    case channels(ChannelConcatenation)
    /// x[:, :, top:, left:] of another tensor.
    case spatialSlice(SpatialSlice)
  }
  /// Set for a view tensor, nil for a plain one.
  let view: View?

  /// The parts when this tensor is a channel concatenation view.
  var concatenation: ChannelConcatenation? {
    if case .channels(let c) = view { c } else { nil }
  }

  static let readOnlyView = "a view (concatenation or slice) is read-only: change the tensors it shows"

  /// The parts of a channel concatenation view whose gradient may be added straight into the parts'
  /// gradients (every part a different tensor); nil for plain tensors.
  var distinctParts: ChannelConcatenation? {
    guard let concatenation, concatenation.partsAreDistinct else { return nil }
    return concatenation
  }

  /// The base and offset when this tensor is a spatial slice view.
  var spatialSlice: SpatialSlice? {
    if case .spatialSlice(let s) = view { s } else { nil }
  }
  /// Whether gradients flow into this tensor.
  public var requiresGrad: Bool
  /// The accumulated gradient, allocated on first use. Reading it writes a pending gradient out first.
  public var grad: Tensor? {
    get {
      if let pending = pendingGradient { writePendingGradient(pending) }
      return storedGradient
    }
    set {
      storedGradient = newValue
      pendingGradient = nil
    }
  }
  /// The gradient as written so far (without a pending one).
  private(set) var storedGradient: Tensor?
  /// A gradient left by a normalised sum for the op that made this tensor to write (`PendingGradient`);
  /// only set while `storedGradient` is nil.
  private(set) var pendingGradient: PendingGradient?
  /// Whether the op that made this tensor reads a pending gradient in its backward (`PendingGradient`).
  var acceptsPendingGradient = false
  /// Whether a tape op made this tensor; the tape drops such a tensor's gradient after back-propagating it.
  var isIntermediate = false
  /// The shifted sums of each plane, when the op that wrote this tensor took them (`PlaneMoments`).
  var planeMoments: PlaneMoments?
  private let pool: BufferPool

  /// A tensor with unspecified contents.
  public init(uninitialized shape: [Int], requiresGrad: Bool = false, pool: BufferPool = .shared) {
    require(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    self.count = shape.reduce(1, *)
    self.pool = pool
    self.storage = pool.take(count)
    self.view = nil
    self.requiresGrad = requiresGrad
  }

  /// A channel concatenation view over `parts` (4-D, equal N, H, W), read in place.
  init(concatenating parts: [Tensor], requiresGrad: Bool, pool: BufferPool = .shared) {
    let concatenation = ChannelConcatenation(parts, pool: pool)
    self.shape = [concatenation.images, concatenation.totalChannels, parts[0].shape[2], parts[0].shape[3]]
    self.count = shape.reduce(1, *)
    self.pool = pool
    self.storage = nil
    self.view = .channels(concatenation)
    self.requiresGrad = requiresGrad
  }

  /// The spatial slice view x[:, :, top:, left:] of the 4-D tensor `base`, read in place.
  init(slicing base: Tensor, top: Int, left: Int, requiresGrad: Bool, pool: BufferPool = .shared) {
    let slice = SpatialSlice(base, top: top, left: left, pool: pool)
    self.shape = slice.shape
    self.count = shape.reduce(1, *)
    self.pool = pool
    self.storage = nil
    self.view = .spatialSlice(slice)
    self.requiresGrad = requiresGrad
  }

  /// A tensor filled with `value`.
  public convenience init(
    repeating value: Float, shape: [Int], requiresGrad: Bool = false, pool: BufferPool = .shared
  ) {
    self.init(uninitialized: shape, requiresGrad: requiresGrad, pool: pool)
    data.update(repeating: value, count: count)
  }

  /// A tensor of zeros.
  public convenience init(zeros shape: [Int], requiresGrad: Bool = false, pool: BufferPool = .shared) {
    self.init(repeating: 0, shape: shape, requiresGrad: requiresGrad, pool: pool)
  }

  /// A tensor holding `values` in row-major order.
  public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
    self.init(uninitialized: shape, requiresGrad: requiresGrad)
    require(values.count == count, "\(values.count) values for shape \(shape)")
    values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
  }

  deinit {
    if let storage { pool.give(storage, count: count) }
  }

  /// The elements as an array.
  public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

  /// The elements as a buffer.
  public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

  /// Element access by flat index.
  public subscript(index: Int) -> Float {
    get { data[index] }
    set {
      precondition(view == nil, Self.readOnlyView)
      data[index] = newValue
    }
  }

  /// Leaves `pending` as this tensor's gradient, to be written by its producer's backward. Returns false
  /// (and leaves nothing) when the producer cannot take one or a gradient is already there.
  func deferGradient(_ pending: PendingGradient) -> Bool {
    guard acceptsPendingGradient, storedGradient == nil, pendingGradient == nil else { return false }
    pendingGradient = pending
    return true
  }

  /// Takes the pending gradient, when there is one and nothing else has been written: the caller then
  /// writes it where it needs it.
  func takePendingGradient() -> PendingGradient? {
    guard storedGradient == nil, let pending = pendingGradient else { return nil }
    pendingGradient = nil
    return pending
  }

  private func writePendingGradient(_ pending: PendingGradient) {
    pendingGradient = nil
    require(storedGradient == nil, "a pending gradient beside a written one")
    let g = Tensor(uninitialized: shape, pool: pool)
    pending.write(into: g.data, accumulate: false)
    storedGradient = g
  }

  /// The gradient buffer, created as zeros when missing.
  public func gradient() -> Tensor {
    if let grad { return grad }
    let g = Tensor(zeros: shape, pool: pool)
    grad = g
    return g
  }

  /// The gradient storage for a backward kernel and whether the kernel must add to it (`true`) or may
  /// overwrite it (`false`: the gradient was missing and is now allocated uninitialised).
  func gradientTarget() -> (UnsafeMutablePointer<Float>, accumulate: Bool) {
    if let grad { return (grad.data, true) }
    let g = Tensor(uninitialized: shape, pool: pool)
    grad = g
    return (g.data, false)
  }

  /// The gradient storage for the backward kernel of an elementwise op whose output `y` has this tensor's
  /// shape, and whether the kernel must add to it.
  ///
  /// When this tensor has no gradient yet and y is an intermediate (whose gradient the tape drops once
  /// y's own closure has run), y's gradient buffer is handed over instead of taking a new one: the kernel
  /// then computes dx in place over dy, one buffer less in flight and no write-allocate of a fresh one.
  /// Only for kernels that read dy[i] before writing dx[i] at the same index.
  func gradientTarget(donatedBy y: Tensor) -> (UnsafeMutablePointer<Float>, accumulate: Bool) {
    if grad == nil, y.isIntermediate, let gy = y.grad, gy.shape == shape {
      y.grad = nil
      grad = gy
      return (gy.data, false)
    }
    return gradientTarget()
  }

  /// Sets the gradient to zero, keeping its storage.
  public func zeroGrad() {
    grad?.data.update(repeating: 0, count: count)
  }

  /// A copy of the values (no gradient).
  public func copy() -> Tensor {
    let t = Tensor(uninitialized: shape, pool: pool)
    t.data.update(from: data, count: count)
    return t
  }

  /// Copies the values of `other`, which must have the same element count.
  public func assign(_ other: Tensor) {
    require(other.count == count, "assign: \(other.shape) into \(shape)")
    require(view == nil, Self.readOnlyView)
    data.update(from: other.data, count: count)
  }

  /// Fills with normally distributed values (Box-Muller over `generator`).
  ///
  /// Inlinable so that the uniform draws are specialised for the caller's generator: through the
  /// generic entry point every draw was an unspecialised call chain, which made filling a batch of images
  /// cost as much as several convolutions.
  @inlinable
  public func fillNormal<G: RandomNumberGenerator>(std: Float, using generator: inout G) {
    fillNormal(std: std) {
      let u1 = Float.random(in: Float.ulpOfOne..<1, using: &generator)
      let u2 = Float.random(in: 0..<1, using: &generator)
      return (u1, u2)
    }
  }

  /// Box-Muller over pairs of uniforms (u1 in [ulp, 1), u2 in [0, 1)) from `uniforms`:
  /// z0 = sqrt(-2 ln u1) cos(2 pi u2), z1 = sqrt(-2 ln u1) sin(2 pi u2), both times `std`.
  @usableFromInline
  func fillNormal(std: Float, uniforms: () -> (Float, Float)) {
    require(view == nil, Self.readOnlyView)
    let p = data
    var i = 0
    while i < count {
      let (u1, u2) = uniforms()
      let r = (-2 * log(u1)).squareRoot() * std
      p[i] = r * cos(2 * .pi * u2)
      if i + 1 < count { p[i + 1] = r * sin(2 * .pi * u2) }
      i += 2
    }
  }

  /// The sum of squares of the elements, accumulated in double precision: in eight lanes (element i in lane
  /// i mod 8, the lanes added in order at the end), so the sum is vectorized and does not wait on one chain
  /// of additions; the order depends only on the count, so the result is deterministic.
  public func squaredNorm() -> Double {
    let p = UnsafeRawPointer(data)
    var lanes = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
      let v = SIMD8<Double>(p.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
      lanes += v * v
      i += 8
    }
    var s = 0.0
    for lane in 0..<8 { s += lanes[lane] }
    while i < count {
      s += Double(data[i]) * Double(data[i])
      i += 1
    }
    return s
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let head = scalars.prefix(8).map { String(format: "%.5g", $0) }.joined(separator: ", ")
    return "Tensor\(shape)[\(head)\(count > 8 ? ", ..." : "")]"
  }
}
