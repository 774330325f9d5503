import Engine
import Testing

/// The engine's preconditions stop a process that feeds an op wrong shapes instead of reading or writing out
/// of bounds. `-Ounchecked` (the shipped release build) removes them, so these exit tests run in the checked
/// build only: `make test-checked` (TAILNAS_CHECKED=1, -O).
#if TAILNAS_CHECKED
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

    @Test func aValidCallExitsCleanly() async {
      await #expect(processExitsWith: .success) {
        let tape = Tape(threads: 1)
        _ = tape.linear(Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 3]), bias: nil)
      }
    }
  }
#endif
