import Engine
import Operations

extension EvaluationCell {
  /// Runs `cells` in order from the states (s0, s1) (cell k reads c_{k-2} and c_{k-1}); returns the last
  /// two states and calls `after(k, c_k)` after each cell.
  ///
  /// A state is read by the 1x1 `ReLUConvBN`s of the next two cells (the first cell's two inputs and the
  /// second cell's c_{k-2} are all the stem): those that read the same tensor are computed together, when
  /// the first of them is needed, as one op (`ReLUConvBN.preprocess(_:by:_:)`), so the state is read and
  /// its gradient written once. The results are those of each layer alone; a `FactorizedReduce` (after a
  /// reduction cell) runs on its own.
  static func chain(
    _ cells: [EvaluationCell], from s0: Tensor, _ s1: Tensor, _ context: ForwardContext,
    after: (Int, Tensor) -> Void = { _, _ in }
  ) -> (Tensor, Tensor) {
    // states[k] is c_{k-2}: cell k's input `slot` is states[k + slot].
    var states = [s0, s1]
    // Preprocessed inputs by key 2k + slot.
    var ready: [Int: Tensor] = [:]
    /// The 1x1 `ReLUConvBN` of input `key`, when it reads the state x and has not run yet.
    func pending(_ key: Int, reading x: Tensor) -> ReLUConvBN? {
      let (k, slot) = (key / 2, key % 2)
      guard k < cells.count, ready[key] == nil, k + slot < states.count, states[k + slot] === x else { return nil }
      guard let layer = cells[k].preprocessing(slot) as? ReLUConvBN, layer.isPointwise else { return nil }
      return layer
    }
    for k in cells.indices {
      for slot in 0..<2 {
        let key = 2 * k + slot
        if ready[key] != nil { continue }
        let x = states[k + slot]
        // With it, the pointwise layers of this cell's and the next cell's inputs that read x at its stride.
        var keys: [Int] = []
        var layers: [ReLUConvBN] = []
        if let first = pending(key, reading: x) {
          for other in key..<(2 * k + 4) {
            if let layer = pending(other, reading: x), layer.stride == first.stride {
              keys.append(other)
              layers.append(layer)
            }
          }
        }
        if layers.count < 2 {
          let layer = cells[k].preprocessing(slot)
          ready[key] = layer(x, context)
          continue
        }
        let ys = ReLUConvBN.preprocess(x, by: layers, context)
        for i in keys.indices { ready[keys[i]] = ys[i] }
      }
      let p0 = ready.removeValue(forKey: 2 * k)!
      let p1 = ready.removeValue(forKey: 2 * k + 1)!
      let next = cells[k](preprocessed: p0, p1, context)
      states.append(next)
      after(k, next)
    }
    return (states[states.count - 2], states[states.count - 1])
  }
}
