import Datasets
import Testing

@Suite struct SyntheticDatasetTests {
  @Test func deterministicPerSeed() {
    let a = SyntheticDataset.make(classes: 4, trainPerClass: 5, testPerClass: 2, channels: 3, size: 16, seed: 1)
    let b = SyntheticDataset.make(classes: 4, trainPerClass: 5, testPerClass: 2, channels: 3, size: 16, seed: 1)
    let c = SyntheticDataset.make(classes: 4, trainPerClass: 5, testPerClass: 2, channels: 3, size: 16, seed: 2)
    #expect(a.train.pixels == b.train.pixels && a.test.pixels == b.test.pixels)
    #expect(a.train.labels == b.train.labels && a.train.normalization == b.train.normalization)
    #expect(a.train.pixels != c.train.pixels)
    #expect(a.train.pixels != Array(a.test.pixels.prefix(a.train.pixels.count)))
  }

  @Test func shapeAndLabels() {
    let (train, test) = SyntheticDataset.make(
      classes: 10, trainPerClass: 7, testPerClass: 3, channels: 1, size: 12, seed: 5)
    #expect(train.count == 70 && test.count == 30)
    #expect(train.channels == 1 && train.height == 12 && train.width == 12 && train.classCount == 10)
    #expect(train.classCounts() == Array(repeating: 7, count: 10))
    #expect(test.classCounts() == Array(repeating: 3, count: 10))
    #expect(train.trainingAugmentation == .synthetic)
    // Images differ within a class.
    #expect(train.image(at: 0) != train.image(at: 10))
    // Normalised training data has about zero mean and unit variance.
    let values = train.batch(indices: Array(0..<train.count))
    let mean = values.reduce(0, +) / Float(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
    #expect(abs(mean) < 1e-3 && abs(variance - 1) < 1e-2)
  }

  /// A nearest-class-mean classifier on raw pixels already does far better than chance, so a CNN can
  /// learn the structure.
  @Test func classesAreSeparable() {
    let (train, test) = SyntheticDataset.make(
      classes: 10, trainPerClass: 40, testPerClass: 20, channels: 3, size: 16, seed: 9)
    let size = train.imageSize
    var means = Array(repeating: [Double](repeating: 0, count: size), count: 10)
    for index in 0..<train.count {
      let image = Array(train.image(at: index))
      for offset in 0..<size { means[train.labels[index]][offset] += Double(image[offset]) / 40 }
    }
    var correct = 0
    for index in 0..<test.count {
      let image = Array(test.image(at: index))
      let distances = means.map { mean in
        zip(mean, image).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
      }
      if distances.firstIndex(of: distances.min()!) == test.labels[index] { correct += 1 }
    }
    #expect(Double(correct) / Double(test.count) > 0.5)
  }
}
