/// A family of object categories that share one part structure (all quadrupeds have a head,
/// ears, a torso, legs and a tail) while differing in shape, proportion, colour and texture.
public enum SynthFamily: String, Sendable, CaseIterable, Codable {
    case quadruped, bird, vehicle, container, furniture
}

/// One object category of the synthetic set.
public struct SynthCategory: Sendable, Equatable {
    /// Object name, e.g. `dog`.
    public let name: String
    public let family: SynthFamily
    /// Part names in label order, e.g. `["head", "ear", "torso", "leg", "tail"]`; part
    /// categories are written as `name:part` (PACO style).
    public let parts: [String]
    /// Novel categories appear only in the target split, never with parts in `source.json`.
    public let isNovel: Bool
    /// For a novel category, the base category of its family it most resembles (the one whose
    /// part taxonomy it should borrow); nil for base categories.
    public let sibling: String?

    /// `name:part` for each part, in label order.
    public var partCategoryNames: [String] { parts.map { "\(name):\($0)" } }
}

/// The fixed category list and base/novel split, in the spirit of PASCAL-Part's split used by
/// VLPart (novel: dog and bus), extended with one novel member per remaining animal/object family.
public enum SynthCatalog {
    static let quadrupedParts = ["head", "ear", "torso", "leg", "tail"]
    static let birdParts = ["head", "beak", "wing", "torso", "tail", "leg"]
    static let vehicleParts = ["body", "window", "door", "wheel", "headlight"]

    /// All categories, base and novel, in id order.
    public static let categories: [SynthCategory] = [
        SynthCategory(name: "cat", family: .quadruped, parts: quadrupedParts, isNovel: false, sibling: nil),
        SynthCategory(name: "dog", family: .quadruped, parts: quadrupedParts, isNovel: true, sibling: "cat"),
        SynthCategory(name: "horse", family: .quadruped, parts: quadrupedParts, isNovel: false, sibling: nil),
        SynthCategory(name: "cow", family: .quadruped, parts: quadrupedParts, isNovel: false, sibling: nil),
        SynthCategory(name: "sheep", family: .quadruped, parts: quadrupedParts, isNovel: false, sibling: nil),
        SynthCategory(name: "pigeon", family: .bird, parts: birdParts, isNovel: false, sibling: nil),
        SynthCategory(name: "parrot", family: .bird, parts: birdParts, isNovel: false, sibling: nil),
        SynthCategory(name: "sparrow", family: .bird, parts: birdParts, isNovel: true, sibling: "pigeon"),
        SynthCategory(name: "car", family: .vehicle, parts: vehicleParts, isNovel: false, sibling: nil),
        SynthCategory(name: "truck", family: .vehicle, parts: vehicleParts, isNovel: false, sibling: nil),
        SynthCategory(name: "bus", family: .vehicle, parts: vehicleParts, isNovel: true, sibling: "car"),
        SynthCategory(name: "bottle", family: .container, parts: ["body", "neck", "cap", "label"],
                      isNovel: false, sibling: nil),
        SynthCategory(name: "can", family: .container, parts: ["body", "cap", "label"], isNovel: false, sibling: nil),
        SynthCategory(name: "jar", family: .container, parts: ["body", "cap", "label"], isNovel: true, sibling: "bottle"),
        SynthCategory(name: "chair", family: .furniture, parts: ["seat", "back", "leg"], isNovel: false, sibling: nil),
        SynthCategory(name: "table", family: .furniture, parts: ["top", "leg"], isNovel: false, sibling: nil),
    ]

    public static var base: [SynthCategory] { categories.filter { !$0.isNovel } }
    public static var novel: [SynthCategory] { categories.filter { $0.isNovel } }

    /// The category called `name`, or nil.
    public static func named(_ name: String) -> SynthCategory? { categories.first { $0.name == name } }

    /// The index of `name` in `categories` (a programmer error when absent).
    static func index(of name: String) -> Int {
        guard let i = categories.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("SynthCatalog: no category \(name)")
        }
        return i
    }
}

/// The kind of place a scene shows; it decides the background and which categories appear.
public enum SceneKind: String, Sendable, CaseIterable, Codable {
    case farm, street, kitchen, livingRoom = "living_room", park

    /// Categories that may appear in this kind of scene (base and novel).
    public var categoryNames: [String] {
        switch self {
        case .farm: ["cow", "horse", "sheep", "cat", "dog", "pigeon", "sparrow", "truck"]
        case .street: ["car", "truck", "bus", "dog", "pigeon", "sparrow", "bottle", "can"]
        case .kitchen: ["bottle", "can", "jar", "chair", "table", "cat", "parrot"]
        case .livingRoom: ["chair", "table", "cat", "dog", "parrot", "bottle", "jar"]
        case .park: ["dog", "horse", "pigeon", "parrot", "sparrow", "sheep", "car", "bus", "can", "jar"]
        }
    }
}
