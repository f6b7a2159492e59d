import Testing
@testable import Imaging

@Test func codecVersionsNameBothLibraries() {
    let version = Codecs.version
    #expect(version.hasPrefix("png 1.6."))
    #expect(version.contains("jpeg"))
}
