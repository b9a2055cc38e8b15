#!/usr/bin/env bash
# drift-issue.sh <folder of drift shard results>: keeps one issue, labelled landing-zone-drift, up to
# date with what the scheduled drift run found. Each shard left <shard>/exit (npm run drift's exit
# code: 0 no drift, 2 drift, else the run failed) and <shard>/drift.md (its markdown). Drift or a
# failed shard: the issue is created or its body replaced (bounded under GitHub's 65,536 characters;
# the run's artifacts hold everything). All clean: the open issue is closed with a comment.
set -euo pipefail
results=$1
label=landing-zone-drift
limit=60000
run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
drifted=0 failed=0 clean=0
body=$(mktemp)
details=$(mktemp)
for shard in "$results"/*/; do
  code=$(cat "$shard/exit" 2>/dev/null || echo missing)
  case "$code" in
    0) clean=$((clean + 1)) ;;
    2) drifted=$((drifted + 1)); cat "$shard/drift.md" >> "$details"; echo >> "$details" ;;
    *) failed=$((failed + 1)); echo "- shard $(basename "$shard"): the drift check failed (exit $code); see [the run]($run_url)" >> "$details" ;;
  esac
done
issue=$(gh issue list --repo "$GITHUB_REPOSITORY" --label "$label" --state open --limit 1 \
  --json number --jq '.[0].number // empty')
if [ "$drifted" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no drift in $clean shard(s)"
  if [ -n "$issue" ]; then
    gh issue close "$issue" --repo "$GITHUB_REPOSITORY" --comment "No drift as of [this run]($run_url): every stack matches its state and the code." > /dev/null
    echo "closed #$issue"
  fi
  exit 0
fi
{
  echo "<!-- landing-zone-drift -->"
  echo "The [scheduled drift check]($run_url) found changes made outside the pipeline (or plans that failed): $drifted shard(s) with drift, $failed failed, $clean clean. Apply the code again (re-run the stack's plan in a pull request) or bring the code in line with the change. Updated by every run; closed when clean."
  echo
  head -c "$limit" "$details"
  if [ "$(wc -c < "$details")" -gt "$limit" ]; then
    echo
    echo "… cut at $limit characters: the run's drift artifacts hold every stack."
  fi
} > "$body"
if [ -n "$issue" ]; then
  gh issue edit "$issue" --repo "$GITHUB_REPOSITORY" --body-file "$body" > /dev/null
  echo "updated #$issue"
else
  gh label create "$label" --repo "$GITHUB_REPOSITORY" --force --color d93f0b \
    --description "Found by the scheduled drift check" > /dev/null
  gh issue create --repo "$GITHUB_REPOSITORY" --label "$label" --body-file "$body" \
    --title "Drift: stacks differ from their code" > /dev/null
  echo "created the drift issue"
fi
