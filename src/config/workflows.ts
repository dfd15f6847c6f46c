/**
 * The GitHub Actions workflows `newsmirror init --ci github` writes, beside the starter config.
 *
 * The layout they assume (README "From nothing to an hourly mirror on GitHub"): one repository
 * whose default branch holds newsmirror.yaml and these workflows, and whose branch `mirror`
 * (MIRROR_BRANCH) holds the mirror readers see. Scheduled workflows only run from the default
 * branch, so the mirror cannot be the default branch; and forks of the repository carry the
 * fork-sync workflow with them.
 *
 * What a run keeps, and where:
 * - The published mirror: the branch itself. Each run fetches its last commit (depth 1) into
 *   `mirror/`, so the new commit goes on top (history `keep`), and git sends only new objects.
 * - The state (`.newsmirror/`: the SQLite database, and the image cache beside it): actions/cache,
 *   one entry per run (caches are immutable) restored through `restore-keys` from the newest.
 *   The state is small and changes every run, so committing it would grow the mirror's history
 *   by a binary blob an hour. When the cache is gone (GitHub evicts entries unused for 7 days),
 *   the run rebuilds the state from the fetched mirror (`rebuild-state`): the next sync then
 *   fetches each feed once and nothing already mirrored.
 * - The token: MIRROR_TOKEN, which the config names (`tokenEnv: MIRROR_TOKEN`), never in a file:
 *   the repository's own GITHUB_TOKEN, or the secret MIRROR_TOKEN when the mirror is elsewhere.
 *
 * MIRROR_URL and MIRROR_BRANCH are said once, in the sync workflow's `env:`; the config reads
 * them as `${MIRROR_URL}` and `${MIRROR_BRANCH}`.
 */

export interface GithubWorkflowOptions {
  /** What `npm install --global` installs: `newsmirror@0.1.0`, or a git URL. */
  packageSpec: string;
  /** The branch that holds the mirror (default `mirror`). */
  branch?: string;
  /** Minute of the hour the sync runs at (GitHub delays runs at the top of the hour). */
  minute?: number;
}

export const WORKFLOW_DIR = '.github/workflows';
export const SYNC_WORKFLOW = `${WORKFLOW_DIR}/newsmirror.yml`;
export const FORK_SYNC_WORKFLOW = `${WORKFLOW_DIR}/newsmirror-fork-sync.yml`;
export const DEFAULT_MIRROR_BRANCH = 'mirror';

/** The sync workflow and the fork-sync workflow, as files to write. */
export function githubWorkflows(options: GithubWorkflowOptions): { path: string; text: string }[] {
  const branch = options.branch ?? DEFAULT_MIRROR_BRANCH;
  const minute = options.minute ?? 23;
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) throw new RangeError(`minute ${minute} is not 0-59`);
  // The fork sync runs half an hour after the sync, when the upstream's push is done.
  const forkMinute = (minute + 30) % 60;
  return [
    { path: SYNC_WORKFLOW, text: syncWorkflow(options.packageSpec, branch, minute) },
    { path: FORK_SYNC_WORKFLOW, text: forkSyncWorkflow(branch, forkMinute) },
  ];
}

/** A YAML scalar that never needs escaping thought: JSON's double-quoted strings are YAML's too. */
const q = (s: string) => JSON.stringify(s);

