#!/usr/bin/env bash
# hack/demo.sh - Mandate in one command. If kubectl reaches no cluster, builds (first time only,
# ~6 min) and starts a local control plane (hack/kube.sh); installs the CRD and the demo binding;
# starts the operator; shows the binding becoming Ready, the agent's token at work, and a rotation.
# Everything stays running afterwards; `hack/demo.sh down` stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
STATE=$REPO/.kube
NS=mandate-demo
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

down() {
  if [ -f "$STATE/operator.pid" ] && kill -0 "$(cat "$STATE/operator.pid")" 2>/dev/null; then
    kill "$(cat "$STATE/operator.pid")" && echo "operator stopped"
  fi
  rm -f "$STATE/operator.pid"
  if [ -f "$STATE/admin.kubeconfig" ]; then hack/kube.sh down; fi
}

case "${1:-up}" in
  down) down; exit 0 ;;
  up) ;;
  *) echo "usage: $0 [up|down]" >&2; exit 2 ;;
esac

if [ -z "${KUBECONFIG:-}" ] && [ ! -f "$HOME/.kube/config" ] || ! kubectl version >/dev/null 2>&1; then
  say "No cluster configured: starting a local control plane (hack/kube.sh up)"
  hack/kube.sh up >/dev/null
  export KUBECONFIG=$STATE/admin.kubeconfig
  OPERATOR_KUBECONFIG=$STATE/operator.kubeconfig
  PATH=$(cat "$STATE/bin.path"):$PATH
else
  say "Using the cluster of your kubeconfig: $(kubectl config current-context)"
  OPERATOR_KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}
  mkdir -p "$STATE"
fi
SERVER=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')

if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  say "Building the operator (./mvnw package -DskipTests)"
  ./mvnw -q -B package -DskipTests
fi

say "Installing the CRD and the demo binding"
run kubectl apply -f crds/
kubectl wait --for condition=established --timeout=60s crd/agentbindings.mandate.dev >/dev/null
run kubectl apply -f deploy/examples/demo.yaml

if [ -f "$STATE/operator.pid" ] && kill -0 "$(cat "$STATE/operator.pid")" 2>/dev/null; then
  say "The operator is already running (pid $(cat "$STATE/operator.pid"))"
else
  say "Starting the operator (log: .kube/operator.log)"
  KUBECONFIG=$OPERATOR_KUBECONFIG nohup java -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=${MANDATE_DEMO_HTTP_PORT:-8080} \
    -Dmandate.delivery.server="$SERVER" -jar target/quarkus-app/quarkus-run.jar > "$STATE/operator.log" 2>&1 &
  echo $! > "$STATE/operator.pid"
fi

say "Waiting for the binding to become Ready"
run kubectl wait --for condition=Ready --timeout=120s agentbinding/demo-bot -n $NS
run kubectl get agentbindings -n $NS
run kubectl get serviceaccounts,roles,rolebindings,secrets -n $NS -l mandate.dev/binding=demo-bot

say "Acting as the agent, with the kubeconfig Mandate delivered"
kubectl get secret demo-bot-token -n $NS -o jsonpath='{.data.kubeconfig}' | base64 -d > "$STATE/agent.kubeconfig"
chmod 600 "$STATE/agent.kubeconfig"
run env KUBECONFIG="$STATE/agent.kubeconfig" kubectl get configmap faq -n $NS -o jsonpath='{.data.answer}{"\n"}'
printf '$ KUBECONFIG=.kube/agent.kubeconfig kubectl get secrets -n %s   # outside the scope\n' $NS
KUBECONFIG="$STATE/agent.kubeconfig" kubectl get secrets -n $NS 2>&1 | sed 's/^/  /' || true

gen() { kubectl get secret demo-bot-token -n $NS -o jsonpath='{.metadata.annotations.mandate\.dev/token-generation}'; }
say "Rotating now (automatic rotation is at $(kubectl get agentbinding demo-bot -n $NS -o jsonpath='{.status.nextRotationAt}'))"
before=$(gen)
run kubectl annotate agentbinding demo-bot -n $NS mandate.dev/rotate-requested-at="$(date -u +%FT%TZ)" --overwrite
for _ in $(seq 1 100); do [ "$(gen)" != "$before" ] && break; sleep 0.2; done
echo "token generation: $before -> $(gen)"
run env KUBECONFIG="$STATE/agent.kubeconfig" kubectl get configmap faq -n $NS -o name
echo "  (the previous token keeps working for the 4m overlap, then its anchor is deleted and it is rejected)"
run kubectl get events -n $NS --field-selector involvedObject.name=demo-bot
run kubectl get agentbindings -n $NS

say "Done. Mandate keeps running: watch it with"
echo "  export KUBECONFIG=$KUBECONFIG"
echo "  kubectl get agentbindings -A -w        # rotates every 6 minutes"
echo "  kubectl describe agentbinding demo-bot -n $NS"
echo "  kubectl patch agentbinding demo-bot -n $NS --type merge -p '{\"spec\":{\"suspended\":true}}'"
echo "Stop everything with: hack/demo.sh down"
