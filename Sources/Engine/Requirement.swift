/// Stops the process with `message` when `condition` is false, in every build.
///
/// `precondition` is removed by `-Ounchecked`, the shipped release build, so a wrong call would go on to
/// read or write out of bounds: a 2-D tensor given to `concatChannels` once corrupted the heap silently.
/// The checks an op makes once on its arguments (ranks, shapes, ranges) use this instead; they cost a
/// branch a call, not one an element. Checks inside kernels, run once a plane or an element, stay
/// preconditions. Public, so that the layers built on the engine and the test support check their
/// arguments the same way.
@inline(__always)
public func require(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
  line: UInt = #line
) {
  if !condition() { fatalError(message(), file: file, line: line) }
}