function syncWorkflow(packageSpec: string, branch: string, minute: number): string {
  return `# newsmirror: mirror the outlets of newsmirror.yaml every hour and publish the mirror.
# Written by \`newsmirror init --ci github\`; see newsmirror's README, "From nothing to an
# hourly mirror on GitHub".
#
# Between runs the published mirror is kept on branch MIRROR_BRANCH (each run fetches its
# last commit) and the state (.newsmirror/: database and image cache) in the Actions cache,
# one entry per run; when the cache is gone the state is rebuilt from the mirror.
name: newsmirror

on:
  schedule:
    - cron: ${q(`${minute} * * * *`)}   # hourly (GitHub delays runs at the top of the hour)
  workflow_dispatch:                # and on demand: Actions → newsmirror → Run workflow

permissions:
  contents: write                   # push the mirror to this repository with GITHUB_TOKEN

concurrency:
  group: newsmirror                 # one run at a time: a late run waits for the one before
  cancel-in-progress: false

env:
  NEWSMIRROR_PACKAGE: ${q(packageSpec)}
  # Where the mirror is published; newsmirror.yaml reads both (\${MIRROR_URL}, \${MIRROR_BRANCH}).
  # For another repository, write its URL here and put a token that may push to it in the
  # repository secret MIRROR_TOKEN.
  MIRROR_URL: https://github.com/\${{ github.repository }}.git
  MIRROR_BRANCH: ${q(branch)}

jobs:
  sync:
    # A fork carries this file too; it follows the mirror with newsmirror-fork-sync.yml instead.
    if: \${{ !github.event.repository.fork }}
    runs-on: ubuntu-latest
    timeout-minutes: 50
    env:
      # Named by \`tokenEnv: MIRROR_TOKEN\` in newsmirror.yaml: newsmirror sends it to the remote
      # and keeps it out of every output.
      MIRROR_TOKEN: \${{ secrets.MIRROR_TOKEN || github.token }}
    steps:
      - name: Check out the config
        uses: actions/checkout@v4
        with:
          persist-credentials: false  # newsmirror pushes with MIRROR_TOKEN, not with checkout's header

      - name: Set up Node.js
        uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Install newsmirror
        run: npm install --global --no-audit --no-fund "$NEWSMIRROR_PACKAGE"

      - name: Restore the state
        id: state
        uses: actions/cache/restore@v4
        with:
          path: .newsmirror
          key: newsmirror-state-\${{ github.run_id }}-\${{ github.run_attempt }}
          restore-keys: newsmirror-state-

      - name: Fetch the published mirror
        run: |
${indent(FETCH_SCRIPT, 10)}
      - name: Rebuild the state from the published mirror
        if: steps.state.outputs.cache-matched-key == '' && hashFiles('mirror/README.md') != ''
        run: newsmirror rebuild-state

      - name: Sync
        run: |
${indent(SYNC_SCRIPT, 10)}
      - name: Save the state
        if: always()
        uses: actions/cache/save@v4
        with:
          path: .newsmirror
          key: \${{ steps.state.outputs.cache-primary-key }}
`;
}

/**
 * Fetch the last commit of MIRROR_BRANCH into `mirror/` (a new repository when the branch does
 * not exist yet), from the repository the first remote publishes to now: MIRROR_URL, or, once
 * a rotating remote has moved on, the one the restored state names (`status --json`).
 * ls-remote exits 2 for "no such branch"; anything else is a failure to say. The token goes in
 * an http header of these two commands only.
 */
export const FETCH_SCRIPT = `set -eu
url="$MIRROR_URL"
if [ -f .newsmirror/state.db ]; then
  now=$(newsmirror status --json 2> /dev/null | node -e 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => { try { const r = (JSON.parse(s).remotes || [])[0]; if (r && r.target) process.stdout.write(r.target); } catch {} });' || true)
  if [ -n "$now" ]; then url="$now"; fi
fi
git init --quiet mirror
auth="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$MIRROR_TOKEN" | base64 | tr -d '\\n')"
found=0
git -C mirror -c "http.extraheader=$auth" ls-remote --exit-code --heads "$url" "refs/heads/$MIRROR_BRANCH" > /dev/null || found=$?
if [ "$found" -eq 0 ]; then
  git -C mirror -c "http.extraheader=$auth" fetch --quiet --depth=1 "$url" "refs/heads/$MIRROR_BRANCH"
  git -C mirror checkout --quiet -B "$MIRROR_BRANCH" FETCH_HEAD
  echo "fetched $MIRROR_BRANCH of $url at $(git -C mirror rev-parse --short HEAD)"
elif [ "$found" -eq 2 ]; then
  echo "no branch $MIRROR_BRANCH at $url yet: this run publishes it"
else
  echo "::error::cannot read $url (git exited $found): check MIRROR_URL and the token"
  exit 1
fi`;

