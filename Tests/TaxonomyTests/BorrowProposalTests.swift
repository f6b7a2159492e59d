import Testing
@testable import Taxonomy

@Test func visuallyNearestBaseWinsAndRunnerUpIsReported() {
    let bases = [
        BorrowProposer.Object(category: "cat", embedding: [1, 0, 0]),
        BorrowProposer.Object(category: "cat", embedding: [0.9, 0.1, 0]),
        BorrowProposer.Object(category: "car", embedding: [0, 1, 0]),
        BorrowProposer.Object(category: "bottle", embedding: [0, 0, 1]),
    ]
    let targets = [
        BorrowProposer.Object(category: "dog", embedding: [0.95, 0.2, 0]),
        BorrowProposer.Object(category: "dog", embedding: [0.8, 0, 0.1]),
        BorrowProposer.Object(category: "bus", embedding: [0.1, 0.9, 0]),
    ]
    let proposals = BorrowProposer(k: 2).propose(targets: targets, bases: bases)
    #expect(proposals.map(\.target) == ["bus", "dog"])
    #expect(proposals[1].base == "cat" && proposals[1].objects == 2)
    #expect(proposals[1].visualShare > 0.8)
    #expect(proposals[0].base == "car")
    #expect(proposals[0].runnerUp != nil && proposals[0].runnerUpScore! < proposals[0].score)
}

@Test func textPriorBreaksAVisualTie() {
    let bases = [BorrowProposer.Object(category: "cat", embedding: [1, 0]),
                 BorrowProposer.Object(category: "car", embedding: [0, 1])]
    let targets = [BorrowProposer.Object(category: "dog", embedding: [1, 1])]
    let text: (String, String) -> Double = { _, base in base == "cat" ? 0.6 : 0.2 }
    let withText = BorrowProposer(k: 2).propose(targets: targets, bases: bases, textSimilarity: text)
    #expect(withText[0].base == "cat")
    #expect(withText[0].score > 0.5 && withText[0].score <= 1)
    #expect(BorrowProposer().propose(targets: targets, bases: []).isEmpty)
}
