import Store

extension ParseRunner {
    /// Base objects a plan's facing model learns from, at most this many (evenly spaced).
    static let facingPoolLimit = 512

    /// The `--facing learned` model of `plan`, built once per run from every source category
    /// that carries all the borrowed base parts by name (a dog borrowing the cat's head, ear,
    /// torso, leg and tail learns from cats, horses, cows and sheep).
    func facingModel(_ plan: BorrowPlan) throws -> FacingModel? {
        if let model = facingModels[plan.targetCategoryID] { return model }
        var pool: [(id: Int64, plan: BorrowPlan)] = []
        for (category, plan) in try facingPoolPlans(plan) {
            pool += (baseBank[category] ?? []).map { ($0.id, plan) }
        }
        if pool.count > Self.facingPoolLimit {
            let step = Double(pool.count) / Double(Self.facingPoolLimit)
            pool = (0..<Self.facingPoolLimit).map { pool[Int(Double($0) * step)] }
        }
        // Loaded one at a time: 512 objects of 3025 patches would not fit in memory together.
        let model = try FacingModel(poolCount: pool.count, parts: plan.partNames.count) {
            try loadBaseObject(pool[$0].id, plan: pool[$0].plan)
        }
        facingModels[plan.targetCategoryID] = model
        return model
    }

    /// The borrowed categories' own plans, plus one per other source category whose part names
    /// include every base part name of the borrow, its parts mapped by name.
    func facingPoolPlans(_ plan: BorrowPlan) throws -> [(category: Int64, plan: BorrowPlan)] {
        var names: [Int64: String] = [:]
        for category in plan.baseCategoryIDs {
            for part in try store.partCategories(ofObject: category) { names[part.id] = part.part }
        }
        let wanted = plan.basePartCategoryIDs.map { $0.compactMap { names[$0] } }
        var result = plan.baseCategoryIDs.map { ($0, plan) }
        for category in baseBank.keys.sorted() where !plan.baseCategoryIDs.contains(category) {
            let parts = try store.partCategories(ofObject: category)
            let ids = Dictionary(parts.map { ($0.part, $0.id) }, uniquingKeysWith: { a, _ in a })
            let mapped = wanted.map { $0.compactMap { ids[$0] } }
            guard zip(mapped, wanted).allSatisfy({ $0.count == $1.count }) else { continue }
            result.append((category, BorrowPlan(targetCategoryID: plan.targetCategoryID, baseCategoryIDs: [category],
                                                partNames: plan.partNames, basePartCategoryIDs: mapped)))
        }
        return result
    }
}
