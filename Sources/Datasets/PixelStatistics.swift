import Requirement

/// Per-channel pixel statistics, used when a data set has no conventional normalisation.
public enum PixelStatistics {
  /// The normalisation (mean and standard deviation on the `[0, 1]` scale, per channel) of NCHW
  /// `pixels`, where each image has `channels` planes of `planeSize` bytes. A channel with no
  /// variation gets std 1.
  public static func normalization(of pixels: [UInt8], channels: Int, planeSize: Int) -> Normalization {
    require(channels > 0, "PixelStatistics.normalization: channels must be positive, got \(channels)")
    require(planeSize > 0, "PixelStatistics.normalization: planeSize must be positive, got \(planeSize)")
    require(
      pixels.count % (channels * planeSize) == 0,
      "PixelStatistics.normalization: \(pixels.count) pixels do not split into whole images of \(channels) planes of "
        + "\(planeSize)")
    // One histogram per channel keeps this exact and fast for any number of images.
    var histograms = [Int](repeating: 0, count: channels * 256)
    pixels.withUnsafeBufferPointer { buffer in
      histograms.withUnsafeMutableBufferPointer { counts in
        var offset = 0
        while offset < buffer.count {
          for channel in 0..<channels {
            let base = channel * 256
            for index in offset..<offset + planeSize {
              counts[base + Int(buffer[index])] += 1
            }
            offset += planeSize
          }
        }
      }
    }
    var means = [Float]()
    var deviations = [Float]()
    for channel in 0..<channels {
      var total = 0.0
      var sum = 0.0
      var squares = 0.0
      for value in 0..<256 {
        let n = Double(histograms[channel * 256 + value])
        let x = Double(value) / 255
        total += n
        sum += n * x
        squares += n * x * x
      }
      let mean = total > 0 ? sum / total : 0
      let variance = total > 0 ? max(0, squares / total - mean * mean) : 0
      let deviation = variance.squareRoot()
      means.append(Float(mean))
      deviations.append(deviation > 1e-6 ? Float(deviation) : 1)
    }
    return Normalization(mean: means, std: deviations)
  }
}
