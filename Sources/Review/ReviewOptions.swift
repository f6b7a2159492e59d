import Store

/// The order of objects on the review pages.
public enum ReviewSort: String, Sendable, CaseIterable {
    /// Least confident first: ascending object score (the mean of its part scores), objects
    /// without any score before all others; ties by object id.
    case score
    /// By object category name, least confident first within a category.
    case category
}

/// What `vlpart review` shows and how it pages.
///
/// ```swift
/// var options = ReviewOptions()
/// options.run = "demo"
/// options.statuses = [.pending]
/// let summary = try ReviewSite(store: store, options: options).write(to: outURL)
/// ```
public struct ReviewOptions: Sendable {
    /// The parse run to review, by name or id; `nil` picks the newest parse run.
    public var run: String?
    public var sort: ReviewSort = .score
    /// Only part labels in these states; `nil` shows every state.
    public var statuses: [LabelStatus]?
    /// Objects per page (pages stay small so that a browser opens any of them at once).
    public var pageSize = 50
    /// Long side of an object's crop in the pictures, pixels (crops are scaled up by a whole
    /// factor, at most 8, toward this size; larger crops are kept as they are).
    public var pictureSize = 192

    public init() {}
}

/// What ``ReviewSite/write(to:progress:)`` wrote.
public struct ReviewSummary: Sendable, Codable, Equatable {
    /// Path of `index.html`.
    public var index: String
    public var runID: Int64
    public var runName: String?
    /// Objects shown (objects with at least one selected part label).
    public var objects: Int
    /// Part labels shown.
    public var parts: Int
    /// Number of `objects-<n>.html` pages.
    public var pages: Int
    /// PNG pictures written (reviewed objects and the base objects they borrowed from).
    public var pictures: Int
    /// Objects whose picture could not be drawn (e.g. a missing image file); their pages say why.
    public var pictureFailures: Int

    enum CodingKeys: String, CodingKey {
        case index, runID = "run_id", runName = "run_name", objects, parts, pages, pictures
        case pictureFailures = "picture_failures"
    }
}
