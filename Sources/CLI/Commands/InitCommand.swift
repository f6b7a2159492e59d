import ArgumentParser
import Store

/// `vlpart init`: creates a store (or migrates an existing one).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store (an SQLite file), or bring an existing one up to date.",
        discussion: """
        The store holds datasets, labels, runs and models. It uses WAL mode, so `vlpart stats` \
        can read while an import writes. Example: vlpart init --db work/vlpart.sqlite
        """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.open(create: true)
        print("store \(opened.path) ready (schema: \(try opened.appliedMigrations().joined(separator: ", ")))")
    }
}
