// Package compose holds the CO rules, one per file, for Compose projects as
// `docker compose` merges them. Fixtures live in testdata/<ID>/ as fire* and
// nofire* directories holding compose files; the first line of one of them,
// "# want: LINE... [file:LINE...]", says where the rule must fire.
package compose
