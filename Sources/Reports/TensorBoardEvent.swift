/// One record of a TensorBoard event file: an `Event` protocol buffer as tensorflow/core/util/event.proto
/// (and TensorBoard's copy, tensorboard/compat/proto/event.proto) defines it, with the fields tailnas writes:
///
///     message Event   { double wall_time = 1; int64 step = 2;
///                       oneof what { string file_version = 3; Summary summary = 5; } }
///     message Summary { repeated Value value = 1; }              // tensorflow/core/framework/summary.proto
///     message Value   { string tag = 1; oneof value { float simple_value = 2; } }
///
/// A file starts with an event holding only `file_version = "brain.Event:2"`; scalars follow as summaries of
/// `simple_value`s, which TensorBoard's scalars dashboard shows (and W&B's TensorBoard import reads) by tag.
public struct TensorBoardEvent: Sendable, Equatable {
  /// The version string of the first event of a file, as TensorFlow's and PyTorch's writers put it.
  public static let fileVersion = "brain.Event:2"

  /// What the event carries.
  public enum Content: Sendable, Equatable {
    /// The file's version, `brain.Event:2` (the first event of a file).
    case fileVersion(String)
    /// Scalars, each a tag and a 32-bit float (the protocol's `simple_value`).
    case scalars([Scalar])
  }

  /// A tagged scalar value.
  public struct Scalar: Sendable, Equatable {
    public var tag: String
    public var value: Float

    public init(tag: String, value: Float) {
      self.tag = tag
      self.value = value
    }
  }

  /// Seconds since 1970.
  public var wallTime: Double
  /// The step the scalars belong to: TensorBoard's x axis.
  public var step: Int64
  public var content: Content

  public init(wallTime: Double, step: Int64, content: Content) {
    self.wallTime = wallTime
    self.step = step
    self.content = content
  }

  /// The event's protocol buffer encoding (wall_time, step, then the oneof; a zero step is left out, as
  /// proto3 leaves out default values).
  public var encoded: [UInt8] {
    var event = ProtobufWriter()
    event.appendDouble(1, wallTime)
    if step != 0 { event.appendInt64(2, step) }
    switch content {
    case .fileVersion(let version):
      event.appendString(3, version)
    case .scalars(let scalars):
      var summary = ProtobufWriter()
      for scalar in scalars {
        var value = ProtobufWriter()
        value.appendString(1, scalar.tag)
        value.appendFloat(2, scalar.value)
        summary.appendMessage(1, value)
      }
      event.appendMessage(5, summary)
    }
    return event.bytes
  }
}
