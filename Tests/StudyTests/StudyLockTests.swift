import Foundation
import Study
import Testing

@Suite struct StudyLockTests {
  static func run() throws -> StudyRun {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
    let text = "preset = \"tiny\"\n[data]\ndataset = \"synthetic\"\n[grid]\nseed = [0]\n"
    return try Study(text: text, source: folder.appendingPathComponent("s.toml").path).runs()[0]
  }

  @Test func oneHolderAtATime() throws {
    let run = try Self.run()
    let lock = try #require(try StudyLock.acquire(run))
    #expect(try StudyLock.acquire(run) == nil)
    #expect(StudyLock.liveHolder(of: run) != nil)
    lock.release()
    #expect(StudyLock.liveHolder(of: run) == nil)
    let again = try #require(try StudyLock.acquire(run))
    again.release()
  }

  @Test func aDeadHoldersLockIsTakenOver() throws {
    let run = try Self.run()
    try FileManager.default.createDirectory(
      at: run.directory.deletingLastPathComponent(), withIntermediateDirectories: true)
    // A pid that is no live process on this host.
    let path = run.directory.path + ".lock"
    try "\(ProcessInfo.processInfo.hostName) 2147483646\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(StudyLock.liveHolder(of: run) == nil)
    var notes: [String] = []
    let lock = try #require(try StudyLock.acquire(run, note: { notes.append($0) }))
    #expect(notes.count == 1 && notes[0].contains("2147483646"))
    #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\(getpid())"))
    lock.release()
  }

  @Test func anotherHostsFreshLockHolds() throws {
    let run = try Self.run()
    try FileManager.default.createDirectory(
      at: run.directory.deletingLastPathComponent(), withIntermediateDirectories: true)
    let path = run.directory.path + ".lock"
    try "some-other-host 12\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try StudyLock.acquire(run) == nil)
    #expect(StudyLock.liveHolder(of: run) == "some-other-host 12")
    // Untouched for longer than staleAfter: stale.
    let old = Date().addingTimeInterval(-StudyLock.staleAfter - 5)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
    let lock = try #require(try StudyLock.acquire(run))
    lock.release()
  }
}
