#!/usr/bin/env bash
# apply-shard.sh <change|destroy> <base commit> <stack-id>...: applies exactly what was reviewed.
# Each stack is planned again with the apply role (plan-shard.sh) and compared with the plan its pull
# request reviewed (reviewed/<id>/plan.json, gathered by reviewed-plans.sh): `plan-summary --compare`
# exit 0 applies the new saved plan; anything else, no reviewed plan, or a destroy the reviewing pull
# request did not allow (label allow-destroy) leaves the stack alone, says why in the job summary,
# and fails the job, so the run does not record the commit as applied (npm run applied).
set -euo pipefail
kind=$1 base=$2
shift 2
binary=${TERRAFORM_BINARY_NAME:-terraform}
summary=${GITHUB_STEP_SUMMARY:-/dev/stderr}
refused=()
# shellcheck disable=SC2016 # the backquotes are markdown
refuse() { refused+=("$1"); printf -- '- `%s`: **not applied**: %s\n' "$1" "$2" >> "$summary"; }
scripts/ci/plan-shard.sh "$kind" apply "$base" "$@" || true
if [ "$kind" = destroy ]; then out=$RUNNER_TEMP/base/cdktf.out; else out=cdktf.out; fi
echo "### ${kind} shard: $*" >> "$summary"
for id in "$@"; do
  reviewed=reviewed/$id/plan.json
  new=plans/$id/plan.json
  if [ ! -f "$reviewed" ]; then
    refuse "$id" "no reviewed plan: no pull request merged since the last applied commit planned it (plan it in a pull request, then merge)"
    continue
  fi
  if [ ! -f "$new" ]; then
    refuse "$id" "its plan with the apply role failed (see the log)"
    continue
  fi
  rc=0
  npm run --silent plan-summary -- --compare "$reviewed" "$new" 2> compare.txt || rc=$?
  if [ "$rc" -ne 0 ]; then
    why="the plan differs from the one reviewed in $(cat "reviewed/$id/source" 2>/dev/null || echo 'its pull request')"
    [ "$rc" -eq 3 ] || why="plan-summary --compare failed (exit $rc)"
    refuse "$id" "$why:"
    sed 's/^/    /' compare.txt >> "$summary"
    continue
  fi
  rc=0
  npm run --silent plan-summary -- "$id=$new" --fail-on destroy > /dev/null 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ ! -f "reviewed/$id/allow-destroy" ]; then
    refuse "$id" "it destroys resources, and the pull request that reviewed it is not labelled allow-destroy"
    continue
  fi
  if "$binary" -chdir="$out/stacks/$id" apply -input=false -no-color tfplan >&2; then
    # shellcheck disable=SC2016
    printf -- '- `%s`: applied (%s)\n' "$id" "$kind" >> "$summary"
  else
    refuse "$id" "$binary apply failed (see the log; npm run recover -- $id if it was interrupted)"
  fi
done
if [ "${#refused[@]}" -gt 0 ]; then
  echo "Not applied: ${refused[*]}" >&2
  exit 1
fi
