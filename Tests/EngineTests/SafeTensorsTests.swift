import Engine
import Foundation
import TestSupport
import Testing

@Suite struct SafeTensorsTests {
  @Test func roundTrip() throws {
    var file = SafeTensors(metadata: ["format": "pt", "note": "quote \" and slash /"])
    file.set("alphas_normal", Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -0.25]))
    file.tensors["step"] = .int64(shape: [1], values: [-42])
    let bytes = file.serialized()
    let headerLength = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    #expect(headerLength % 8 == 0)
    let back = try SafeTensors(bytes: bytes)
    #expect(back.metadata == file.metadata)
    #expect(try back.tensor("alphas_normal").scalars == [1, -2, 3.5, 0, .pi, -0.25])
    #expect(try back.tensor("alphas_normal").shape == [2, 3])
    #expect(try back.integers("step") == [-42])
  }

  @Test func aChecksumCoversHeaderAndDataAndIsTransparent() throws {
    var file = SafeTensors(metadata: ["format": "tailnas-checkpoint"])
    file.set("w", Tensor(shape: [4], values: [1, 2, 3, 4]))
    let bytes = file.serialized()
    let header = String(decoding: bytes[8...].prefix(200), as: UTF8.self)
    #expect(header.contains(#""__metadata__":{"checksum":"crc32:"#))
    let back = try SafeTensors(bytes: bytes)
    #expect(back.metadata == ["format": "tailnas-checkpoint"], "the checksum is not part of the metadata")
    #expect(back.serialized() == bytes, "writing again gives the same bytes")
    func damaged(at offset: Int) -> String {
      var copy = bytes
      copy[offset] ^= 0x01
      do {
        _ = try SafeTensors(bytes: copy, name: "epoch-003.safetensors")
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    let flipped = damaged(at: bytes.count - 2)
    #expect(flipped.hasPrefix("epoch-003.safetensors: the file is damaged: its checksum is "), "\(flipped)")
    // A flip in the metadata's text (the format's last letter) is caught too.
    let formatEnd = Array(bytes).firstRange(of: Array("checkpoint\"".utf8))!.upperBound - 2
    #expect(damaged(at: formatEnd).contains("the file is damaged"))
  }

  @Test func filesWithoutAChecksumStillLoad() throws {
    // A file from another writer (PyTorch's safetensors): no checksum, nothing to verify.
    let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    var bytes = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: Array(header.utf8))
    withUnsafeBytes(of: Float(2.5).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    #expect(try SafeTensors(bytes: bytes).tensor("w").scalars == [2.5])
  }

  @Test func atomicWriteAndRead() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var file = SafeTensors()
    file.set("w", Tensor(shape: [3], values: [1, 2, 3]))
    let url = dir.appendingPathComponent("epoch-001.safetensors")
    try file.write(to: url)
    #expect(try SafeTensors(contentsOf: url).tensor("w").scalars == [1, 2, 3])
  }

  @Test func readsTheFixtures() throws {
    let f = try SafeTensors(contentsOf: Fixture.directory.appendingPathComponent("relu.safetensors"))
    #expect(f.tensors["x"] != nil)
    #expect(f.metadata["case"] != nil)
  }

  @Test func malformedFilesGiveSpecificErrors() throws {
    var file = SafeTensors()
    file.set("w", Tensor(shape: [4], values: [1, 2, 3, 4]))
    let good = file.serialized()
    func message(_ bytes: Data) -> String {
      do {
        _ = try SafeTensors(bytes: bytes, name: "ckpt.safetensors")
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(message(Data([1, 2, 3])).contains("shorter than the 8-byte header length"))
    var hugeHeader = good
    hugeHeader[0] = 0xFF
    hugeHeader[5] = 0x7F
    #expect(message(hugeHeader).contains("exceeds the file size"))
    #expect(message(good.prefix(good.count - 4)).contains("outside the"))
    var badJSON = good
    badJSON[8] = UInt8(ascii: "[")
    #expect(message(badJSON).contains("not a JSON object"))
    let header = #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#
    var f16 = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { f16.append(contentsOf: $0) }
    f16.append(contentsOf: Array(header.utf8) + [0, 0, 0, 0])
    #expect(message(f16).contains("unsupported dtype F16"))
    #expect(message(f16).hasPrefix("ckpt.safetensors"))
  }
}
