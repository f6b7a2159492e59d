import Foundation

/// The dataset formats `vlpart import` reads.
public enum ImportFormat: String, Sendable, CaseIterable, Codable {
    /// Generic COCO instances: polygons, RLE strings, uncompressed counts, `iscrowd`.
    case coco
    /// PACO: parts linked to objects by `obj_ann_id`, part categories named `object:part`.
    case paco
    /// PartImageNet: part categories `Quadruped Head`; objects are derived as the union of parts.
    case partimagenet
    /// VLPart's PASCAL-Part conversion: `object:part` names, RLE, box area as `area`.
    case pascalPart = "pascal-part"
    /// ImageNet-style class folders `DIR/<class>/*.jpg`.
    case folder
}

/// What `Store.importDataset` should read and how strictly.
public struct ImportOptions: Sendable {
    public var format: ImportFormat
    /// The JSON file, or for `.folder` the folder of class folders.
    public var file: String
    /// The folder image `file_name`s are relative to (for `.folder`, usually `file` itself).
    public var imagesRoot: String
    /// Unique dataset name.
    public var dataset: String
    public var role: DatasetRole
    /// Replace an existing dataset of the same name whose content differs.
    public var replace: Bool
    /// Turn every validation finding into a failed (rolled back) import.
    public var strict: Bool
    /// Optional `n02085620 dog` lines mapping class folder names (or synsets) to category names.
    public var classMapFile: String?
    /// Receives progress lines (for stderr).
    public var progress: (@Sendable (String) -> Void)?

    public init(format: ImportFormat, file: String, imagesRoot: String, dataset: String, role: DatasetRole,
                replace: Bool = false, strict: Bool = false, classMapFile: String? = nil,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.format = format; self.file = file; self.imagesRoot = imagesRoot; self.dataset = dataset
        self.role = role; self.replace = replace; self.strict = strict; self.classMapFile = classMapFile
        self.progress = progress
    }
}

/// A kind of problem an import counts (and `--strict` makes fatal).
public enum ImportIssue: String, Sendable, CaseIterable, Codable, Comparable {
    case missingImageFile = "missing image file"
    case undecodableImage = "undecodable image"
    case imageSizeMismatch = "image size differs from JSON"
    case unknownImage = "annotation on unknown image"
    case unknownCategory = "annotation of unknown category"
    case unknownParent = "part linked to unknown object"
    case maskOutOfBounds = "mask out of image bounds"
    case emptySegmentation = "empty segmentation"

    public static func < (a: ImportIssue, b: ImportIssue) -> Bool { a.rawValue < b.rawValue }
}

/// What an import did: counts of what it stored and of each kind of problem it found.
public struct ImportReport: Sendable, Codable, Equatable {
    public var dataset: String
    /// `true` when the same file was already imported under this name, so nothing changed.
    public var unchanged = false
    public var images = 0
    public var objects = 0
    public var parts = 0
    /// PartImageNet objects made as the union of their parts.
    public var derivedObjects = 0
    public var imageLabels = 0
    public var categories = 0
    /// Top-level JSON members read but not stored (`part_categories`, `attributes`, …).
    public var ignoredSections: [String] = []
    public var issues: [ImportIssue: Int] = [:]
    /// The first few findings of each kind, with ids: `annotations[7] (id 57): unknown image_id 999`.
    public var examples: [String] = []

    public init(dataset: String) { self.dataset = dataset }

    /// Total number of findings.
    public var issueCount: Int { issues.values.reduce(0, +) }

    mutating func record(_ issue: ImportIssue, _ example: @autoclosure () -> String) {
        let n = issues[issue, default: 0]
        issues[issue] = n + 1
        if n < 3 { examples.append("\(issue.rawValue): \(example())") }
    }

    /// `missing image file 3, empty segmentation 1` (or `no problems`).
    public var issueSummary: String {
        issues.isEmpty ? "no problems"
            : issues.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    }
}
