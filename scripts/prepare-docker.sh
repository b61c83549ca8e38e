#!/usr/bin/env bash
# Prepares Docker for the swarm suite: a running engine in single-node swarm mode and the project
# image func:local (built from the local base image func-base:local). Installs docker.io and
# debootstrap from Debian's packages when missing, starts dockerd when `docker info` fails, and
# fails loudly, saying what failed and what to run, when any of it cannot be done: the swarm
# suite must never skip silently. Idempotent; a second run takes seconds (plus a cached build).
#
# Engine flags: --bridge=none --iptables=false. Services use host networking and reach Redis and
# MariaDB on 127.0.0.1; no default bridge, no NAT rules, no traffic beyond loopback. The swarm
# listens and advertises on 127.0.0.1 only. See docs/stack.md.
#
# Environment: FUNC_DOCKERD_LOG (default /var/log/func-dockerd.log), FUNC_IMAGE (func:local),
# FUNC_BASE_IMAGE (func-base:local), FUNC_SKIP_IMAGE_BUILD=1 to stop after the engine and swarm.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
LOG=${FUNC_DOCKERD_LOG:-/var/log/func-dockerd.log}
SOCK=/var/run/docker.sock

say() { printf '[prepare-docker] %s\n' "$*"; }
fail() {
  printf '[prepare-docker] FAILED: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '[prepare-docker]   %s\n' "$line" >&2; done
  exit 1
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root for: $*" "run this script as root (or with sudo available)"; fi; }
apt_install() {
  say "installing $* from Debian's packages"
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null \
    || fail "apt-get install $* failed" "run: apt-get update && apt-get install -y $*"
}

# 1. The packages.
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then apt_install docker.io; fi

# 2. The engine.
engine_ok() { docker info >/dev/null 2>&1; }
if ! engine_ok; then
  if pgrep -x dockerd >/dev/null; then
    say "dockerd is running but not answering yet; waiting"
  else
    say "starting dockerd --bridge=none --iptables=false (log: $LOG)"
    as_root mkdir -p "$(dirname "$LOG")"
    # setsid: the engine outlives this script and the npm process that ran it.
    # DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: a swarm task uses the local image instead of first
    # trying to pull it (which sends DNS and HTTPS to Docker Hub and fails here anyway).
    as_root env DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid -f dockerd --bridge=none --iptables=false --ip6tables=false \
      --host "unix://$SOCK" >>"$LOG" 2>&1 </dev/null
  fi
  wait_s=${FUNC_DOCKERD_WAIT_S:-60}
  for _ in $(seq 1 $((wait_s * 2))); do
    engine_ok && break
    sleep 0.5
    pgrep -x dockerd >/dev/null || { sleep 0.5; engine_ok || break; }   # it exited: no point waiting
  done
  if ! engine_ok; then
    why=$(pgrep -x dockerd >/dev/null && echo "did not answer on $SOCK within $wait_s s" || echo "is not running (it exited)")
    fail "the Docker engine $why; docker info says: $({ docker info 2>&1 || true; } | grep -m1 -i -E 'error|cannot' || echo nothing)" \
      "last lines of $LOG:" "$(tail -n 15 "$LOG" 2>/dev/null | sed 's/^/    /')" \
      "start it by hand and read its errors: DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 dockerd --bridge=none --iptables=false --ip6tables=false" \
      "then run again: bash scripts/prepare-docker.sh"
  fi
  say "engine is up: $(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null)"
fi

# An engine started some other way still tries to pull the image of every swarm task first.
pid=$(pgrep -o -x dockerd || true)
if [ -n "$pid" ] && ! { as_root cat "/proc/$pid/environ" 2>/dev/null || true; } | tr '\0' '\n' | grep -qx 'DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1'; then
  say "WARNING: dockerd (pid $pid) runs without DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1: each swarm task first"
  say "  tries to pull its image from Docker Hub (DNS + HTTPS beyond loopback; fails, then runs the local image)."
  say "  To fix, when nothing else uses the engine: kill $pid; then run this script again."
fi

# 3. Single-node swarm on loopback.
swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }
state=$(swarm_state)
if [ "$state" != active ]; then
  if [ "$state" = error ] || [ "$state" = pending ]; then
    say "swarm state is '$state'; leaving it before a fresh init"
    docker swarm leave --force >/dev/null 2>&1 || true
  fi
  say "docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377"
  docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null \
    || fail "docker swarm init failed (state was '$state')" "run: docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377"
  state=$(swarm_state)
  [ "$state" = active ] || fail "swarm is '$state' after init, not active" "see: docker info; $LOG"
fi
if [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" != true ]; then
  fail "this node is in a swarm but is not a manager: services cannot be deployed from here" "run: docker swarm leave --force && bash scripts/prepare-docker.sh"
fi

if [ "${FUNC_SKIP_IMAGE_BUILD:-}" = 1 ]; then say "engine and swarm ready (image build skipped: FUNC_SKIP_IMAGE_BUILD=1)"; exit 0; fi

# 4. The images: the local base (debootstrap, cached), then the project image.
base=${FUNC_BASE_IMAGE:-func-base:local}
if ! docker image inspect "$base" >/dev/null 2>&1; then
  if ! command -v debootstrap >/dev/null; then apt_install debootstrap; fi
  bash "$root/stack/build-base-image.sh" \
    || fail "building the base image $base failed (see the output above)" "run: bash stack/build-base-image.sh"
fi
BASE_IMAGE=$base FUNC_BUILD_QUIET=${FUNC_BUILD_QUIET:-1} bash "$root/stack/build-image.sh" \
  || fail "building the project image ${FUNC_IMAGE:-func:local} failed (see the output above)" "run: bash stack/build-image.sh"
say "Docker engine (swarm active) and image ${FUNC_IMAGE:-func:local} are ready"
