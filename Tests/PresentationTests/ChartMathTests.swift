import Foundation
import Presentation
import Testing

@Suite struct ChartMathTests {
  @Test func debiasedEMAStartsAtTheFirstValue() {
    let smoothed = ChartMath.debiasedEMA([4, 4, 4, 4], weight: 0.9)
    for value in smoothed { #expect(abs(value - 4) < 1e-12) }
    let steps = ChartMath.debiasedEMA([1, 3], weight: 0.5)
    #expect(steps[0] == 1)
    // (0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25) = 1.75 / 0.75
    #expect(abs(steps[1] - 1.75 / 0.75) < 1e-12)
    #expect(ChartMath.debiasedEMA([1, 5, 2], weight: 0) == [1, 5, 2])
    let withNaN = ChartMath.debiasedEMA([1, .nan, 1], weight: 0.5)
    #expect(withNaN[1].isNaN && withNaN[2] == 1)
  }

  @Test func scalesMapLinearlyAndLogarithmically() {
    let linear = ChartScale(lower: 0, upper: 10)
    #expect(linear.fraction(2.5) == 0.25)
    let log = ChartScale(lower: 0.01, upper: 10, logarithmic: true)
    #expect(abs(log.fraction(0.1) - 1.0 / 3) < 1e-12)
    #expect(log.fraction(0).isNaN)
    #expect(abs(log.value(at: 2.0 / 3) - 1) < 1e-9)
    #expect(ChartScale(lower: -1, upper: 1, logarithmic: true).isLogarithmic == false)
    let flat = ChartScale.fitting([2, 2, 2], logarithmic: false)!
    #expect(flat.lower < 2 && flat.upper > 2)
    #expect(ChartScale.fitting([.nan, -1], logarithmic: true) == nil)
  }

  @Test func niceTicks() {
    #expect(ChartMath.niceTicks(lower: 0, upper: 10, count: 5) == [0, 2, 4, 6, 8, 10])
    #expect(ChartMath.niceTicks(lower: 0.13, upper: 0.52, count: 4) == [0.2, 0.3, 0.4, 0.5])
    #expect(ChartMath.logTicks(lower: 0.0005, upper: 2, count: 4) == [0.001, 0.01, 0.1, 1])
  }

  @Test func integerTicksForAnAxisOfEpochs() {
    #expect(ChartMath.integerTicks(lower: 0, upper: 1, count: 5) == [0, 1])
    #expect(ChartMath.integerTicks(lower: 0, upper: 3, count: 5) == [0, 1, 2, 3])
    #expect(ChartMath.integerTicks(lower: 0, upper: 50, count: 5) == [0, 10, 20, 30, 40, 50])
    #expect(ChartMath.integerTicks(lower: 0.95, upper: 1.1, count: 3) == [1])
    #expect(ChartScale(lower: 0, upper: 1).ticks(count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(ChartScale(lower: 0, upper: 1).ticks(count: 5, integers: true) == [0, 1])
  }
}

@Suite struct FormatTests {
  @Test func durations() {
    #expect(Format.duration(45) == "45s")
    #expect(Format.duration(750) == "12m30s")
    #expect(Format.duration(3720) == "1h02m")
    #expect(Format.duration(.nan) == "--")
  }

  @Test func numbersAsPeopleWriteThem() {
    #expect(Format.shortest(0.0003) == "0.0003")
    #expect(Format.shortest(100) == "100")
    #expect(Format.shortest(.nan) == "nan")
    #expect(Format.shortest(0.019000000000000003) == "0.019", "arithmetic noise in the last bits goes")
    #expect(Format.shortest(0.00029999999999999997) == "0.0003")
    #expect(Format.shortest(0.90000000000000002) == "0.9")
    #expect(Format.shortest(Double(Float(2.2816813))) == "2.2816813", "a Float32 loss prints as that Float")
    #expect(Format.shortest(Double(Float(0.1))) == "0.1")
    #expect(Format.shortest(0.48333333333333334) == "0.483333333333333")
    #expect(Format.shortest(1e-5) == "1e-05")
    #expect(Format.shortest(-2.5) == "-2.5")
    #expect(Format.percent(0.612) == "61.2%")
    #expect(Format.percent(0.612, digits: 2) == "61.20%")
    #expect(Format.percent(.nan) == "-")
    #expect(Format.ratio(12.5) == "12.5")
    #expect(Format.count(1, "epoch") == "1 epoch")
    #expect(Format.count(3, "epoch") == "3 epochs")
    #expect(Format.fixed(2.302585) == "2.3026")
    #expect(Format.parameters(3_349_342) == "3.35M")
    #expect(Format.parameters(15_512) == "0.0155M")
    #expect(Format.parameters(12_345_678) == "12.3M")
  }
}
