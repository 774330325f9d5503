import Datasets
import Foundation
import Testing

@testable import Engine

/// The shifted sums a producer takes per plane (`PlaneMoments`) give the batch statistics of a pass of
/// their own in double: with images far apart in value (so that moving each plane's sums to image 0's
/// shift matters), through `termStatistics` with the running statistics' update, and from the separable
/// convolution that takes them while it writes its output.
@Suite struct PlaneMomentsTests {
  /// [n, c, h, w] values u + 3 b - 2 c with u uniform in [-1, 1]: means and deviations differing per image.
  static func spread(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SplitMix64(seed: seed)
    let t = Tensor(uninitialized: shape)
    let (c, hw) = (shape[1], shape[2] * shape[3])
    for i in 0..<t.count {
      let (b, ch) = (i / (c * hw), i / hw % c)
      t[i] = Float.random(in: -1...1, using: &g) * Float(1 + ch) + Float(3 * b) - Float(2 * ch)
    }
    return t
  }

  /// The mean and biased variance of channel ch over images and plane, in double.
  static func moments(_ t: Tensor, channel ch: Int) -> (mean: Double, variance: Double) {
    let (n, c, hw) = (t.shape[0], t.shape[1], t.shape[2] * t.shape[3])
    var values: [Double] = []
    for b in 0..<n { for i in 0..<hw { values.append(Double(t[(b * c + ch) * hw + i])) } }
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count))
  }

  static func recorded(_ t: Tensor) -> PlaneMoments {
    let (n, c, hw) = (t.shape[0], t.shape[1], t.shape[2] * t.shape[3])
    let moments = PlaneMoments(images: n, channels: c, planeSize: hw)
    for b in 0..<n { moments.record(image: b, planes: t.data + b * c * hw) }
    return moments
  }

  @Test(arguments: [[5, 3, 7, 9], [1, 2, 1, 1], [4, 2, 32, 32]])
  func channelSumsGiveTheBatchMoments(shape: [Int]) {
    let t = Self.spread(shape, seed: UInt64(shape.reduce(1, *)))
    let moments = Self.recorded(t)
    for ch in 0..<shape[1] {
      let (shift, sum, squares) = moments.channelSums(ch)
      #expect(shift == t[ch * shape[2] * shape[3]])
      let (mean, variance) = Tape.moments(
        sum: sum, squares: squares, shift: shift, count: shape[0] * shape[2] * shape[3])
      let expected = Self.moments(t, channel: ch)
      #expect(abs(Double(mean) - expected.mean) <= 1e-5 * max(1, abs(expected.mean)), "channel \(ch)")
      #expect(abs(Double(variance) - expected.variance) <= 1e-5 * max(1, expected.variance), "channel \(ch)")
    }
  }

  /// Statistics from recorded sums equal those of the pass over the tensor, running update included; sums
  /// recorded from another tensor give that tensor's statistics (they are what is read), and sums of
  /// another shape are not used.
  @Test(arguments: [1, 2])
  func termStatisticsUseRecordedSums(threads: Int) {
    let shape = [6, 3, 5, 4]
    let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
    let x = Self.spread(shape, seed: 1)
    let other = Self.spread(shape, seed: 2)
    for i in 0..<other.count { other[i] = other[i] * 0.5 + 1 }
    let tape = Tape(threads: threads)
    func statistics(_ moments: PlaneMoments?) -> ([Float], [Float], RunningStatistics) {
      let running = RunningStatistics(channels: c)
      let (_, means, invStds) = tape.termStatistics(
        [UnsafePointer(x.data)], normalized: [true], running: [running], training: true, eps: 1e-5,
        shape: (n, c, hw), moments: [moments])
      return (means, invStds, running)
    }
    let (means, invStds, running) = statistics(nil)
    let (takenMeans, takenInvStds, takenRunning) = statistics(Self.recorded(x))
    for ch in 0..<c {
      #expect(abs(takenMeans[ch] - means[ch]) <= 1e-5 * max(1, abs(means[ch])))
      #expect(abs(takenInvStds[ch] - invStds[ch]) <= 1e-5 * invStds[ch])
      #expect(abs(takenRunning.mean[ch] - running.mean[ch]) <= 1e-5 * max(1, abs(running.mean[ch])))
      #expect(abs(takenRunning.variance[ch] - running.variance[ch]) <= 1e-5 * running.variance[ch])
    }
    #expect(takenRunning.batchesTracked == 1)
    let (otherMeans, otherInvStds, _) = statistics(Self.recorded(other))
    for ch in 0..<c {
      let expected = Self.moments(other, channel: ch)
      #expect(abs(Double(otherMeans[ch]) - expected.mean) <= 1e-5 * max(1, abs(expected.mean)))
      #expect(
        abs(Double(1 / (otherInvStds[ch] * otherInvStds[ch])) - expected.variance - 1e-5) <= 1e-4 * expected.variance)
    }
    let misshapen = PlaneMoments(images: n, channels: c, planeSize: hw / 2)
    let (ignoredMeans, _, _) = statistics(misshapen)
    #expect(ignoredMeans == means)
  }

  /// A separable convolution records its output's sums, image by image on every thread.
  @Test(arguments: [(1, 1), (2, 2), (2, 1)])
  func separableConvRecordsItsOutput(threads: Int, stride: Int) throws {
    var g = SplitMix64(seed: 5)
    let x = GradientCheckTests.random([5, 3, 9, 8], &g)
    let depthwise = GradientCheckTests.random([3, 1, 3, 3], &g)
    let pointwise = GradientCheckTests.random([4, 3, 1, 1], &g)
    let tape = Tape(threads: threads)
    let y = tape.separableConv(x, depthwise: depthwise, pointwise: pointwise, stride: stride, padding: 1, rectify: true)
    let moments = try #require(y.planeMoments)
    let (n, c, hw) = (y.shape[0], y.shape[1], y.shape[2] * y.shape[3])
    #expect(moments.images == n && moments.channels == c && moments.planeSize == hw)
    for ch in 0..<c {
      let (shift, sum, squares) = moments.channelSums(ch)
      let (mean, variance) = Tape.moments(sum: sum, squares: squares, shift: shift, count: n * hw)
      let expected = Self.moments(y, channel: ch)
      #expect(abs(Double(mean) - expected.mean) <= 1e-5 * max(1, abs(expected.mean)))
      #expect(abs(Double(variance) - expected.variance) <= 1e-5 * max(1, expected.variance))
    }
  }
}
