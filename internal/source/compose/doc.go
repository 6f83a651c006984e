// Package compose loads a Compose project the way `docker compose` does —
// override files merged in order, `.env` interpolation, every profile — with
// compose-go, and keeps each file's YAML nodes so that every finding can name
// the file, line and column it comes from.
package compose
