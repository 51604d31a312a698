#!/usr/bin/env bash
# Releasing on main is three commits, in this order (test/e2e/workflows.test.ts checks the result):
#   A. dist/ rebuilt from src/ (skipped when it is current);
#   B. the reusable workflows and the example step pin the action at A (the commit whose action.yml and
#      dist/ are the current ones);
#   C. the callers (examples/workflows, the workflow tests' team repository) pin the reusable workflows at B.
# Run on a clean tree: bash scripts/pin-release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "$(git status --porcelain -- src dist action.yml .github examples test/e2e/fixtures/workflows)" ]]; then
  echo "pin-release: commit or drop the changes under src, dist, action.yml, .github, examples and the workflow fixtures first." >&2
  exit 1
fi
today=$(date -u +%F)

npm run build >/dev/null
if [[ -n "$(git status --porcelain -- dist)" ]]; then
  git add dist
  git commit -qm "Rebuild dist/ from src/"
fi
# The commit that last changed action.yml or dist/: what the action pin must name.
action_sha=$(git log -1 --format=%H -- action.yml dist)

callers=(.github/workflows/*.yml examples/workflows/release-step.yml)
old_action=$(grep -ohE 'model-canary/model-canary@[0-9a-f]{40}' "${callers[@]}" | sort -u | sed 's/.*@//')
if [[ "$old_action" != "$action_sha" ]]; then
  for sha in $old_action; do
    sed -i -E "s|model-canary/model-canary@${sha}( # main, [0-9-]+)?|model-canary/model-canary@${action_sha}|g" "${callers[@]}"
  done
  # Our workflows say which version they pin; the example keeps its own comment.
  sed -i -E "s|(model-canary/model-canary@${action_sha})( #.*)?$|\1 # main, ${today}|" .github/workflows/*.yml
  sed -i -E "s|(model-canary/model-canary@${action_sha})$|\1 # pin by commit SHA|" examples/workflows/release-step.yml
  git add "${callers[@]}"
  git commit -qm "Pin the workflows' action to ${action_sha} (current action.yml and dist/)"
fi
workflows_sha=$(git log -1 --format=%H -- .github/workflows)

users=(examples/workflows/*.yml test/e2e/fixtures/workflows/team-repo/.github/workflows/*.yml)
old_workflows=$(grep -ohE 'model-canary/model-canary/\.github/workflows/[a-z-]+\.yml@[0-9a-f]{40}' "${users[@]}" | sed 's/.*@//' | sort -u)
if [[ -n "$old_workflows" && "$old_workflows" != "$workflows_sha" ]]; then
  for sha in $old_workflows; do
    sed -i "s|\.yml@${sha}|.yml@${workflows_sha}|g" "${users[@]}"
  done
  git add "${users[@]}"
  git commit -qm "Pin the examples to the reusable workflows at ${workflows_sha}"
fi
echo "action pinned at ${action_sha}, reusable workflows at ${workflows_sha}"
