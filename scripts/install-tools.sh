#!/usr/bin/env bash
# Installs the real Prometheus tools (prometheus, promtool, alertmanager, amtool,
# pushgateway) into .tools/root so tests can check rendered configs with them.
#
# They come from Debian unstable (sid), which tracks upstream closely, and are
# only unpacked (dpkg-deb -x), never installed: the system's apt sources, state
# and packages stay untouched, and no root is needed once the prerequisites exist.
#
# Usage: bash scripts/install-tools.sh   (or: npm run tools)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
ROOT="$TOOLS/root"
BIN="$ROOT/usr/bin"
PACKAGES=(prometheus promtool prometheus-alertmanager prometheus-pushgateway)
BINARIES=(prometheus promtool prometheus-alertmanager amtool prometheus-pushgateway)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# True when every binary exists and runs (a half-unpacked or foreign-arch binary would not).
tools_ok() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x "$BIN/$b" ]] && "$BIN/$b" --version >/dev/null 2>&1 || return 1
  done
}

# The script itself needs apt-get, dpkg-deb and the Debian archive keyring.
ensure_prerequisites() {
  local missing=()
  command -v apt-get >/dev/null || missing+=(apt)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  [[ -f "$KEYRING" ]] || missing+=(debian-archive-keyring)
  ((${#missing[@]} == 0)) && return 0
  echo "Installing prerequisites: ${missing[*]}" >&2
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

download_and_unpack() {
  mkdir -p "$TOOLS/apt/lists/partial" "$TOOLS/apt/cache/archives/partial" "$TOOLS/debs"
  cat >"$TOOLS/apt/sid.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: $KEYRING
EOF
  # A private sources list, list folder and cache: only these packages' metadata
  # is fetched, and the system's /etc/apt and /var/lib/apt are not read or written.
  local opts=(
    -o "Dir::Etc::sourcelist=$TOOLS/apt/sid.sources"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$TOOLS/apt/lists"
    -o "Dir::Cache=$TOOLS/apt/cache"
    # apt drops to the _apt user for downloads; it could not write into the repo.
    -o "APT::Sandbox::User=root"
  )
  apt-get "${opts[@]}" -qq update
  # Fresh debs only: a stale version next to a new one would be unpacked too.
  rm -f "$TOOLS/debs"/*.deb
  (cd "$TOOLS/debs" && apt-get "${opts[@]}" -qq download "${PACKAGES[@]}")
  rm -rf "$ROOT"
  mkdir -p "$ROOT"
  local deb
  for deb in "$TOOLS/debs"/*.deb; do
    dpkg-deb -x "$deb" "$ROOT"
  done
}

if tools_ok; then
  echo "Prometheus tools already installed in $BIN"
else
  ensure_prerequisites
  download_and_unpack
  tools_ok || { echo "error: the unpacked tools in $BIN do not run" >&2; exit 1; }
fi

for b in "${BINARIES[@]}"; do
  printf '%-24s %s\n' "$b" "$("$BIN/$b" --version 2>&1 | head -n 1)"
done
