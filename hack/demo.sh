#!/usr/bin/env bash
# hack/demo.sh - Mandate in one command. If kubectl reaches no cluster, builds (first time only,
# ~6 min) and starts a local control plane (hack/kube.sh); installs the CRDs, the operator's RBAC,
# the example guardrails and the demo binding; starts the operator as its own ServiceAccount; shows
# the binding becoming Ready, the agent's token at work, and a rotation.
# Everything stays running afterwards; `hack/demo.sh down` stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
STATE=$REPO/.kube
NS=mandate-demo
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
running() { [ -f "$STATE/operator.pid" ] && kill -0 "$(cat "$STATE/operator.pid")" 2>/dev/null; }

down() {
  if running; then kill "$(cat "$STATE/operator.pid")" && echo "operator stopped"; fi
  rm -f "$STATE/operator.pid"
  if [ -f "$STATE/admin.kubeconfig" ]; then hack/kube.sh down; fi
}

case "${1:-up}" in
  down) down; exit 0 ;;
  up) ;;
  *) echo "usage: $0 [up|down]" >&2; exit 2 ;;
esac

if { [ -z "${KUBECONFIG:-}" ] && [ ! -f "$HOME/.kube/config" ]; } || ! kubectl version >/dev/null 2>&1; then
  say "No cluster configured: starting a local control plane (hack/kube.sh up)"
  hack/kube.sh up >/dev/null
  export KUBECONFIG=$STATE/admin.kubeconfig
  PATH=$(cat "$STATE/bin.path"):$PATH
else
  say "Using the cluster of your kubeconfig: $(kubectl config current-context)"
  mkdir -p "$STATE"
fi
SERVER=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')

if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  say "Building the operator (./mvnw package -DskipTests)"
  ./mvnw -q -B package -DskipTests
fi

say "Installing the CRDs, the operator's RBAC and the guardrails (a policy, its ceiling, two owners)"
run kubectl apply -f crds/
kubectl wait --for condition=established --timeout=60s crd/agentbindings.mandate.dev \
  crd/agentpolicies.mandate.dev crd/agentowners.mandate.dev >/dev/null
run kubectl apply -f deploy/rbac/cluster-wide.yaml
run kubectl apply -f deploy/examples/guardrails.yaml
run kubectl apply -f deploy/examples/demo.yaml

if running; then
  say "The operator is already running (pid $(cat "$STATE/operator.pid"))"
else
  # The operator runs as its own ServiceAccount, with deploy/rbac's least privilege, from a token
  # the TokenRequest API mints for it (what a Pod would have mounted).
  OPERATOR_KUBECONFIG=$STATE/operator.kubeconfig
  token=$(kubectl create --raw /api/v1/namespaces/mandate-system/serviceaccounts/mandate/token \
    -f <(echo '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":86400}}') \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' \
    | base64 -d > "$STATE/ca.crt"
  rm -f "$OPERATOR_KUBECONFIG"
  ( umask 077
    export KUBECONFIG=$OPERATOR_KUBECONFIG
    kubectl config set-cluster demo --server="$SERVER" --certificate-authority="$STATE/ca.crt" --embed-certs >/dev/null
    kubectl config set-credentials mandate --token="$token" >/dev/null
    kubectl config set-context demo --cluster=demo --user=mandate >/dev/null
    kubectl config use-context demo >/dev/null )
  say "Starting the operator as system:serviceaccount:mandate-system:mandate (log: .kube/operator.log)"
  KUBECONFIG=$OPERATOR_KUBECONFIG nohup java -XX:TieredStopAtLevel=1 -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=${MANDATE_DEMO_HTTP_PORT:-8080} \
    -Dmandate.delivery.server="$SERVER" -jar target/quarkus-app/quarkus-run.jar > "$STATE/operator.log" 2>&1 &
  echo $! > "$STATE/operator.pid"
fi

say "Waiting for the binding to become Ready"
run kubectl wait --for condition=Ready --timeout=120s agentbinding/demo-bot -n $NS
run kubectl get agentbindings -n $NS
run kubectl get agentpolicies,agentowners
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
echo "  (that was the previous token: it keeps working for the 4m overlap, then its anchor is deleted and it is rejected)"
run kubectl get events -n $NS --field-selector involvedObject.name=demo-bot
run kubectl get agentbindings -n $NS

say "Done. Mandate keeps running: watch it with"
echo "  export KUBECONFIG=$KUBECONFIG"
echo "  kubectl get agentbindings -A -w        # rotates every 6 minutes"
echo "  kubectl describe agentbinding demo-bot -n $NS"
echo "  kubectl patch agentowner alice --type merge -p '{\"spec\":{\"active\":false}}'   # alice leaves: revoked"
echo "Stop everything with: hack/demo.sh down"
