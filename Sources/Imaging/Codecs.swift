import CImageCodecs

/// Facts about the image codec libraries vlpart is linked against.
public enum Codecs {
    /// The linked libpng and libjpeg versions, e.g. `png 1.6.39, jpeg 62`.
    public static var version: String { String(cString: vlp_codecs_version()) }
}
