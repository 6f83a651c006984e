// Package workflow holds the WF rules for CI workflows (GitHub Actions and
// Forgejo/Gitea Actions). Fixtures are directories holding
// .github/workflows/ci.yml, whose first line "# want: LINE..." says where
// the rule fires.
package workflow
