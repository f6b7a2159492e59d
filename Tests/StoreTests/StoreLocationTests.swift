import Testing
@testable import Store

@Test func flagWinsOverEnvironmentWhichWinsOverDefault() {
    #expect(StoreLocation.resolve(flag: "a.sqlite", environment: ["VLPART_DB": "b.sqlite"]) == "a.sqlite")
    #expect(StoreLocation.resolve(flag: nil, environment: ["VLPART_DB": "b.sqlite"]) == "b.sqlite")
    #expect(StoreLocation.resolve(flag: "", environment: [:]) == "vlpart.sqlite")
}
