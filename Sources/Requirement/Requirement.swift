/// Stops the process with `message` when `condition` is false, in every build.
///
/// `precondition` is removed by `-Ounchecked`, the shipped release build, and so is one inlined from another
/// module into code built with it, so a wrong call would go on to read or write out of bounds: a 2-D tensor
/// given to `concatChannels` once corrupted the heap silently. The checks a function makes once on its
/// arguments (ranks, shapes, ranges, counts) use this instead; they cost a branch a call, not one an element.
/// Checks inside kernels and per-sample loops, run once a plane, an image or an element, stay preconditions.
/// This module depends on nothing, so that the modules below the engine (Architecture, Collectives, Datasets)
/// check their arguments the same way as the engine and the layers built on it (Engine re-exports it).
/// Inlinable, so that a check costs its callers no more than it did inside the engine.
@inlinable @inline(__always)
public func require(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
  line: UInt = #line
) {
  if !condition() { fatalError(message(), file: file, line: line) }
}
