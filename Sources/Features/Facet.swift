/// Which ViT intermediate a descriptor is read from, as dino-vit-features and VLPart name them.
public enum Facet: String, CaseIterable, Sendable, Codable {
    /// The block's output tokens.
    case token
    /// The attention keys of the block, heads concatenated head-major: `[tokens, heads·headDim]`.
    case key
    /// The attention queries of the block, laid out like `key`.
    case query
    /// The attention values of the block, laid out like `key`.
    case value
    /// The attention probabilities of the block: `[heads, tokens, tokens]`.
    case attn
}
