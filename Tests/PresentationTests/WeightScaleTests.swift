import Presentation
import Testing

@Suite struct WeightScaleTests {
  @Test func spansTheWeightsThatAreThere() {
    let scale = WeightScale(fitting: [0.13, 0.11, .nan, 0.15, 0.12])!
    #expect(scale.lower == 0.11 && scale.upper == 0.15)
    #expect(scale.fraction(0.11) == 0)
    #expect(scale.fraction(0.15) == 1)
    #expect(abs(scale.fraction(0.13) - 0.5) < 1e-12)
    #expect(scale.fraction(0.2) == 1 && scale.fraction(0) == 0)
    #expect(scale.level(0.11, of: 16) == 0)
    #expect(scale.level(0.15, of: 16) == 15)
    #expect(scale.level(0.13, of: 16) == 8)
    #expect(scale.level(0.13, of: 5) == 2)
    #expect(WeightScale(fitting: [Double.nan]) == nil)
  }

  @Test func theLabelTellsTheEndsApart() {
    #expect(WeightScale(lower: 0.11, upper: 0.15).label == ".11-.15")
    #expect(WeightScale(lower: 0.1121, upper: 0.1374).label == ".112-.137")
    #expect(WeightScale(lower: 0.12431, upper: 0.12569).label == ".1243-.1257")
    #expect(WeightScale(lower: 0.05, upper: 0.6).label == ".05-.60")
    let flat = WeightScale(lower: 0.125, upper: 0.125)
    #expect(flat.isFlat && flat.fraction(0.125) == 0.5 && flat.label == ".1250")
    #expect(Format.weight(0.1243, decimals: 3) == ".124")
    #expect(Format.weight(1, decimals: 2) == "1.00")
  }
}
