import Foundation
import Requirement

/// A seeded, learnable synthetic image data set for tests and offline use.
///
/// Class `k` of `C` draws a Gaussian blob whose centre sits on a ring at angle `2 pi k / C` (with a
/// random jitter of up to `size / 8` pixels in each direction), filled with stripes at orientation
/// `pi k / C` and a class-dependent period, with a random phase, tinted by class-dependent channel
/// gains, plus uniform pixel noise. A small CNN learns it quickly (orientation, position and colour all
/// carry the class), while no two images are alike. The same arguments always give the same bytes.
public enum SyntheticDataset {
  /// Makes a training and a test set, each with images of all classes interleaved
  /// (labels `0, 1, ..., C-1, 0, 1, ...`).
  ///
  /// - Parameters:
  ///   - classes: number of classes, at least 1.
  ///   - trainPerClass: training images per class (balanced; apply ``LongTail`` for imbalance).
  ///   - testPerClass: test images per class.
  ///   - channels: channels per image, at least 1.
  ///   - size: image height and width, at least 4.
  ///   - seed: the seed; training and test images come from independent streams derived from it.
  /// - Returns: the two sets, normalised with the training set's own per-channel statistics and with
  ///   ``Augmentation/synthetic`` as their training preset.
  public static func make(
    classes: Int = 10, trainPerClass: Int, testPerClass: Int, channels: Int = 3, size: Int = 32,
    seed: UInt64
  ) -> (train: ImageDataset, test: ImageDataset) {
    require(classes >= 1, "SyntheticDataset.make: classes must be at least 1, got \(classes)")
    require(trainPerClass >= 1, "SyntheticDataset.make: trainPerClass must be at least 1, got \(trainPerClass)")
    require(testPerClass >= 1, "SyntheticDataset.make: testPerClass must be at least 1, got \(testPerClass)")
    require(channels >= 1, "SyntheticDataset.make: channels must be at least 1, got \(channels)")
    require(size >= 4, "SyntheticDataset.make: size must be at least 4 (pixels a side), got \(size)")
    let trainPart = makePixels(
      classes: classes, perClass: trainPerClass, channels: channels, size: size,
      seed: SplitMix64.derivedSeed(seed, stream: 1))
    let testPart = makePixels(
      classes: classes, perClass: testPerClass, channels: channels, size: size,
      seed: SplitMix64.derivedSeed(seed, stream: 2))
    let normalization = PixelStatistics.normalization(
      of: trainPart.pixels, channels: channels, planeSize: size * size)
    do {
      let train = try ImageDataset(
        name: "synthetic/train", channels: channels, height: size, width: size,
        pixels: trainPart.pixels, labels: trainPart.labels, classCount: classes,
        normalization: normalization, trainingAugmentation: .synthetic)
      let test = try ImageDataset(
        name: "synthetic/test", channels: channels, height: size, width: size,
        pixels: testPart.pixels, labels: testPart.labels, classCount: classes,
        normalization: normalization, trainingAugmentation: .synthetic)
      return (train, test)
    } catch {
      preconditionFailure("synthetic data set is inconsistent: \(error)")
    }
  }

  private static func makePixels(
    classes: Int, perClass: Int, channels: Int, size: Int, seed: UInt64
  ) -> (pixels: [UInt8], labels: [Int]) {
    var generator = SplitMix64(seed: seed)
    let count = classes * perClass
    let planeSize = size * size
    let imageSize = channels * planeSize
    var pixels = [UInt8](repeating: 0, count: count * imageSize)
    var labels = [Int]()
    labels.reserveCapacity(count)
    // Scratch: the plane's envelope and per-column factors (the Gaussian and the stripe cosine are
    // separable: exp(-(dx² + dy²) / 2s²) = gx * gy and cos(a + b) = cos a cos b - sin a sin b).
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: planeSize + 3 * size)
    defer { scratch.deallocate() }
    let envelope = scratch
    let columnBlob = scratch + planeSize
    let columnCos = columnBlob + size
    let columnSin = columnCos + size
    let extent = Double(size)
    let ringRadius = extent / 4
    let jitter = max(1, size / 8)
    let sigma = extent / 5
    pixels.withUnsafeMutableBufferPointer { output in
      for item in 0..<count {
        let label = item % classes
        labels.append(label)
        let fraction = Double(label) / Double(classes)
        let orientation = Double.pi * fraction
        let period = 3.0 + Double(label % 3) + extent / 16
        let ringAngle = 2 * Double.pi * fraction
        let centerX =
          extent / 2 - 0.5 + ringRadius * cos(ringAngle)
          + Double(generator.uniformIndex(below: 2 * jitter + 1) - jitter)
        let centerY =
          extent / 2 - 0.5 + ringRadius * sin(ringAngle)
          + Double(generator.uniformIndex(below: 2 * jitter + 1) - jitter)
        let phase = 2 * Double.pi * generator.unitDouble()
        let directionX = cos(orientation) * 2 * Double.pi / period
        let directionY = sin(orientation) * 2 * Double.pi / period
        for x in 0..<size {
          let dx = Double(x) - centerX
          columnBlob[x] = exp(-dx * dx / (2 * sigma * sigma))
          columnCos[x] = cos(dx * directionX + phase)
          columnSin[x] = sin(dx * directionX + phase)
        }
        for y in 0..<size {
          let dy = Double(y) - centerY
          let rowBlob = exp(-dy * dy / (2 * sigma * sigma))
          let rowCos = cos(dy * directionY)
          let rowSin = sin(dy * directionY)
          for x in 0..<size {
            let stripe = 0.5 + 0.5 * (columnCos[x] * rowCos - columnSin[x] * rowSin)
            envelope[y * size + x] = rowBlob * columnBlob[x] * (0.35 + 0.65 * stripe)
          }
        }
        let base = item * imageSize
        for channel in 0..<channels {
          let gain = 0.55 + 0.45 * cos(2 * Double.pi * (fraction + Double(channel) / Double(channels + 1)))
          let plane = output.baseAddress! + base + channel * planeSize
          var bits: UInt64 = 0
          for offset in 0..<planeSize {
            // Four 16-bit uniform noise samples per 64 random bits.
            if offset & 3 == 0 { bits = generator.next() }
            let noise = 0.16 * (Double(bits & 0xFFFF) * 0x1.0p-16 - 0.5)
            bits >>= 16
            let value = 0.15 + 0.75 * gain * envelope[offset] + noise
            plane[offset] = UInt8(min(1, max(0, value)) * 255 + 0.5)
          }
        }
      }
    }
    return (pixels, labels)
  }
}
