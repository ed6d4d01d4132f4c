#!/usr/bin/env bash
# hack/lua.sh - prints the path of a Lua 5.4 interpreter: the installed lua5.4, else Debian's
# lua5.4 and liblua5.4-0 fetched once with `apt-get download` and unpacked privately under
# ~/.cache/mandate-tools (run through a wrapper that points the loader at the private library).
# ArgoHealthE2E runs the Argo CD health scripts with it. (Argo CD itself embeds gopher-lua, a
# Lua 5.1 dialect; the scripts use nothing beyond what both understand.)
set -euo pipefail
if command -v lua5.4 >/dev/null; then command -v lua5.4; exit 0; fi
CACHE=${MANDATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mandate-tools}
dir=$CACHE/lua
if [ ! -x "$dir/lua" ]; then
  work=$(mktemp -d /tmp/mandate-lua.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && apt-get download lua5.4 liblua5.4-0 >&2); then
    [ "$(id -u)" = 0 ] && apt-get update >&2
    (cd "$work" && apt-get download lua5.4 liblua5.4-0 >&2) || { echo "apt-get download lua5.4 failed" >&2; exit 1; }
  fi
  for f in "$work"/*.deb; do dpkg-deb -x "$f" "$work/root"; done
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/lib"
  cp "$work/root/usr/bin/lua5.4" "$dir.tmp/lua5.4"
  cp -P "$work"/root/usr/lib/*/liblua5.4.so* "$dir.tmp/lib/"
  printf '#!/bin/sh\nd=$(dirname "$0")\nLD_LIBRARY_PATH="$d/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$d/lua5.4" "$@"\n' > "$dir.tmp/lua"
  chmod +x "$dir.tmp/lua"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir/lua"
