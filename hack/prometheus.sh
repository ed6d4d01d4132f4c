#!/usr/bin/env bash
# hack/prometheus.sh - prints a directory holding Debian's `prometheus` and `promtool` binaries,
# fetched once with `apt-get download` and unpacked privately under ~/.cache/mandate-tools (no
# package is installed, no service started). The test suite uses them to check and unit-test the
# alert rules and to scrape the operator with a real Prometheus.
set -euo pipefail
CACHE=${MANDATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mandate-tools}
dir=$CACHE/prometheus
if [ ! -x "$dir/bin/promtool" ] || [ ! -x "$dir/bin/prometheus" ]; then
  work=$(mktemp -d /tmp/mandate-prometheus.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && apt-get download prometheus >&2); then
    # A fresh machine may have no package lists yet.
    [ "$(id -u)" = 0 ] && apt-get update >&2
    (cd "$work" && apt-get download prometheus >&2) || { echo "apt-get download prometheus failed" >&2; exit 1; }
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$dir/bin.tmp"
  cp "$work/root/usr/bin/prometheus" "$work/root/usr/bin/promtool" "$dir/bin.tmp/"
  dpkg-deb -f "$work"/prometheus_*.deb Version > "$dir/bin.tmp/VERSION"
  rm -rf "$dir/bin" && mv "$dir/bin.tmp" "$dir/bin"
fi
echo "$dir/bin"
