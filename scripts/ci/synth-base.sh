#!/usr/bin/env bash
# synth-base.sh <commit or empty> <folder>: synthesizes <commit> of this repository into
# <folder>/cdktf.out (a git worktree at <folder>, sharing this checkout's node_modules), for
# `npm run changes -- --base <folder>/cdktf.out` and for planning the destroy of stacks whose code is
# only in the base. With no commit (nothing applied yet), or a base that does not synthesize, the
# folder is left empty: every stack of the head counts as changed, and the job summary says why.
# LZ_STACKS, when set, limits the synthesis to those stacks (a destroy shard needs only its own).
set -euo pipefail
commit=${1:-}
dir=$2
note() { echo "$1" >&2; [ -z "${GITHUB_STEP_SUMMARY:-}" ] || echo "$1" >> "$GITHUB_STEP_SUMMARY"; }
if [ -z "$commit" ]; then
  mkdir -p "$dir/cdktf.out"
  note "No base commit (nothing applied yet): every stack counts as changed."
  exit 0
fi
git worktree add --detach "$dir" "$commit" > /dev/null
ln -s "$PWD/node_modules" "$dir/node_modules"
if ! (cd "$dir" && npm run --silent synth > /dev/null); then
  rm -rf "$dir/cdktf.out"
  mkdir -p "$dir/cdktf.out"
  note "The base $commit does not synthesize: every stack counts as changed, and stacks removed since cannot be found (destroy them by hand: docs/operations.md, \"CI\")."
fi
