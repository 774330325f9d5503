import Engine
import Testing

/// The engine's argument checks (`require`) stop a process that feeds an op wrong shapes instead of reading
/// or writing out of bounds, in every build: `-Ounchecked` (the shipped release build, which `make test`
/// runs) removes `precondition`s but not these.
@Suite struct PreconditionExitTests {
  @Test func linearRefusesAWeightOfTheWrongWidth() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      let x = Tensor(zeros: [2, 3])
      _ = tape.linear(x, weight: Tensor(zeros: [4, 5]), bias: nil)
    }
  }

  @Test func crossEntropyRefusesATargetOutOfRange() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      _ = tape.crossEntropy(Tensor(zeros: [2, 10]), targets: [3, 10])
    }
  }

  @Test func dropPathRefusesAMaskOfTheWrongLength() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      _ = tape.dropPath(Tensor(zeros: [4, 2, 3, 3]), keep: 0.8, mask: [1, 0, 1])
    }
  }

  @Test func conv2dRefusesAnInputWithTheWrongChannels() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      _ = tape.conv2d(Tensor(zeros: [1, 3, 8, 8]), weight: Tensor(zeros: [4, 5, 3, 3]), stride: 1, padding: 1)
    }
  }

  @Test func concatChannelsRefusesTensorsThatAreNotNCHW() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      _ = tape.concatChannels([Tensor(zeros: [2, 8]), Tensor(zeros: [2, 8])])
    }
  }

  @Test func separableConvRefusesAPointwiseWeightOfTheWrongWidth() async {
    await #expect(processExitsWith: .failure) {
      let tape = Tape(threads: 1)
      _ = tape.separableConv(
        Tensor(zeros: [1, 3, 8, 8]), depthwise: Tensor(zeros: [3, 1, 3, 3]), pointwise: Tensor(zeros: [4, 5, 1, 1]),
        padding: 1, rectify: true)
    }
  }

  @Test func aValidCallExitsCleanly() async {
    await #expect(processExitsWith: .success) {
      let tape = Tape(threads: 1)
      _ = tape.linear(Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 3]), bias: nil)
    }
  }
}
