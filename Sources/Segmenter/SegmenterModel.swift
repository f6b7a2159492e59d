import Foundation
import Tensor

/// A trained segmenter as one `.safetensors` file: the head's parameters, plus metadata naming
/// its backbone (path and SHA-256), the feature settings, the training vocabularies and the
/// training report — so `segment` and `eval seg` need only this file.
public struct SegmenterModel: Sendable {
    public var head: SegmenterHead
    public var backbonePath: String
    public var backboneSHA256: String
    public var settings: BackboneSettings
    /// Object and part names the head was trained on (the default vocabulary).
    public var objectNames: [String]
    public var partNames: [String]
    public var report: TrainingReport?

    static let format = "vlpart-segmenter-1"

    public init(head: SegmenterHead, backbonePath: String, backboneSHA256: String, settings: BackboneSettings,
                objectNames: [String], partNames: [String], report: TrainingReport? = nil) {
        self.head = head
        self.backbonePath = backbonePath
        self.backboneSHA256 = backboneSHA256
        self.settings = settings
        self.objectNames = objectNames
        self.partNames = partNames
        self.report = report
    }

    /// Writes the model (atomically: a temporary file, then rename).
    /// - Throws: `SegmenterError.badCheckpoint` naming the path when it cannot be written.
    public func save(path: String) throws {
        var metadata = [
            "format": Self.format, "backbone_path": backbonePath, "backbone_sha256": backboneSHA256,
            "head_config": try jsonString(head.config), "backbone_settings": try jsonString(settings),
            "objects": try jsonString(objectNames), "parts": try jsonString(partNames),
        ]
        if let report { metadata["report"] = try jsonString(report) }
        try writeAtomically(head.parameters, metadata: metadata, path: path)
    }

    /// Reads a model written by `save`.
    /// - Throws: `SegmenterError.badCheckpoint` naming the path and the missing or bad entry.
    public static func load(path: String) throws -> SegmenterModel {
        let (tensors, metadata) = try readChecked(path)
        guard metadata["format"] == format else {
            throw SegmenterError.badCheckpoint("\(path): not a vlpart segmenter (format '\(metadata["format"] ?? "none")')")
        }
        func field<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = metadata[key] else { throw SegmenterError.badCheckpoint("\(path): metadata lacks \(key)") }
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw SegmenterError.badCheckpoint("\(path): metadata \(key) is not valid: \(error)")
            }
        }
        let config = try field("head_config", HeadConfig.self)
        let head: SegmenterHead
        do { head = try SegmenterHead(config: config, parameters: tensors) } catch let error as SegmenterError {
            throw SegmenterError.badCheckpoint("\(path): \(error)")
        }
        return SegmenterModel(head: head, backbonePath: metadata["backbone_path"] ?? "",
                              backboneSHA256: metadata["backbone_sha256"] ?? "",
                              settings: try field("backbone_settings", BackboneSettings.self),
                              objectNames: try field("objects", [String].self), partNames: try field("parts", [String].self),
                              report: metadata["report"] == nil ? nil : try field("report", TrainingReport.self))
    }
}

extension TrainerState {
    /// Writes the state beside a model (`<model>.state.safetensors`); `fingerprint` names the
    /// data and settings it belongs to, so a resume with different ones is refused.
    public func save(path: String, fingerprint: String) throws {
        var tensors: [String: Tensor] = [:]
        for (name, t) in head.parameters { tensors["head." + name] = t }
        for (name, t) in best.parameters { tensors["best." + name] = t }
        for (name, v) in firstMoments { tensors["m." + name] = Tensor(shape: [v.count], data: v) }
        for (name, v) in secondMoments { tensors["v." + name] = Tensor(shape: [v.count], data: v) }
        let counters = [epochsDone, step, sinceBest, optimizerSteps, stopped ? 1 : 0]
        try writeAtomically(tensors, metadata: [
            "format": "vlpart-segmenter-state-1", "fingerprint": fingerprint, "head_config": try jsonString(head.config),
            "counters": try jsonString(counters), "report": try jsonString(report),
        ], path: path)
    }

    /// Reads a state written by `save`.
    /// - Throws: `SegmenterError.badCheckpoint` when unreadable, or when its fingerprint differs.
    public static func load(path: String, fingerprint: String) throws -> TrainerState {
        let (tensors, metadata) = try readChecked(path)
        guard metadata["fingerprint"] == fingerprint else {
            throw SegmenterError.badCheckpoint("\(path): saved for other data or settings; delete it or drop --resume")
        }
        guard let configText = metadata["head_config"], let countersText = metadata["counters"], let reportText = metadata["report"],
              let config = try? JSONDecoder().decode(HeadConfig.self, from: Data(configText.utf8)),
              let counters = try? JSONDecoder().decode([Int].self, from: Data(countersText.utf8)), counters.count == 5,
              let report = try? JSONDecoder().decode(TrainingReport.self, from: Data(reportText.utf8)) else {
            throw SegmenterError.badCheckpoint("\(path): training state metadata is missing or invalid")
        }
        func group(_ prefix: String) -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for (k, t) in tensors where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = t }
            return out
        }
        let head: SegmenterHead, best: SegmenterHead
        do {
            head = try SegmenterHead(config: config, parameters: group("head."))
            best = try SegmenterHead(config: config, parameters: group("best."))
        } catch { throw SegmenterError.badCheckpoint("\(path): \(error)") }
        var first: [String: [Float]] = [:], second: [String: [Float]] = [:]
        for name in head.parameterNames {
            guard let m = tensors["m." + name], let v = tensors["v." + name],
                  m.count == head.parameters[name]!.count, v.count == m.count else {
                throw SegmenterError.badCheckpoint("\(path): optimiser moments of \(name) missing or mis-sized")
            }
            first[name] = m.data
            second[name] = v.data
        }
        return TrainerState(epochsDone: counters[0], step: counters[1], sinceBest: counters[2], optimizerSteps: counters[3],
                            stopped: counters[4] != 0, head: head, best: best, firstMoments: first, secondMoments: second,
                            report: report)
    }
}

func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

func readChecked(_ path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
    do { return try SafeTensors.readWithMetadata(path: path) } catch {
        throw SegmenterError.badCheckpoint("\(path): cannot read: \(error)")
    }
}

func writeAtomically(_ tensors: [String: Tensor], metadata: [String: String], path: String) throws {
    let temporary = path + ".\(getpid()).tmp"
    do { try SafeTensors.write(tensors, path: temporary, metadata: metadata) } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw SegmenterError.badCheckpoint("\(path): cannot write: \(error)")
    }
    guard rename(temporary, path) == 0 else {
        try? FileManager.default.removeItem(atPath: temporary)
        throw SegmenterError.badCheckpoint("\(path): cannot write: \(String(cString: strerror(errno)))")
    }
}
