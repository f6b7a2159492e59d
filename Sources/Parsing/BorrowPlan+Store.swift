import Store
import Taxonomy

extension BorrowPlan {
    /// The plans of the approved borrows among `targetCategories` (object category ids); a
    /// category without an approved borrow has no entry.
    public static func approved(in store: Store, targetCategories: Set<Int64>) throws -> [Int64: BorrowPlan] {
        var plans: [Int64: BorrowPlan] = [:]
        for category in targetCategories {
            if let borrow = try store.approvedBorrow(forTargetCategory: category) {
                plans[category] = folding(targetCategoryID: category, baseCategoryID: borrow.baseCategoryID,
                                          partNames: borrow.partNames, basePartCategoryIDs: borrow.basePartCategoryIDs)
            }
        }
        return plans
    }

    /// A plan from a borrow's aligned part names and base part categories, where a name listed
    /// several times (a reviewer's `body,body=neck`) becomes one class fed by all its base parts,
    /// at the place of its first mention.
    public static func folding(targetCategoryID: Int64, baseCategoryID: Int64, partNames: [String],
                               basePartCategoryIDs: [Int64]) -> BorrowPlan {
        var names: [String] = [], sources: [[Int64]] = []
        for (name, base) in zip(partNames, basePartCategoryIDs) {
            if let i = names.firstIndex(of: name) { sources[i].append(base) } else { names.append(name); sources.append([base]) }
        }
        return BorrowPlan(targetCategoryID: targetCategoryID, baseCategoryIDs: [baseCategoryID], partNames: names,
                          basePartCategoryIDs: sources)
    }
}
