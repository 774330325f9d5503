import Foundation
import Requirement

/// Per-class loss weights for re-weighting baselines (`darts-rw`).
public enum ClassWeights {
  /// Class-balanced weights by the effective number of samples (Cui et al. 2019):
  /// `w_i = (1 - beta) / (1 - beta^n_i)`, normalised so that the weights sum to the number of classes.
  ///
  /// A class with no images gets weight 0 (it never occurs as a target) and the others share the sum.
  /// `beta` 0 gives equal weights; `beta` close to 1 approaches inverse class frequency.
  /// - Parameters:
  ///   - counts: training images per class.
  ///   - beta: the effective-number hyperparameter in `0 ..< 1`; 0.9999 by default.
  public static func effectiveNumber(counts: [Int], beta: Double = 0.9999) -> [Float] {
    require((0..<1).contains(beta), "ClassWeights.effectiveNumber: beta must lie in 0..<1, got \(beta)")
    require(
      counts.contains { $0 > 0 }, "ClassWeights.effectiveNumber: at least one class needs images, got counts \(counts)")
    let raw = counts.map { count -> Double in
      guard count > 0 else { return 0 }
      // (1 - beta) / (1 - beta^n), with expm1/log1p for accuracy when beta is close to 1.
      let denominator = -expm1(Double(count) * log1p(-(1 - beta)))
      return (1 - beta) / denominator
    }
    let total = raw.reduce(0, +)
    let scale = Double(counts.count) / total
    return raw.map { Float($0 * scale) }
  }
}
