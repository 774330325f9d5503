import Datasets
import Foundation
import Testing

@Suite struct DatasetSourceTests {
  @Test func namesMatchTheCommandLine() {
    #expect(DatasetSource(rawValue: "fashion-mnist") == .fashionMNIST)
    #expect(DatasetSource(rawValue: "cifar10") == .cifar10)
    #expect(DatasetSource(rawValue: "synthetic") == .synthetic)
    #expect(DatasetSource(rawValue: "imagenet") == nil)
  }

  @Test func syntheticLoads() throws {
    let (train, test) = try DatasetSource.synthetic.load(seed: 3)
    #expect(train.count == 10_000 && test.count == 2000)
    #expect(train.channels == 3 && train.height == 32 && train.width == 32 && train.classCount == 10)
    #expect(DatasetSource.synthetic.defaultDirectory == nil)
  }

  @Test func missingDirectoryIsReported() throws {
    let error = try #require(throws: DataError.self) {
      try DatasetSource.mnist.load(directory: "/nonexistent/mnist")
    }
    #expect(error.description.contains("/nonexistent/mnist/train-images-idx3-ubyte.gz"))
  }
}
