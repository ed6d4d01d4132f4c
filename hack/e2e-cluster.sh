#!/usr/bin/env bash
# Brings up, around Maven's integration-test phase, the control plane the end-to-end suite runs
# against, and always takes it down afterwards (Maven runs post-integration-test even when tests
# fail). With MANDATE_E2E_KUBECONFIG set, the suite uses that cluster instead and starts nothing;
# tests that need the project's own control plane (its audit log, restarting its apiserver) then
# say so and are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
export KUBE_DIR=${KUBE_DIR:-target/kube}
export KUBE_API_PORT=${KUBE_API_PORT:-16443} KUBE_ETCD_PORT=${KUBE_ETCD_PORT:-12379} KUBE_KCM_PORT=${KUBE_KCM_PORT:-20257}
logs=target/e2e-logs
case "${1:-}" in
  up)
    mkdir -p "$KUBE_DIR" "$logs"
    if [ -n "${MANDATE_E2E_KUBECONFIG:-}" ]; then
      cp "$MANDATE_E2E_KUBECONFIG" "$KUBE_DIR/external.kubeconfig"
      echo "[e2e-cluster] using the cluster of MANDATE_E2E_KUBECONFIG=$MANDATE_E2E_KUBECONFIG"
    else
      hack/kube.sh up
    fi
    # The real tools the suite runs, fetched once: promtool and prometheus (MonitoringE2E), helm
    # (HelmChartE2E), a Lua interpreter (ArgoHealthE2E).
    hack/prometheus.sh >/dev/null
    hack/helm.sh >/dev/null
    hack/lua.sh >/dev/null
    ;;
  down)
    if [ -z "${MANDATE_E2E_KUBECONFIG:-}" ] && [ -d "$KUBE_DIR/logs" ]; then
      mkdir -p "$logs" && cp -r "$KUBE_DIR/logs/." "$logs/" 2>/dev/null || true
    fi
    if [ -f "$KUBE_DIR/external.kubeconfig" ]; then rm -rf "$KUBE_DIR"; else hack/kube.sh down; fi ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
