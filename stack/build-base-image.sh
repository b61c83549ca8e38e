#!/usr/bin/env bash
# Builds the local base image func-base:local for machines that reach no image registry: Debian
# bookworm (minbase) from debootstrap with python3, ca-certificates, tini and libcap2-bin (setcap:
# stack/Dockerfile gives node file capabilities), plus this machine's own Node 20 (node, npm,
# node's headers for native addons). Real users build the project image FROM
# node:20-bookworm-slim instead (stack/Dockerfile, ARG BASE_IMAGE); nothing here is needed then.
#
# Cached: does nothing when the image exists (--force rebuilds). Two steps, each cached on its own:
#   func-debian:bookworm  the debootstrap root imported with `docker import` (~80 s + a few s)
#   func-base:local       FROM that, with node/npm/headers copied in (a few s)
# Environment: FUNC_BASE_IMAGE (func-base:local), FUNC_DEBIAN_IMAGE (func-debian:bookworm),
# FUNC_DEBIAN_MIRROR (default: the Debian mirror apt uses on this machine).
set -euo pipefail

BASE=${FUNC_BASE_IMAGE:-func-base:local}
DEBIAN=${FUNC_DEBIAN_IMAGE:-func-debian:bookworm}
force=0
[ "${1:-}" = --force ] && force=1

say() { printf '[build-base-image] %s\n' "$*"; }
die() { printf '[build-base-image] FAILED: %s\n' "$*" >&2; exit 1; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

if [ "$force" = 0 ] && exists "$BASE"; then say "$BASE is present (--force to rebuild)"; exit 0; fi
docker info >/dev/null 2>&1 || die "the Docker engine is not answering: run scripts/prepare-docker.sh first"
[ "$(id -u)" = 0 ] || die "debootstrap and docker import need root"

# The Debian mirror apt uses here (deb822 "URIs:" or one-line "deb URL bookworm main").
mirror() {
  local files=() f url
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
  url=$( (grep -h -E '^\s*URIs:' "${files[@]}" 2>/dev/null | awk '{print $2}'; grep -h -E '^\s*deb\s' "${files[@]}" 2>/dev/null | grep -v '\[' | awk '{print $2}') \
    | grep -E '/debian/?$' | head -n1)
  echo "${url:-http://deb.debian.org/debian}"
}

if [ "$force" = 1 ] || ! exists "$DEBIAN"; then
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install -y debootstrap"
  MIRROR=${FUNC_DEBIAN_MIRROR:-$(mirror)}
  dir=$(mktemp -d /var/tmp/func-rootfs.XXXXXX)
  trap 'rm -rf "$dir"' EXIT
  say "debootstrap --variant=minbase --include=python3,ca-certificates,tini,libcap2-bin bookworm $dir $MIRROR"
  t0=$(date +%s)
  debootstrap --variant=minbase --include=python3,ca-certificates,tini,libcap2-bin bookworm "$dir" "$MIRROR" >"$dir.log" 2>&1 \
    || { tail -n 20 "$dir.log" >&2; die "debootstrap failed (full log: $dir.log)"; }
  rm -f "$dir.log"
  # Smaller root: no downloaded .debs, no package lists (the Dockerfile runs apt-get update when it installs).
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
  say "debootstrap took $(( $(date +%s) - t0 )) s; docker import as $DEBIAN"
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/bash"]' \
    -m "debootstrap --variant=minbase bookworm from $MIRROR" - "$DEBIAN" >/dev/null || die "docker import failed"
  rm -rf "$dir"
  trap - EXIT
fi

# This machine's Node 20: the binary, npm, node's headers (node-gyp cannot download them here), and
# the extra CA certificates this machine's egress needs for the npm registry (npm ci in the build).
node_bin=$(readlink -f "$(command -v node)")
node_prefix=$(cd "$(dirname "$node_bin")/.." && pwd)
npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
headers=$node_prefix/include/node
[ -f "$headers/node_api.h" ] || die "node's headers are not in $headers (needed to build better-sqlite3 in the image)"
case "$("$node_bin" --version)" in v20.*) ;; *) die "this machine's node is $("$node_bin" --version), the image needs Node 20";; esac

ctx=$(mktemp -d /var/tmp/func-base-ctx.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
# node as stack/Dockerfile wants it (see there): executable by root and group 10001 (func) only,
# mode 0750, with the file capabilities CAP_KILL, CAP_SETGID, CAP_SETUID. Done here so that the
# image's layer is this one: chown/chmod/setcap in the Dockerfile would copy the whole binary
# (~100 MB) into a layer of its own. COPY drops extended attributes, ADD of a tar made with
# --xattrs keeps them (and the owner). Without setcap on this machine, the Dockerfile sets them.
mkdir -p "$ctx/node-root/usr/bin"
cp "$node_bin" "$ctx/node-root/usr/bin/node"
chown 0:10001 "$ctx/node-root/usr/bin/node"   # before setcap: a chown clears file capabilities
chmod 0750 "$ctx/node-root/usr/bin/node"
if command -v setcap >/dev/null; then setcap cap_kill,cap_setgid,cap_setuid+ep "$ctx/node-root/usr/bin/node"; fi
tar --xattrs --xattrs-include='security.capability' --numeric-owner -C "$ctx/node-root" -cf "$ctx/node.tar" usr/bin/node
rm -rf "$ctx/node-root"
cp -a "$npm_dir" "$ctx/npm"
cp -a "$headers" "$ctx/include-node"
mkdir -p "$ctx/ca"
for f in /usr/local/share/ca-certificates/*.crt; do [ -f "$f" ] && cp "$f" "$ctx/ca/"; done
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $DEBIAN
LABEL org.opencontainers.image.title="func-base" \\
      org.opencontainers.image.description="Local base for Func: Debian bookworm minbase, python3, this machine's Node $("$node_bin" --version)"
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
ADD node.tar /
COPY npm /usr/lib/node_modules/npm
COPY include-node /usr/include/node
# npm: the system CA bundle (with the local egress CA) and node-gyp against the copied headers.
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \\
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx \\
 && mkdir -p /usr/etc && printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr\nupdate-notifier=false\nfund=false\naudit=false\n' >/usr/etc/npmrc \\
 && node --version && npm --version && /usr/bin/python3 --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["/bin/bash"]
DOCKERFILE
say "docker build -t $BASE (node $("$node_bin" --version) from $node_bin, npm from $npm_dir, headers from $headers)"
t0=$(date +%s)
DOCKER_BUILDKIT=0 docker build --network host -t "$BASE" "$ctx" || die "docker build of $BASE failed"
say "$BASE built in $(( $(date +%s) - t0 )) s ($(docker image inspect -f '{{.Size}}' "$BASE" | awk '{printf "%d MB", $1/1e6}'))"
