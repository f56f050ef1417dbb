#!/usr/bin/env bash
# Rewrites bench/budgets.json with the instruction counts of the current build, on purpose: run it
# when a change makes a gated benchmark do more (or less) work and you mean it, and commit
# bench/budgets.json in the same commit as the change, saying why.
# Usage: scripts/bench_budgets_update.sh [BUILD_DIR]   (a Release build without sanitizers)
set -euo pipefail
exec "$(dirname "$0")/bench_gate.sh" --update "$@"
