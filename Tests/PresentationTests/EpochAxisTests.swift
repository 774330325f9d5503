import Presentation
import Testing

@Suite struct EpochAxisTests {
  @Test func stepsSitAtTheirEndAndControlsAtTheBoundaryBefore() {
    let axis = EpochAxis(stepsPerEpoch: 4)
    #expect(axis.afterStep(0) == 0.25)
    #expect(axis.afterStep(7) == 2)
    #expect(axis.beforeStep(0) == 0)
    #expect(axis.beforeStep(6) == 1.5)
    // An edit before step g sits where the last step of the old values ends, and where the epoch ends.
    for g in 1..<12 { #expect(axis.beforeStep(g) == axis.afterStep(g - 1)) }
    #expect(EpochAxis.afterEpoch(1) == axis.afterStep(7))
    #expect(EpochAxis.beforeEpoch(2) == axis.beforeStep(8))
    // Down-sampled histories average steps: steps 2 and 3 merged end half-way between their ends.
    #expect(axis.afterStep(2.5) == (axis.afterStep(2) + axis.afterStep(3)) / 2)
    #expect(EpochAxis(stepsPerEpoch: 0).stepsPerEpoch == 1)
  }
}
