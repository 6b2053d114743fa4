#!/usr/bin/env bash
# Installs the real Prometheus tools (prometheus, promtool, alertmanager, amtool,
# pushgateway, node-exporter, blackbox-exporter) and kustomize into .tools/root so
# tests can check rendered configs (and the GitOps output's kustomization.yaml)
# with them, and run the exporters with their rendered flags; and memcached, which the
# Query Frontend's cache config is checked against.
#
# They come from Debian unstable (sid), which tracks upstream closely, and are
# only unpacked (dpkg-deb -x), never installed: the system's apt state and
# packages stay untouched, and no root is needed once the prerequisites exist.
# The Debian mirror is the one the system's apt sources already use (read, never
# changed); DEBIAN_MIRROR=<url of a Debian archive> overrides it.
#
# Usage: bash scripts/install-tools.sh   (or: npm run tools)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
ROOT="$TOOLS/root"
BIN="$ROOT/usr/bin"
PACKAGES=(prometheus promtool prometheus-alertmanager prometheus-pushgateway kustomize prometheus-node-exporter prometheus-blackbox-exporter)
BINARIES=(prometheus promtool prometheus-alertmanager amtool prometheus-pushgateway kustomize prometheus-node-exporter prometheus-blackbox-exporter)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# C programs link against the C library: they come from the host's own Debian release
# (sid's memcached needs sid's glibc and liblua), whose libevent, libsasl2 and libssl a
# Debian host has; the Go tools above are static, so sid's run anywhere.
# HOST_SUITE=<release> overrides the release of /etc/os-release.
HOST_PACKAGES=(memcached)
BINARIES+=(memcached)

# A binary's version: the Prometheus tools answer --version, kustomize its `version` command.
# Debian builds kustomize without its version stamp (it says "(devel)"), so the version of
# the unpacked package, from its changelog, is added.
tool_version() {
  case "$1" in
    kustomize)
      local version deb
      version="$("$BIN/$1" version)" || return 1
      deb="$(zcat "$ROOT/usr/share/doc/kustomize/changelog.Debian.gz" 2>/dev/null | sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p')" || true
      echo "$version (Debian package ${deb:-unknown})"
      ;;
    *) "$BIN/$1" --version ;;
  esac
}

# True when every binary exists and runs (a half-unpacked or foreign-arch binary would not).
tools_ok() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -x "$BIN/$b" ]] && tool_version "$b" >/dev/null 2>&1 || return 1
  done
}

# The URIs of the system's enabled `deb` sources, in the order apt reads them, less the
# security archive (its suites are `<release>-security` or `<release>/updates`, never
# sid). Both formats: one-line (sources.list, *.list) and deb822 (*.sources).
system_mirrors() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
    [[ -f "$f" ]] || continue
    case "$f" in
      *.list)
        # deb [options] uri suite [component...]
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 !~ /(-security|\/updates)$/ { print $2 }'
        ;;
      *.sources)
        # Stanzas of `Field: value` lines, blank-line separated; a value may go on over
        # lines that start with a space.
        awk '
          function flush(  i, n, u, s, pure_security) {
            if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
              n = split(suites, s, " "); pure_security = n > 0
              for (i = 1; i <= n; i++) if (s[i] !~ /(-security|\/updates)$/) pure_security = 0
              if (!pure_security) { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i] }
            }
            types = uris = suites = enabled = field = ""
          }
          /^#/ { next }
          /^[ \t]*$/ { flush(); next }
          /^[ \t]/ { sub(/^[ \t]+/, ""); if (field == "types") types = types " " $0; else if (field == "uris") uris = uris " " $0; else if (field == "suites") suites = suites " " $0; next }
          {
            field = tolower(substr($0, 1, index($0, ":") - 1)); value = substr($0, index($0, ":") + 1)
            gsub(/^[ \t]+|[ \t]+$/, "", value)
            if (field == "types") types = value; else if (field == "uris") uris = value
            else if (field == "suites") suites = value; else if (field == "enabled") enabled = value
          }
          END { flush() }
        ' "$f"
        ;;
    esac
  done | grep -v '^cdrom:' || true
}

# The Debian archive to fetch from: DEBIAN_MIRROR, or the system's first source.
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local mirror
  mirror="$(system_mirrors | sed -n 1p)"
  if [[ -z "$mirror" ]]; then
    echo "error: no Debian mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/; set DEBIAN_MIRROR to the URL of one" >&2
    return 1
  fi
  echo "$mirror"
}

# The host's Debian release (bookworm, trixie, …) for HOST_PACKAGES; empty means sid.
host_suite() {
  if [[ -n "${HOST_SUITE:-}" ]]; then
    echo "$HOST_SUITE"
  elif [[ -r /etc/os-release ]]; then
    (. /etc/os-release && [[ "${ID:-}" == debian ]] && echo "${VERSION_CODENAME:-}") || true
  fi
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
  local mirror
  mirror="$(debian_mirror)"
  echo "Fetching ${PACKAGES[*]} from Debian sid at $mirror" >&2
  mkdir -p "$TOOLS/apt/lists/partial" "$TOOLS/apt/cache/archives/partial" "$TOOLS/debs"
  cat >"$TOOLS/apt/sid.sources" <<EOF
Types: deb
URIs: $mirror
Suites: sid
Components: main
Signed-By: $KEYRING
EOF
  local suite
  suite="$(host_suite)"
  if [[ -n "$suite" && "$suite" != sid ]]; then
    echo "Fetching ${HOST_PACKAGES[*]} from Debian $suite, the host's release" >&2
    printf '\nTypes: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$mirror" "$suite" "$KEYRING" >>"$TOOLS/apt/sid.sources"
  else
    suite=''
  fi
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
  # pkg/release: the host's build, not sid's newer one.
  (cd "$TOOLS/debs" && apt-get "${opts[@]}" -qq download "${HOST_PACKAGES[@]/%/${suite:+/$suite}}")
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
  printf '%-30s %s\n' "$b" "$(tool_version "$b" 2>&1 | head -n 1)"
done