/**
 * Exit 3 when only sources or articles failed (they are retried next run) is a warning, not a
 * failed job: an outlet that is down for an hour should not mail the operator. A remote that
 * could not be pushed fails the job (`status` names it).
 */
export const SYNC_SCRIPT = `code=0
newsmirror sync || code=$?
if [ "$code" -eq 3 ]; then
  failing=$(newsmirror status --json 2> /dev/null | node -e 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => { let n = 0; try { n = (JSON.parse(s).remotes || []).filter((r) => r.consecutiveFailures > 0).length; } catch {} process.stdout.write(String(n)); });' || echo 0)
  if [ "$failing" = 0 ]; then
    echo "::warning::some sources or articles failed; they are retried next run (see the lines above)"
    exit 0
  fi
  echo "::error::$failing remote(s) could not be pushed (see the lines above); the next run tries again"
fi
exit "$code"`;

function forkSyncWorkflow(branch: string, minute: number): string {
  return `# newsmirror fork sync: keep this fork's copy of the mirror (branch MIRROR_BRANCH) equal to
# the one in the repository it was forked from, so that readers who cannot reach that one
# still find the news here. Written by \`newsmirror init --ci github\`.
#
# It runs only in forks. GitHub does not run the scheduled workflows of a new fork: enable
# them once in the fork's Actions tab. The mirror branch is a copy and is replaced as a whole
# (the upstream may publish one parentless snapshot at a time).
name: newsmirror fork sync

on:
  schedule:
    - cron: ${q(`${minute} * * * *`)}
  workflow_dispatch:

permissions:
  contents: write                   # move this fork's mirror branch

jobs:
  sync-fork:
    if: \${{ github.event.repository.fork }}
    runs-on: ubuntu-latest
    timeout-minutes: 10
    env:
      GH_TOKEN: \${{ github.token }}
      MIRROR_BRANCH: ${q(branch)}
    steps:
      - name: Copy the mirror branch from the upstream repository
        run: |
${indent(FORK_SYNC_SCRIPT, 10)}
`;
}

/**
 * \`gh repo sync --force\` resets a fork's branch to its parent's through the API (no clone);
 * it needs the branch to exist, and a fork made with "copy the main branch only" lacks it, so
 * the first run creates it from the parent's commit (forks share their parent's objects).
 */
export const FORK_SYNC_SCRIPT = `set -eu
upstream=$(gh api "repos/$GITHUB_REPOSITORY" --jq '.parent.full_name')
if gh api "repos/$GITHUB_REPOSITORY/git/ref/heads/$MIRROR_BRANCH" --silent 2> /dev/null; then
  gh repo sync "$GITHUB_REPOSITORY" --source "$upstream" --branch "$MIRROR_BRANCH" --force
else
  sha=$(gh api "repos/$upstream/git/ref/heads/$MIRROR_BRANCH" --jq '.object.sha')
  gh api --method POST "repos/$GITHUB_REPOSITORY/git/refs" -f ref="refs/heads/$MIRROR_BRANCH" -f sha="$sha" --silent
  echo "created $MIRROR_BRANCH at $sha from $upstream"
fi`;

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : pad + l))
    .join('\n');
}

/**
 * The `remotes:` entry the workflows expect in newsmirror.yaml: the mirror branch of
 * MIRROR_URL, pushed with MIRROR_TOKEN.
 */
export const GITHUB_CI_REMOTE = `remotes:
  - name: github
    url: \${MIRROR_URL}             # set by the workflow (.github/workflows/newsmirror.yml)
    branch: \${MIRROR_BRANCH}
    tokenEnv: MIRROR_TOKEN          # the workflow's token; never the token itself
`;
