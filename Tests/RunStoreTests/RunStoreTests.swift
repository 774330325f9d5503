import Foundation
import RunEvents
import RunFixtures
import Testing

@testable import RunStore

@Suite struct EventLogTests {
  static let event = RunEvent.failed(RunFailed(reason: "x"))

  @Test func aTornLastLineIsIgnoredAndReported() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("events.jsonl").path
    let writer = try EventLogWriter(path: path)
    try writer.emit(Self.event)
    try writer.emit(.finished(RunFinished(epochs: 1, bestTestAccuracy: 0.5, bestEpoch: 0, stopped: false)))
    let handle = FileHandle(forWritingAtPath: path)!
    handle.seekToEndOfFile()
    handle.write(Data(#"{"schema":1,"time":3,"event":{"ste"#.utf8))
    handle.closeFile()
    let log = try EventLog(path: path)
    #expect(log.events.count == 2)
    #expect(log.warnings.count == 1)
    #expect(log.warnings[0].contains("torn last line"))
  }

  @Test func aBadLineInTheMiddleIsAnError() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("events.jsonl").path
    let good = String(decoding: try EventEnvelope(event: Self.event).jsonLine(), as: UTF8.self)
    try "\(good)\nnot json\n\(good)\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: RunStoreError.self) { try EventLog(path: path) }
    do {
      _ = try EventLog(path: path)
    } catch {
      #expect("\(error)".contains("events.jsonl:2"))
    }
  }

  @Test func salvageSkipsADamagedMiddleLineAndNamesIt() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("events.jsonl").path
    let good = String(decoding: try EventEnvelope(event: Self.event).jsonLine(), as: UTF8.self)
    let missingField = #"{"schema":1,"time":2,"event":{"type":"failed","data":{}}}"#
    try "\(good)\nnot json\n\(missingField)\n\(good)\n".write(toFile: path, atomically: true, encoding: .utf8)
    let log = try EventLog(path: path, salvage: true)
    #expect(log.events.count == 2)
    #expect(log.skippedLines == [2, 3])
    #expect(
      log.warnings == [
        "\(path):2: skipped a damaged line (it is not valid JSON); the rest of the run is read",
        "\(path):3: skipped a damaged line (it lacks the field 'event.data.reason'); the rest of the run is read",
      ])
    #expect(!log.warnings.joined().contains("DecodingError"))
  }

  @Test func openingALogWithATornTailCutsItBackToTheLastLine() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("events.jsonl").path
    let first = try EventLogWriter(path: path)
    try first.emit(Self.event)
    #expect(first.repair == nil)
    let handle = FileHandle(forWritingAtPath: path)!
    handle.seekToEndOfFile()
    handle.write(Data(#"{"schema":1,"ti"#.utf8))
    handle.closeFile()
    let resumed = try EventLogWriter(path: path)
    #expect(resumed.repair == "\(path): cut a torn last line of 15 bytes (the run was interrupted while writing it)")
    try resumed.emit(Self.event)
    let log = try EventLog(path: path)
    #expect(log.events.count == 2 && log.warnings.isEmpty && log.skippedLines.isEmpty)
    // A log that is only a torn line is cut to nothing.
    let lonely = dir.appendingPathComponent("lonely.jsonl").path
    try Data(#"{"sch"#.utf8).write(to: URL(fileURLWithPath: lonely))
    #expect(try EventLogWriter(path: lonely).repair?.contains("5 bytes") == true)
    #expect(try Data(contentsOf: URL(fileURLWithPath: lonely)).isEmpty)
  }

  @Test func eventsFromANewerSchemaAreRefused() throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("events.jsonl").path
    let line = try EventEnvelope(event: Self.event, schema: eventSchemaVersion + 1).jsonLine()
    try (String(decoding: line, as: UTF8.self) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try EventLog(path: path)
      Issue.record("accepted a newer schema")
    } catch {
      #expect("\(error)".contains("newer than this tailnas"))
    }
  }

  @Test func aFullDiskThrowsAndEveryLaterWriteThrowsTheSame() throws {
    let writer = try EventLogWriter(path: "/dev/full")
    #expect(throws: RunStoreError.ioFailure(path: "/dev/full", reason: "No space left on device")) {
      try writer.emit(Self.event)
    }
    #expect(throws: RunStoreError.ioFailure(path: "/dev/full", reason: "No space left on device")) {
      try writer.emit(Self.event)
    }
    #expect(writer.failure == "No space left on device")
  }
}

@Suite struct RunDirectoryTests {
  @Test func createOpenAndRefuseForeignDirectories() throws {
    let runs = try temporaryDirectory()
    let date = Date(timeIntervalSince1970: 0)
    let a = try RunDirectory.create(in: runs, method: "hls", configuration: "method = 'hls'\n", date: date)
    let b = try RunDirectory.create(in: runs, method: "hls", configuration: "method = 'hls'\n", date: date)
    #expect(a.id == "19700101-000000-hls")
    #expect(b.id == "19700101-000000-hls-2")
    _ = try EventLogWriter(path: a.eventsPath)
    #expect(try RunDirectory.open(a.id, runsDirectory: runs).url.path == a.url.path)
    #expect(throws: RunStoreError.missing(path: "nope")) { try RunDirectory.open("nope", runsDirectory: runs) }
    let foreign = runs.appendingPathComponent("foreign")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    do {
      _ = try RunDirectory.open(foreign.path, runsDirectory: runs)
      Issue.record("opened a foreign directory")
    } catch {
      #expect("\(error)".contains("is not a tailnas run"))
    }
  }

  @Test func checkpointsAreAtomicAndPruned() throws {
    let runs = try temporaryDirectory()
    let run = try RunDirectory.create(in: runs, method: "darts", configuration: "")
    let store = CheckpointDirectory(run: run, keep: 2)
    for epoch in 0..<4 {
      _ = try store.writeCheckpoint([UInt8(epoch), 42], epoch: epoch)
    }
    let names = run.checkpoints().map(\.lastPathComponent)
    #expect(names == ["epoch-003.safetensors", "epoch-004.safetensors"])
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.checkpointsURL.path).filter {
      $0.contains(".tmp")
    }
    #expect(leftovers.isEmpty)
    #expect(try [UInt8](Data(contentsOf: run.checkpoints().last!)) == [3, 42])
  }
}

@Suite struct FileErrorTests {
  @Test func directoriesThatCannotBeMadeSaySoInASentence() throws {
    let dir = try temporaryDirectory()
    let file = dir.appendingPathComponent("afile")
    try Data("x".utf8).write(to: file)
    func message(_ url: URL) -> String {
      do {
        try DurableFile.createDirectory(url, what: "the runs directory")
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(message(file) == "\(file.path): cannot create the runs directory: a file has that name")
    #expect(
      message(file.appendingPathComponent("x/y"))
        == "\(file.path)/x/y: cannot create the runs directory: \(file.path) is a file, not a directory")
    #expect(message(dir.appendingPathComponent("new/deeper")) == "no error")
    for text in [message(file), message(file.appendingPathComponent("x"))] {
      #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("UserInfo"))
    }
  }
}
