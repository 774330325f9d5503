import Datasets
import Testing

@Suite struct AugmentationTests {
  /// One 1x4x4 image with pixels 1 ... 16 (row-major), normalised to `pixel / 255`.
  func ramp(normalization: Normalization = Normalization(mean: [0], std: [1])) throws -> ImageDataset {
    try ImageDataset(
      name: "ramp", channels: 1, height: 4, width: 4, pixels: (1...16).map { UInt8($0) }, labels: [0],
      classCount: 1, normalization: normalization)
  }

  func fill(_ dataset: ImageDataset, _ augmentation: Augmentation, _ generator: inout SplitMix64) -> [Float] {
    var output = [Float](repeating: .nan, count: dataset.imageSize)
    output.withUnsafeMutableBufferPointer { buffer in
      dataset.fillBatch(indices: [0], into: buffer.baseAddress!, augmentation: augmentation, generator: &generator)
    }
    return output
  }

  /// The ramp shifted so that output (y, x) shows input (y + dy, x + dx), zero outside, optionally mirrored.
  func shifted(dy: Int, dx: Int, flip: Bool) -> [Float] {
    var result = [Float]()
    for y in 0..<4 {
      for x in 0..<4 {
        let sy = y + dy
        let sx = (flip ? 3 - x : x) + dx
        result.append((0..<4).contains(sy) && (0..<4).contains(sx) ? Float(sy * 4 + sx + 1) / 255 : 0)
      }
    }
    return result
  }

  @Test func normalisationValues() throws {
    let fashion = try ImageDataset(
      name: "f", channels: 1, height: 1, width: 4, pixels: [0, 255, 51, 128], labels: [0], classCount: 1,
      normalization: .fashionMNIST)
    let values = fashion.batch(indices: [0])
    let expected: [Float] = [0, 255, 51, 128].map { (Float($0) / 255 - 0.2860) / 0.3530 }
    #expect(zip(values, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    #expect(abs(values[1] - 2.022_662) < 1e-5)

    let cifar = try ImageDataset(
      name: "c", channels: 3, height: 1, width: 2, pixels: [255, 0, 255, 0, 255, 0], labels: [0],
      classCount: 1, normalization: .cifar10)
    let rgb = cifar.batch(indices: [0])
    let means: [Float] = [0.4914, 0.4822, 0.4465]
    let stds: [Float] = [0.2470, 0.2435, 0.2616]
    for channel in 0..<3 {
      #expect(abs(rgb[2 * channel] - (1 - means[channel]) / stds[channel]) < 1e-5)
      #expect(abs(rgb[2 * channel + 1] - (0 - means[channel]) / stds[channel]) < 1e-5)
    }
  }

  @Test func noAugmentationIsTheIdentityAndUsesNoRandomness() throws {
    let dataset = try ramp()
    var generator = SplitMix64(seed: 3)
    #expect(fill(dataset, .none, &generator) == shifted(dy: 0, dx: 0, flip: false))
    #expect(generator.state == SplitMix64(seed: 3).state)
  }

  @Test func flipMirrorsRows() throws {
    let dataset = try ramp()
    var generator = SplitMix64(seed: 1)
    var flips = 0
    for _ in 0..<100 {
      var predictor = generator
      let predicted = predictor.next() >> 63 == 1
      let output = fill(dataset, Augmentation(horizontalFlip: true), &generator)
      #expect(output == shifted(dy: 0, dx: 0, flip: predicted))
      if predicted { flips += 1 }
    }
    #expect(flips > 30 && flips < 70)
    // Row 0 mirrored reads 4, 3, 2, 1.
    #expect(Array(shifted(dy: 0, dx: 0, flip: true).prefix(4)) == [4, 3, 2, 1].map { Float($0) / 255 })
  }

  @Test func cropShiftsWithZeroFill() throws {
    let dataset = try ramp()
    var generator = SplitMix64(seed: 2)
    var seen = Set<[Int]>()
    for _ in 0..<300 {
      var predictor = generator
      let dy = predictor.uniformIndex(below: 3) - 1
      let dx = predictor.uniformIndex(below: 3) - 1
      let output = fill(dataset, Augmentation(cropPadding: 1), &generator)
      #expect(output == shifted(dy: dy, dx: dx, flip: false))
      seen.insert([dy, dx])
    }
    #expect(seen.count == 9)
    // A shift down by one: the top row is padding, row 1 shows the original row 0.
    let down = shifted(dy: -1, dx: 0, flip: false)
    #expect(Array(down.prefix(8)) == [0, 0, 0, 0, 1, 2, 3, 4].map { Float($0) / 255 })
  }

  @Test func cropPaddingIsBlackAfterNormalisation() throws {
    let dataset = try ramp(normalization: .fashionMNIST)
    var generator = SplitMix64(seed: 8)
    let black = (0 - Float(0.2860)) / 0.3530
    var sawPadding = false
    for _ in 0..<50 {
      let output = fill(dataset, Augmentation(cropPadding: 2), &generator)
      let minimum = output.min()!
      #expect(abs(minimum - black) < 1e-6 || abs(minimum - (Float(1) / 255 - 0.2860) / 0.3530) < 1e-6)
      if abs(minimum - black) < 1e-6 { sawPadding = true }
    }
    #expect(sawPadding)
  }

  @Test func cutoutZeroesASquare() throws {
    let dataset = try ImageDataset(
      name: "white", channels: 2, height: 6, width: 6, pixels: Array(repeating: 255, count: 72), labels: [0],
      classCount: 1, normalization: Normalization(mean: [0.5, 0.5], std: [0.5, 0.5]))
    var generator = SplitMix64(seed: 4)
    for _ in 0..<50 {
      var predictor = generator
      let cy = predictor.uniformIndex(below: 6)
      let cx = predictor.uniformIndex(below: 6)
      var output = [Float](repeating: .nan, count: 72)
      output.withUnsafeMutableBufferPointer { buffer in
        dataset.fillBatch(
          indices: [0], into: buffer.baseAddress!, augmentation: Augmentation(cutoutLength: 4),
          generator: &generator)
      }
      for channel in 0..<2 {
        for y in 0..<6 {
          for x in 0..<6 {
            let inside = (cy - 2..<cy + 2).contains(y) && (cx - 2..<cx + 2).contains(x)
            #expect(output[channel * 36 + y * 6 + x] == (inside ? 0 : 1))
          }
        }
      }
    }
  }

  @Test func batchesLandAtTheirOffsets() throws {
    let dataset = try tinyDataset(labels: [0, 1, 2, 3], classCount: 4, side: 3)
    let values = dataset.batch(indices: [2, 0, 3])
    #expect(values.count == 27)
    #expect(values[0..<9].allSatisfy { $0 == Float(2) / 255 })
    #expect(values[9..<18].allSatisfy { $0 == 0 })
    #expect(values[18..<27].allSatisfy { $0 == Float(3) / 255 })
    #expect(dataset.labels(of: [2, 0, 3]) == [2, 0, 3])
  }

  @Test func presets() {
    #expect(Augmentation.cifar10 == Augmentation(cropPadding: 4, horizontalFlip: true, cutoutLength: 0))
    #expect(Augmentation.fashionMNIST == Augmentation(cropPadding: 2, horizontalFlip: true))
    #expect(Augmentation.none.isIdentity && !Augmentation.synthetic.isIdentity)
  }
}
