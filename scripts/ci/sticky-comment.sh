#!/usr/bin/env bash
# sticky-comment.sh <pull request number> <markdown file>: the one plan comment of a pull request,
# found by the hidden marker its first line carries, updated in place, or created when there is none.
# (Not `gh pr comment --edit-last`: that edits the last comment of whoever runs it, whatever it is.)
set -euo pipefail
pr=$1
body=$2
marker='<!-- landing-zone-plan -->'
[ "$(head -n 1 "$body")" = "$marker" ] || { echo "$body: its first line must be $marker" >&2; exit 2; }
id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" > /dev/null
  echo "updated the plan comment $id"
else
  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -F "body=@$body" > /dev/null
  echo "created the plan comment"
fi
