"""The deck workflows: the plan of a deck (`pipeline`), its build, `update` of an
edited deck, batches of segment and personal decks, `init` of a project, and exports.
The API and the command line sit above this package."""
