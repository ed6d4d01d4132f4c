#!/usr/bin/env bash
# hack/render.sh - renders the committed plain manifests from the Helm chart, which is their one
# source: deploy/mandate.yaml (the single-file install, default values) and deploy/rbac/*.yaml
# (the operator's identity and RBAC alone, for running it outside the cluster). HelmChartE2E
# fails when a committed file differs from a fresh render.
#   hack/render.sh [OUT]   writes OUT/deploy/... (default: the repository itself)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-.}
HELM=$(hack/helm.sh)/helm
render() { # out args...
  local out=$OUT/$1; shift
  mkdir -p "$(dirname "$out")"
  { echo "# Rendered from helm/mandate by hack/render.sh; do not edit (HelmChartE2E checks it)."
    "$HELM" template mandate helm/mandate --namespace mandate-system "$@"; } > "$out"
  echo "rendered $out" >&2
}
RBAC_ONLY=(--set createNamespace=true --show-only templates/namespace.yaml
           --show-only templates/serviceaccount.yaml --show-only templates/rbac.yaml)
render deploy/mandate.yaml --include-crds --set createNamespace=true
render deploy/rbac/cluster-wide.yaml "${RBAC_ONLY[@]}"
render deploy/rbac/namespaced.yaml "${RBAC_ONLY[@]}" --set 'watchNamespaces={support}'
