import Foundation

/// The parts behind a tensor that is the channel concatenation of other NCHW tensors, read in place.
///
/// `Tape.concatChannels` returns such a view instead of copying: ops that know views (ReLU, global average
/// pooling, gradient seeding) read the parts directly and route their input gradient into the parts'
/// gradients, so neither the forward copy nor the backward split happens. Any other reader gets the dense
/// NCHW values through `Tensor.data`, which copies the parts into a buffer of the view's own on first use
/// (`Tape` ops fill it in parallel; direct reads fill it on the calling thread).
///
/// The view reads its parts when first read, not when it is made (PyTorch's `cat` copies at once): a part
/// must not be modified while the view is in use. Tape ops never modify their inputs.
final class ChannelConcatenation: @unchecked Sendable {
  /// The concatenated tensors, each [N, C_k, H, W], in channel order.
  let parts: [Tensor]
  /// C_k of each part.
  let channels: [Int]
  /// The first channel of each part in the concatenation: sum of C_j for j < k.
  let starts: [Int]
  /// N and H W, equal for every part.
  let images: Int
  let planeSize: Int
  private let storage: ViewStorage

  init(_ parts: [Tensor], pool: BufferPool) {
    let (n, _, h, w) = parts[0].nchw
    self.parts = parts
    channels = parts.map { $0.shape[1] }
    var starts: [Int] = []
    var start = 0
    for c in channels {
      starts.append(start)
      start += c
    }
    self.starts = starts
    images = n
    planeSize = h * w
    storage = ViewStorage(count: n * start * h * w, pool: pool)
    partsAreDistinct = Set(parts.map(ObjectIdentifier.init)).count == parts.count
  }

  /// Whether no tensor appears twice among the parts.
  let partsAreDistinct: Bool

  /// The total channel count, sum of C_k.
  var totalChannels: Int { starts.last! + channels.last! }

  /// The number of contiguous runs: one per image and part.
  var runCount: Int { images * parts.count }

  /// Run i: part `i % parts`, image `i / parts`; where it starts in the part (`source`) and in the dense
  /// NCHW concatenation (`destination`), and its length C_k H W.
  func run(_ i: Int) -> (part: Int, source: Int, destination: Int, length: Int) {
    let k = i % parts.count
    let b = i / parts.count
    let length = channels[k] * planeSize
    return (k, b * length, (b * totalChannels + starts[k]) * planeSize, length)
  }

  /// The dense NCHW values, copied from the parts on first call. `fill(copyRuns)` copies every run: the
  /// caller may split it over threads (the default copies on the calling thread).
  func contents(fill: ((_ copyRuns: (Range<Int>) -> Void) -> Void)? = nil) -> UnsafeMutablePointer<Float> {
    storage.contents { dense in
      let sources = parts.map(\.data)
      let copyRuns = { [self] (r: Range<Int>) in
        for i in r {
          let (k, source, destination, length) = run(i)
          vectorCopy(sources[k] + source, dense + destination, length)
        }
      }
      if let fill { fill(copyRuns) } else { copyRuns(0..<runCount) }
    }
  }

  /// Each part's gradient storage and whether a kernel must add to it; nil for parts without gradient.
  /// Only for views with distinct parts.
  func gradientTargets() -> [(UnsafeMutablePointer<Float>, accumulate: Bool)?] {
    parts.map { $0.requiresGrad ? $0.gradientTarget() : nil }
  }
}
