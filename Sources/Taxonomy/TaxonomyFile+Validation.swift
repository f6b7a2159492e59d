/// The checks `TaxonomyFile.init(yaml:path:)` runs after reading: each failure names the
/// file and the line of the offending entry.
extension TaxonomyFile {
    func validate() throws {
        guard !objects.isEmpty else { throw TaxonomyError.emptyObject(path: path, line: 1, object: "") }
        var objectKeys: [String: Int] = [:]
        for object in objects {
            try checkName(object.name, line: object.line)
            let key = PartNames.objectKey(object.name)
            guard objectKeys.updateValue(object.line, forKey: key) == nil else {
                throw TaxonomyError.duplicateObject(path: path, line: object.line, object: object.name)
            }
            var partKeys = Set<String>()
            for part in object.parts {
                try checkName(part, line: object.line)
                guard partKeys.insert(PartNames.key(part)).inserted else {
                    throw TaxonomyError.duplicatePart(path: path, line: object.line, object: object.name, part: part)
                }
            }
        }
        for novel in novelObjects where object(named: novel) == nil {
            throw TaxonomyError.unknownObject(path: path, line: splitLine, object: novel)
        }
        try validateSynonyms()
    }

    private func checkName(_ name: String, line: Int) throws {
        guard !PartNames.key(name).isEmpty else {
            throw TaxonomyError.invalidName(path: path, line: line, name: name, reason: "blank")
        }
        if naming == .objectColonPart, name.contains(":") {
            throw TaxonomyError.invalidName(path: path, line: line, name: name,
                                            reason: "':' separates object and part in \"object:part\" names")
        }
    }

    private func validateSynonyms() throws {
        // alias key → (canonical, scope) seen so far, to catch one alias mapped two ways.
        var seen: [String: [(canonical: String, objects: Set<String>?)]] = [:]
        for rule in synonyms {
            guard !PartNames.key(rule.canonical).isEmpty else {
                throw TaxonomyError.invalidName(path: path, line: rule.line, name: rule.canonical, reason: "blank")
            }
            if let scope = rule.objects {
                for name in scope where object(named: name) == nil {
                    throw TaxonomyError.unknownObject(path: path, line: rule.line, object: name)
                }
            }
            let inScope = objects.filter { rule.applies(to: $0.name) }
            let scopeKeys = rule.objects.map { Set($0.map(PartNames.objectKey)) }
            for alias in rule.aliases {
                let aliasKey = PartNames.key(alias)
                guard aliasKey != PartNames.key(rule.canonical) else {
                    throw TaxonomyError.conflictingSynonym(path: path, line: rule.line, alias: alias,
                                                           reason: "is its own canonical name")
                }
                let owners = inScope.filter { $0.parts.contains { PartNames.key($0) == aliasKey } }
                guard !owners.isEmpty else {
                    throw TaxonomyError.unknownSynonym(path: path, line: rule.line, alias: alias)
                }
                // Folding the alias into a part the object already has would merge two categories.
                for owner in owners where owner.parts.contains(where: { PartNames.key($0) == PartNames.key(rule.canonical) }) {
                    throw TaxonomyError.conflictingSynonym(
                        path: path, line: rule.line, alias: alias,
                        reason: "→ '\(rule.canonical)' would merge two parts of '\(owner.name)'")
                }
                for previous in seen[aliasKey, default: []] where previous.canonical != PartNames.key(rule.canonical) {
                    let overlap: Bool
                    switch (previous.objects, scopeKeys) {
                    case (nil, _), (_, nil): overlap = true
                    case let (a?, b?): overlap = !a.isDisjoint(with: b)
                    }
                    if overlap {
                        throw TaxonomyError.conflictingSynonym(
                            path: path, line: rule.line, alias: alias,
                            reason: "already maps to '\(previous.canonical)' for some of the same objects")
                    }
                }
                seen[aliasKey, default: []].append((PartNames.key(rule.canonical), scopeKeys))
            }
        }
    }
}
