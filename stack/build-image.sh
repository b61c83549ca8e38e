#!/usr/bin/env bash
# Builds the project image func:local from stack/Dockerfile (context: the repository root), on top
# of the local base image func-base:local (stack/build-base-image.sh). Builds what the image copies
# first, each when missing or older than its sources: the console (renderer/dist), then dist/ (the
# backend as JavaScript, with the console inside), which the image runs with `node`.
#
# Environment: FUNC_IMAGE (tag, default func:local), BASE_IMAGE (default func-base:local; real
# users: node:20-bookworm-slim), DOCKER_BUILDKIT (default 0: the classic builder, as the Docker
# client here has no buildx plugin), FUNC_BUILD_QUIET=1 (the build's output to FUNC_BUILD_LOG,
# default /tmp/func-image-build.log, shown only on failure).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${FUNC_IMAGE:-func:local}
BASE=${BASE_IMAGE:-func-base:local}
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

say() { printf '[build-image] %s\n' "$*"; }
die() { printf '[build-image] FAILED: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "the Docker engine is not answering: run scripts/prepare-docker.sh"
if [ "$BASE" = func-base:local ] && ! docker image inspect "$BASE" >/dev/null 2>&1; then
  die "the base image $BASE is missing: run bash stack/build-base-image.sh (or set BASE_IMAGE)"
fi

cd "$root"
say "console and dist/: node scripts/build-if-stale.mjs"
node scripts/build-if-stale.mjs || die "building the console or dist/ failed"
[ -f dist/renderer/dist/index.html ] || die "dist/renderer/dist/index.html is missing after the build"
[ -f dist/backend/src/cli.js ] || die "dist/backend/src/cli.js is missing after the build"

version=$(node -p "require('./package.json').version")
revision=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- backend contract renderer bin scripts package.json package-lock.json 2>/dev/null)" ]; then revision="$revision-dirty"; fi

say "docker build --network host -f stack/Dockerfile -t $IMAGE --build-arg BASE_IMAGE=$BASE . (DOCKER_BUILDKIT=$DOCKER_BUILDKIT)"
previous=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
t0=$(date +%s)
build=(docker build --network host -f stack/Dockerfile -t "$IMAGE"
  --build-arg "BASE_IMAGE=$BASE" --build-arg "VERSION=$version" --build-arg "REVISION=$revision" .)
if [ "${FUNC_BUILD_QUIET:-}" = 1 ]; then
  # Quiet (scripts/prepare-docker.sh): the build's output goes to a log, shown only on failure.
  log=${FUNC_BUILD_LOG:-/tmp/func-image-build.log}
  if ! "${build[@]}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "docker build of $IMAGE failed (last lines above; full output: $log)"
  fi
  say "build output: $log ($(grep -c 'Using cache' "$log" || true) cached steps)"
else
  "${build[@]}" || die "docker build of $IMAGE failed (see the output above)"
fi
# The image this build replaced, unless a container still uses it. (Never `docker image prune`:
# the classic builder keeps the deps stage as an untagged image, and that is the npm ci cache.)
current=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then docker rmi "$previous" >/dev/null 2>&1 || true; fi
size=$(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}')
say "$IMAGE built in $(( $(date +%s) - t0 )) s ($size, $version, revision $revision)"
