import Testing
@testable import Features

@Test func facetsParseFromTheirCLISpelling() {
    #expect(Facet(rawValue: "key") == .key)
    #expect(Facet(rawValue: "attn") == .attn)
    #expect(Facet(rawValue: "keys") == nil)
    #expect(Facet.allCases.count == 5)
}
