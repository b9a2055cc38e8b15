#!/usr/bin/env bash
# reviewed-plans.sh <last applied commit or empty> <folder>: the plans reviewed in the pull requests
# merged since the last applied commit, gathered into <folder>/<stack>/plan.json, the newest pull
# request's plan for a stack winning; <folder>/<stack>/source names it, and <folder>/<stack>/allow-destroy
# marks a pull request labelled allow-destroy. A reviewed plan is the `reviewed-plans` artifact of the
# newest completed landing-zone run of the pull request's head commit that has one. A commit pushed without a pull
# request brings no reviewed plan: its stacks are not applied (apply-shard.sh says so).
set -euo pipefail
applied=$1 dir=$2
repo=$GITHUB_REPOSITORY
mkdir -p "$dir"
scratch=$(mktemp -d)
range=HEAD
[ -z "$applied" ] || range="$applied..HEAD"
# Oldest first, so a later pull request's plan of the same stack replaces an earlier one's.
for sha in $(git rev-list --first-parent --reverse "$range" | tail -n 200); do
  gh api "repos/$repo/commits/$sha/pulls" \
    --jq '.[] | select(.merged_at != null) | "\(.number) \(.head.sha)"' | while read -r pr head; do
    # The newest completed run that has the artifact: a run for a label other than allow-destroy
    # plans nothing and has none.
    runs=$(gh run list --repo "$repo" --workflow landing-zone.yml --event pull_request --commit "$head" \
      --status completed --limit 10 --json databaseId --jq '.[].databaseId')
    run=""
    rm -rf "${scratch:?}/$pr" && mkdir -p "$scratch/$pr/plans"
    for candidate in $runs; do
      if gh run download "$candidate" --repo "$repo" --name reviewed-plans --dir "$scratch/$pr" > /dev/null 2>&1; then
        run=$candidate
        break
      fi
    done
    if [ -z "$run" ]; then
      echo "#$pr: no completed plan run for its head $head has a reviewed-plans artifact (expired, or the plans failed): its stacks have no reviewed plan" >&2
      continue
    fi
    tar -xzf "$scratch/$pr/reviewed-plans.tgz" -C "$scratch/$pr/plans"
    allow=$(gh api "repos/$repo/pulls/$pr" --jq '[.labels[].name] | index("allow-destroy") != null')
    for stack in "$scratch/$pr/plans"/*/; do
      id=$(basename "$stack")
      rm -rf "${dir:?}/$id" && cp -r "$stack" "$dir/$id"
      echo "#$pr (run $run)" > "$dir/$id/source"
      [ "$allow" != true ] || touch "$dir/$id/allow-destroy"
    done
    echo "#$pr: reviewed plans from run $run" >&2
  done
done
rm -rf "$scratch"
