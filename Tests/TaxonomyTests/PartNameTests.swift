import Testing
@testable import Taxonomy

@Test func splitsAtTheLastColon() {
    let name = PartName(colonSeparated: "car_(automobile):wheel")
    #expect(name == PartName(object: "car_(automobile)", part: "wheel"))
    #expect(name?.description == "car_(automobile):wheel")
    #expect(PartName(colonSeparated: "dog") == nil)
    #expect(PartName(colonSeparated: ":head") == nil)
    #expect(PartName(colonSeparated: "dog:") == nil)
}

@Test func readableTextDropsQualifiersAndUnderscores() {
    #expect(PartName(object: "car_(automobile)", part: "wheel").readable == "wheel of a car")
    #expect(PartName(object: "traffic_light", part: "base").readable == "base of a traffic light")
    #expect(PartName.readable("fire_hydrant") == "fire hydrant")
}
