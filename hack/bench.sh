#!/usr/bin/env bash
# hack/bench.sh [--smoke] [-Dbench.OPTION=VALUE...] - Mandate's benchmark (BENCHMARKS.md): builds the operator, starts a
# fresh local control plane (its own ports, state in target/bench-kube), runs
# dev.mandate.bench.Bench against it, prints the table (also in target/bench/results.md), and
# stops everything it started. The full run (N=1000, 10,000 for memory) takes about 20 minutes;
# --smoke (N=20) takes a minute or two and is what CI runs to keep the harness working.
set -euo pipefail
cd "$(dirname "$0")/.."
export KUBE_DIR=$PWD/target/bench-kube KUBE_API_PORT=26443 KUBE_ETCD_PORT=22379 KUBE_KCM_PORT=30257
args=()
if [ "${1:-}" = --smoke ]; then
  shift
  args=(-Dbench.n=20 -Dbench.big=40 -Dbench.unrelated=100
        -Dbench.sections=memory,ceiling,issue,restart,expiry,departure,big,unrelated)
fi
args+=("$@")   # more -Dbench.* options: n, big, unrelated, sections, threads, operator-heap, operator-options
rm -rf target/bench   # each run's table and logs stand alone
./mvnw -q -B package -DskipTests
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath
trap 'hack/kube.sh down >/dev/null 2>&1 || true' EXIT
hack/kube.sh down >/dev/null 2>&1 || true
hack/kube.sh up >/dev/null
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dmandate.e2e.kube-dir="$KUBE_DIR" -Dmandate.e2e.logs=target/bench/logs \
  -Dmandate.e2e.app=target/quarkus-app/quarkus-run.jar "${args[@]}" \
  -cp "target/test-classes:target/classes:$(cat target/bench/classpath)" dev.mandate.bench.Bench
