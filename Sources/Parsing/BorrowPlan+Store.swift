import Store
import Taxonomy

extension BorrowPlan {
    /// The plans of the approved borrows among `targetCategories` (object category ids); a
    /// category without an approved borrow has no entry.
    public static func approved(in store: Store, targetCategories: Set<Int64>) throws -> [Int64: BorrowPlan] {
        var plans: [Int64: BorrowPlan] = [:]
        for category in targetCategories {
            if let borrow = try store.approvedBorrow(forTargetCategory: category) {
                plans[category] = BorrowPlan(targetCategoryID: category, baseCategoryIDs: [borrow.baseCategoryID],
                                             partNames: borrow.partNames, basePartCategoryIDs: borrow.basePartCategoryIDs.map { [$0] })
            }
        }
        return plans
    }
}
