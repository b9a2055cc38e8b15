#!/usr/bin/env bash
# sticky-comment.sh <pull request number> <markdown file> [--update-only]: the one plan comment of a
# pull request, found by the hidden marker its first line carries, updated in place, or created when
# there is none (unless --update-only: a pull request that changes no stack gets no new comment).
# (Not `gh pr comment --edit-last`: that edits the last comment of whoever runs it, whatever it is.)
set -euo pipefail
pr=$1
body=$2
update_only=${3:-}
marker='<!-- landing-zone-plan -->'
[ "$(head -n 1 "$body")" = "$marker" ] || { echo "$body: its first line must be $marker" >&2; exit 2; }
id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | sed -n 1p)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" > /dev/null
  echo "updated the plan comment $id"
elif [ "$update_only" = --update-only ]; then
  echo "no plan comment to update"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body" > /dev/null
  echo "created the plan comment"
fi
