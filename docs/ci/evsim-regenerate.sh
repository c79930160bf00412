#!/bin/sh
# Regenerates the status diagram and Table 1 from the spec and fails when
# they differ from the committed ones, naming them: commit the regenerated
# files. EVSIM_SPEC is the spec (default model/evs.yaml), EVSIM_OUT the
# folder of the generated files (default docs/generated).
set -eu
spec=${EVSIM_SPEC:-model/evs.yaml}
out=${EVSIM_OUT:-docs/generated}
evsim graph -spec "$spec" -o "$out/statuses.svg"
evsim graph -spec "$spec" -view figure1 -title "" -o "$out/figure1.svg"
evsim graph -spec "$spec" -format rst -o "$out/table1.rst"
evsim graph -spec "$spec" -format markdown -o "$out/table1.md"
changed=$(git status --porcelain --untracked-files=all -- "$out")
if [ -n "$changed" ]; then
  echo "evsim: the generated diagram or Table 1 changed; commit them:"
  echo "$changed"
  exit 1
fi
