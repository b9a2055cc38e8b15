#!/usr/bin/env bash
# plan-shard.sh <change|destroy> <plan|apply> <base commit> <stack-id>...: plans one shard of
# `npm run changes` and copies each stack's redacted plan.json to plans/<id>/plan.json (the shard's
# artifact). A change shard runs `npm run plan -- <ids> --role <role>` (the head's code); a destroy
# shard (stacks removed from the head) synthesizes the base commit, only those stacks, and plans
# their destroy there (plan-destroy.mjs). The saved tfplan stays in the stack's folder for
# apply-shard.sh. A stack whose plan failed has no plans/<id>/plan.json; exit non-zero then.
set -euo pipefail
kind=$1 role=$2 base=$3
shift 3
status=0
mkdir -p plans
if [ "$kind" = destroy ]; then
  out=$RUNNER_TEMP/base/cdktf.out
  [ -d "$out" ] || LZ_STACKS=$(IFS=,; echo "$*") scripts/ci/synth-base.sh "$base" "$RUNNER_TEMP/base"
  node scripts/ci/plan-destroy.mjs "$role" "$out" "$@" || status=$?
else
  out=cdktf.out
  npm run --silent plan -- "$@" --role "$role" --format text > /dev/null || status=$?
fi
for id in "$@"; do
  if [ -f "$out/stacks/$id/plan.json" ]; then
    mkdir -p "plans/$id"
    cp "$out/stacks/$id/plan.json" "plans/$id/plan.json"
  fi
done
exit "$status"
