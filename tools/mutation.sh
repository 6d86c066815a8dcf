#!/usr/bin/env bash
# Mutation testing, on demand (not in CI: about five minutes on two cores).
# mutmut copies src/ into mutants/ and runs the tests against each mutant
# from there, through its own runner, so the editable install in .venv is
# not what the tests import. It gets a venv of its own.
# Usage: bash tools/mutation.sh [--target 85]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-mutation
if [ ! -x "$venv/bin/mutmut" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet -e ".[test]" "mutmut==3.8.1"
fi
rm -rf mutants
# The fast profile: a mutant is killed by the first failing example, and the
# run repeats the suite once per mutant.
HYPOTHESIS_PROFILE=fast "$venv/bin/mutmut" run --max-children "${MUTMUT_CHILDREN:-2}"
"$venv/bin/python" tools/mutation_score.py "$@"
