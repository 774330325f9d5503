import Collectives
import Foundation
import RunEvents

/// The ranks of a data-parallel run as the loop sees them: at the start of a loop rank 0 announces the
/// phase and sends its whole state (weights, alphas, optimizers, samplers, generators) to the other ranks;
/// at every step boundary it sends the control commands it applied (pause, resume, stop, schedule edits),
/// which the other ranks apply in the same order; at the end of every epoch every rank's parameter
/// checksums are gathered and compared.
///
/// Every message rank 0 broadcasts starts with a tag, so a rank that waits for controls and gets the end
/// of the run instead stops rather than misreading it.
public final class Replication: @unchecked Sendable {
  public let communicator: Communicator
  /// Rank 0's announcement of the loop (what the other ranks need to build its phase); empty elsewhere.
  let announcement: [UInt8]
  /// Where rank 0 reports each epoch's checksums, if anywhere.
  let report: ((String) -> Void)?
  /// Whether rank 0 has ended the run (another rank saw the end while waiting for controls).
  public private(set) var leaderEnded = false

  /// What a broadcast message is.
  enum Tag: UInt8 {
    case end = 0
    case announcement = 1
    case state = 2
    case controls = 3
  }

  public init(
    communicator: Communicator, announcement: [UInt8] = [], report: ((String) -> Void)? = nil
  ) {
    self.communicator = communicator
    self.announcement = announcement
    self.report = report
  }

  /// Rank 0 sends `tag` with `payload`; other ranks receive rank 0's message.
  static func broadcast(_ tag: Tag, _ payload: [UInt8], over communicator: Communicator) -> (Tag, [UInt8]) {
    var bytes = [tag.rawValue] + payload
    communicator.broadcast(&bytes, root: 0)
    guard let first = bytes.first, let received = Tag(rawValue: first) else { return (.end, []) }
    return (received, Array(bytes.dropFirst()))
  }

  /// On ranks other than 0: waits for rank 0's next announcement; nil when rank 0 has ended the run.
  public static func receiveAnnouncement(over communicator: Communicator) -> [UInt8]? {
    let (tag, payload) = broadcast(.end, [], over: communicator)
    return tag == .announcement ? payload : nil
  }

  /// On rank 0: tells the other ranks that no loop follows.
  public static func end(over communicator: Communicator) {
    _ = broadcast(.end, [], over: communicator)
  }

  /// At the start of `loop`: rank 0 announces it and sends its state; other ranks take the state.
  func begin(_ loop: EpochLoop) throws {
    if communicator.isLeader {
      _ = Self.broadcast(.announcement, announcement, over: communicator)
      _ = Self.broadcast(.state, try loop.phase.checkpoint(loopState: loop.loopState), over: communicator)
    } else {
      let (tag, state) = Self.broadcast(.state, [], over: communicator)
      guard tag == .state else {
        leaderEnded = true
        throw EpochLoopError.invalidCheckpoint("rank 0 ended the run before sending its state")
      }
      try loop.restore(from: state)
    }
  }

  /// At a step boundary: rank 0 passes the commands it applied and gets them back; other ranks get rank
  /// 0's (a stop when rank 0 has ended the run).
  func shareControls(_ commands: [ControlCommand]) -> [ControlCommand] {
    let payload = communicator.isLeader ? [UInt8]((try? JSONEncoder().encode(commands)) ?? Data()) : []
    let (tag, received) = Self.broadcast(.controls, payload, over: communicator)
    if communicator.isLeader { return commands }
    guard tag == .controls else {
      leaderEnded = true
      return [.stop]
    }
    return (try? JSONDecoder().decode([ControlCommand].self, from: Data(received))) ?? [.stop]
  }

  /// At the end of epoch `epoch` (from 0): every rank's `checksums` of its parameters (the phase's
  /// `parameterChecksums`), reported by rank 0; the reason to fail when they differ.
  func checkInStep(epoch: Int, checksums: [UInt64]) -> String? {
    let all = communicator.allgather(checksums)
    let lines = all.enumerated().map { rank, words in
      "rank \(rank) " + words.map { String($0, radix: 16) }.joined(separator: " ")
    }
    let inStep = all.allSatisfy { $0 == all[0] }
    report?("epoch \(epoch + 1) checksums (weights alphas): " + lines.joined(separator: ", "))
    return inStep
      ? nil : "the ranks' parameters differ after epoch \(epoch + 1) (\(lines.joined(separator: ", ")))"
  }
}
