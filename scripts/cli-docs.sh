#!/bin/bash
# Writes docs/cli.md from the binary's own --help (make docs runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
SS=${1:-go run ./cmd/shipshape}
{
echo "# Command reference"
echo
echo "Every verb and every flag, as \`shipshape VERB --help\` prints them. The"
echo "pages beside this one explain what each verb does:"
echo "[check](check.md), [init](init.md), [build and verify](build-and-verify.md),"
echo "[releasing](releasing.md) (proxy, deploy, rollback, releases, status, smoke)."
echo
echo "A short flag means one thing in every verb: \`-f\` is \`--file\` (as in"
echo "docker build), \`-e\` \`--env\`, \`-n\` \`--namespace\`, \`-t\` \`--tag\`, \`-o\`"
echo "\`--output\`, \`-c\` \`--config\`. \`check -f\` and \`rules -f\`, the old short"
echo "form of \`--format\`, still work and print a deprecation warning."
echo
echo "\`shipshape --version\` and \`shipshape version\` print the version;"
echo "\`shipshape completion bash|zsh|fish|powershell\` prints a completion script"
echo "(\`shipshape completion bash > /etc/bash_completion.d/shipshape\`)."
echo
for v in init check rules explain build verify proxy deploy rollback releases status smoke version; do
  echo "## $v"
  echo
  echo '```'
  $SS $v --help
  echo '```'
  echo
done
} > docs/cli.md
