import Engine
import Operations

/// What every edge that reads one state of a search cell computes alike, computed once per state: relu of
/// the state, for the primitives that start with a ReLU, and each pool of it. In a normal cell c_{k-2} and
/// c_{k-1} each feed four edges, so without sharing a cell takes 14 ReLUs and 14 pools of each kind where
/// 5 of each suffice. The affine-free batch norm after a pool stays each edge's own (its running statistics
/// are the edge's; its batch statistics are the same), and the gradient of a shared tensor is the sum of
/// its edges' gradients.
struct SharedEdgeInputs {
  private var rectifiedInput: Tensor?
  private var pooledInput: [Pool.Kind: Tensor] = [:]

  /// relu(x), made by the first edge that asks.
  mutating func rectified(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    if let r = rectifiedInput { return r }
    let r = context.tape.relu(x)
    rectifiedInput = r
    return r
  }

  /// `pool`'s output before its batch norm, made by the first edge with a pool of its kind.
  mutating func pooled(_ x: Tensor, by pool: Pool, _ context: ForwardContext) -> Tensor {
    if let y = pooledInput[pool.kind] { return y }
    let y = pool.unnormalized(x, rectified: false, context).0
    pooledInput[pool.kind] = y
    return y
  }
}
