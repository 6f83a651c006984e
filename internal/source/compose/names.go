package compose

import "strings"

// BaseNames are the files `docker compose` reads when no -f is given, in
// the order it picks the first that exists (compose-go's DefaultFileNames).
var BaseNames = []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}

// OverrideNames are the override files compose merges over base, in the
// order it looks for them: compose.yaml → compose.override.yaml, then
// compose.override.yml.
func OverrideNames(base string) []string {
	stem := strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
	return []string{stem + ".override.yaml", stem + ".override.yml"}
}

// IsBaseName reports whether name is one of BaseNames.
func IsBaseName(name string) bool {
	for _, b := range BaseNames {
		if name == b {
			return true
		}
	}
	return false
}
