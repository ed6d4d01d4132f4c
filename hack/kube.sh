#!/usr/bin/env bash
# hack/kube.sh - a real, loopback-only Kubernetes control plane for Mandate's end-to-end tests and
# demo, built only from Debian's package archive (no Docker, no downloads but Debian's):
#   * kube-apiserver, kube-controller-manager, kubectl: compiled from Debian's `kubernetes` source
#     package (upstream v1.20.2, vendor/ included) with Debian's golang-1.19-go, offline;
#   * etcd: Debian's etcd-server package (3.4.x), unpacked privately (no system service).
# No kubelet, no scheduler: Pods never run. The operator runs as a local process.
#
# Usage: hack/kube.sh build | up | down | status | env | restart-apiserver
#
#   build    idempotent; compiles and caches the binaries under $KUBE_CACHE/<version>/bin
#            (default ~/.cache/real-k8s). ~6 min and ~3 GB RAM on 2 cores the first time; needs make,
#            rsync, dpkg-dev, openssl, curl (installed with apt-get when missing and running as root).
#   up       builds if needed, then starts etcd, kube-apiserver and kube-controller-manager bound to
#            127.0.0.1, with a self-made CA; writes admin.kubeconfig (O=system:masters) into $KUBE_DIR;
#            waits until ready; prints its path. The apiserver writes an audit log of every write
#            to $KUBE_DIR/logs/audit.log (tests count the operator's writes with it).
#   down     stops only the processes `up` recorded (by PID, checked against their command line),
#            then removes $KUBE_DIR.
#   restart-apiserver  stops kube-apiserver and starts it again with the same flags and state.
#   status   shows the processes and /readyz.     env   prints export lines for eval.
#
# Environment (all optional):
#   KUBE_DIR        runtime dir: pki, etcd data, logs, pids, kubeconfigs (default <repo>/.kube)
#   KUBE_CACHE      binary cache root (default ${XDG_CACHE_HOME:-~/.cache}/real-k8s)
#   KUBE_API_PORT   kube-apiserver port (default 6443); KUBE_ETCD_PORT etcd client port (default
#                   2379, peer = +1); KUBE_KCM_PORT controller-manager healthz port (default 10257)
#   KUBE_DEB_VERSION  Debian source version of `kubernetes` (default: newest bookworm one)
#   KUBE_NO_APT=1   never apt-get install (fail instead)
#
# Facts behind the build (see the functions below): Go >= 1.18 needs Debian's newer reflect2 and
# json-iterator in vendor/ (else every JSON request body panics), and Go >= 1.16 needs the
# go-openapi zero-value check patched (kubernetes/kubernetes#99804, else "" is rejected in custom
# resources). Clusters of 1.24+ have no legacy token controller; neither has this one.
set -euo pipefail

PROG=${0##*/}
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE_ROOT=${KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/real-k8s}
RUN_DIR=$(realpath -m "${KUBE_DIR:-$REPO/.kube}")
API_PORT=${KUBE_API_PORT:-6443}
ETCD_PORT=${KUBE_ETCD_PORT:-2379}
ETCD_PEER_PORT=$((ETCD_PORT + 1))
KCM_PORT=${KUBE_KCM_PORT:-10257}
UP_TIMEOUT=${KUBE_UP_TIMEOUT:-120}
HOST=127.0.0.1
SA_ISSUER=https://kubernetes.default.svc.cluster.local
SERVICE_CIDR=10.0.0.0/24
SERVICE_IP=10.0.0.1
GO_PKG=golang-1.19-go
GOROOT_DEB=/usr/lib/go-1.19
BINS=(kube-apiserver kube-controller-manager kubectl etcd)
HARNESS_REV=r2                      # bump when the build changes, so caches rebuild

log() { printf '[%s] %s\n' "$PROG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------------- build
apt_install_missing() { # pkg...
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "${KUBE_NO_APT:-0}" = 1 ] && die "missing Debian packages: ${missing[*]} (KUBE_NO_APT=1)"
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}"
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; }
}

# A private apt configuration holding only a deb-src entry, so that `apt-get source` works
# even when the system has no deb-src lines, without touching /etc/apt.
private_apt_opts() { # workdir -> prints nothing, sets global APT_OPTS array
  local w=$1 uri suite
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  mkdir -p "$w/apt/lists/partial" "$w/apt/parts"
  cat > "$w/apt/parts/debsrc.sources" <<EOF
Types: deb-src
URIs: $uri
Suites: $suite ${suite}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  APT_OPTS=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$w/apt/parts"
            -o "Dir::State::Lists=$w/apt/lists" -o "APT::Sandbox::User=root")
}

resolve_version() { # prints the Debian source version of `kubernetes` to build
  if [ -n "${KUBE_DEB_VERSION:-}" ]; then echo "$KUBE_DEB_VERSION"; return; fi
  local v
  v=$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -1 || true)
  if [ -z "$v" ]; then
    local w; w=$(mktemp -d /tmp/mandate-kube-apt.XXXXXX)
    private_apt_opts "$w"
    apt-get "${APT_OPTS[@]}" update >&2 || true
    v=$(apt-cache "${APT_OPTS[@]}" showsrc kubernetes 2>/dev/null | awk '/^Version:/{print $2}' | sort -V | tail -1 || true)
    rm -rf "$w"
  fi
  [ -n "$v" ] || die "cannot find Debian source package 'kubernetes' (no deb-src and no archive access?)"
  echo "$v"
}

bins_ok() { # dir
  local b
  for b in "${BINS[@]}"; do [ -x "$1/$b" ] || return 1; done
  "$1/kube-apiserver" --version >/dev/null 2>&1 && "$1/etcd" --version >/dev/null 2>&1
}

# Kubernetes 1.20 vendors github.com/modern-go/reflect2 v1.0.1 and json-iterator v1.1.10. Built
# with Go >= 1.18 (bookworm has 1.19), reflect2 1.0.1 makes kube-apiserver panic on every JSON
# request body (nil dereference in reflect2.Type2 <- UnsafeMapType.Key <- jsoniter decoderOfMap),
# e.g. `kubectl create namespace` fails with "stream error: INTERNAL_ERROR". Upstream Kubernetes
# fixed this by moving to reflect2 1.0.2 + json-iterator 1.1.12; Debian ships exactly those as
# golang-github-modern-go-reflect2-dev / golang-github-json-iterator-go-dev, so swap them in.
patch_vendor_for_go118() { # workdir srcdir
  local w=$1 src=$2 gocode f
  ( cd "$w" && apt-get download golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev >&2 ) ||
    die "apt-get download of the reflect2/json-iterator Debian packages failed"
  mkdir -p "$w/gopkgs"
  for f in "$w"/golang-github-*.deb; do dpkg-deb -x "$f" "$w/gopkgs"; done
  gocode="$w/gopkgs/usr/share/gocode/src/github.com"
  [ -f "$gocode/modern-go/reflect2/go_above_118.go" ] || die "unexpected reflect2 package content"
  rm -f "$src"/vendor/github.com/modern-go/reflect2/*.go "$src"/vendor/github.com/modern-go/reflect2/*.s
  cp "$gocode"/modern-go/reflect2/*.go "$gocode"/modern-go/reflect2/*.s "$src/vendor/github.com/modern-go/reflect2/"
  rm -f "$src"/vendor/github.com/json-iterator/go/*.go
  for f in "$gocode"/json-iterator/go/*.go; do
    case $f in *_test.go) ;; *) cp "$f" "$src/vendor/github.com/json-iterator/go/" ;; esac
  done
  log "vendor/: reflect2 and json-iterator replaced by Debian's $(dpkg-deb -f "$w"/golang-github-modern-go-reflect2-dev_*.deb Version) / $(dpkg-deb -f "$w"/golang-github-json-iterator-go-dev_*.deb Version)"
}

# kubernetes/kubernetes#99804: Kubernetes <= 1.20 built with Go >= 1.16 rejects an empty string in
# a custom resource ("in body must be of type string: \"null\"", e.g. apiGroups: [""]), because the
# vendored go-openapi validator's zero-value check became true for "". Upstream dropped that check
# (kube-openapi, Kubernetes 1.21); do the same here. Real 1.20 clusters built with Go 1.15 accept "".
patch_empty_string_validation() { # srcdir
  local src=$1 tf n=0
  for tf in $(grep -rl 'reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))' "$src/vendor" "$src/staging" 2>/dev/null); do
    sed -i 's/data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))/data == nil/' "$tf"
    log "patched the zero-value check in $tf"; n=$((n+1))
  done
  [ "$n" -gt 0 ] || die "the go-openapi zero-value check was not found; cannot patch #99804"
}

# deb_tool PKG PATH-IN-PKG -> prints a usable path: the installed file when PKG is installed,
# else PKG (plus DEPS...) fetched with `apt-get download` and unpacked under $work/root (no root
# needed, no maintainer scripts run, so e.g. no etcd system service gets started).
deb_tool() { # pkg path [extra-pkgs...]
  local pkg=$1 path=$2; shift 2
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && [ -e "$path" ]; then
    echo "$path"; return 0
  fi
  mkdir -p "$work/debs.$pkg" "$work/root"
  if ! ( cd "$work/debs.$pkg" && apt-get download "$pkg" "$@" >&2 ); then
    # A fresh machine may have no package lists yet.
    [ "$(id -u)" = 0 ] && [ "${KUBE_NO_APT:-0}" != 1 ] && apt-get update >&2 || true
    ( cd "$work/debs.$pkg" && apt-get download "$pkg" "$@" >&2 ) || die "apt-get download $pkg $* failed"
  fi
  local f; for f in "$work/debs.$pkg"/*.deb; do dpkg-deb -x "$f" "$work/root"; done
  [ -e "$work/root$path" ] || die "$path not found in $pkg"
  echo "$work/root$path"
}
deb_version() { # pkg -> version installed or downloaded
  if dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
    dpkg-query -W -f='${Version}' "$1"; return 0
  fi
  local f; for f in "$work"/debs."$1"/"$1"_*.deb; do dpkg-deb -f "$f" Version; return 0; done
  echo unknown
}

cmd_build() {
  local ver bin_dir src t0 go etcd
  t0=$(date +%s)
  apt_install_missing make rsync dpkg-dev ca-certificates openssl curl
  ver=$(resolve_version)
  bin_dir="$CACHE_ROOT/$ver-$HARNESS_REV/bin"
  if bins_ok "$bin_dir"; then
    ln -sfn "$ver-$HARNESS_REV" "$CACHE_ROOT/current"
    log "already built: $bin_dir"; echo "$bin_dir"; return 0
  fi
  work=$(mktemp -d /tmp/mandate-kube-build.XXXXXX)   # global: used by deb_tool and the EXIT trap
  [ "${KUBE_KEEP_BUILD:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
  go=$(deb_tool "$GO_PKG" "$GOROOT_DEB/bin/go" "${GO_PKG%-go}-src")
  etcd=$(deb_tool etcd-server /usr/bin/etcd)
  log "fetching Debian source kubernetes=$ver into $work"
  ( cd "$work"
    # 1st try: the system's deb-src entries; 2nd: a private deb-src-only apt config
    if ! apt-get source --download-only "kubernetes=$ver" >&2 2>"$work/apt-source.err"; then
      cat "$work/apt-source.err" >&2
      log "retrying with a private deb-src configuration"
      private_apt_opts "$work"
      apt-get "${APT_OPTS[@]}" update >&2
      apt-get "${APT_OPTS[@]}" source --download-only "kubernetes=$ver" >&2
    fi
    dpkg-source -x kubernetes_*.dsc src >&2 )
  src="$work/src"
  [ -d "$src/vendor" ] || die "the source package has no vendor/ directory; cannot build offline"
  patch_vendor_for_go118 "$work" "$src"
  patch_empty_string_validation "$src"
  log "compiling kube-apiserver, kube-controller-manager, kubectl with $("$go" version) (offline)"
  ( cd "$src"
    gobin=$(dirname "$go")
    export PATH="$gobin:$PATH" GOROOT="${gobin%/bin}" GOPROXY=off GOFLAGS='' \
           CGO_ENABLED=0 GOPATH="$work/gopath" HOME="$work/home" GOTOOLCHAIN=local
    # kubernetes 1.20's Makefile builds in GOPATH mode (GO111MODULE=off) straight from vendor/
    # (so -mod=vendor is implicit) and uses its own GOCACHE under _output/.
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kubectl" >&2 )
  mkdir -p "$bin_dir.tmp"
  cp "$src"/_output/bin/{kube-apiserver,kube-controller-manager,kubectl} "$bin_dir.tmp/"
  cp "$etcd" "$bin_dir.tmp/etcd"
  { echo "debian-source: kubernetes $ver"; echo "go: $("$go" version) ($GO_PKG $(deb_version "$GO_PKG"))"
    echo "vendor patch: reflect2/json-iterator from Debian (see patch_vendor_for_go118)"
    echo "vendor patch: empty strings in custom resources (see patch_empty_string_validation)"
    echo "harness revision: $HARNESS_REV"
    echo "etcd: etcd-server $(deb_version etcd-server)"
    echo "built: $(date -u +%FT%TZ) in $(( $(date +%s) - t0 ))s"; } > "$bin_dir.tmp/BUILD-INFO"
  rm -rf "$bin_dir"; mv "$bin_dir.tmp" "$bin_dir"
  ln -sfn "$ver-$HARNESS_REV" "$CACHE_ROOT/current"
  bins_ok "$bin_dir" || die "built binaries do not run"
  log "built in $(( $(date +%s) - t0 ))s: $bin_dir"
  echo "$bin_dir"
}

find_bin_dir() {
  local d
  if [ -n "${KUBE_DEB_VERSION:-}" ]; then d="$CACHE_ROOT/$KUBE_DEB_VERSION-$HARNESS_REV/bin"
  else d="$CACHE_ROOT/current/bin"; fi
  bins_ok "$d" || return 1
  (cd "$d" && pwd -P)
}

# ---------------------------------------------------------------------------------------- up
port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

sign() { # NAME SUBJ CA EXTLINES...  -> $PKI/NAME.{key,crt}
  local name=$1 subj=$2 ca=$3; shift 3
  printf '%s\n' "$@" > "$PKI/$name.ext"
  openssl genrsa -traditional -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 -extfile "$PKI/$name.ext" \
    -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

mkca() { # NAME CN
  printf '%s\n' "[req]" "distinguished_name=dn" "[dn]" "[v3]" "basicConstraints=critical,CA:TRUE" \
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" "subjectKeyIdentifier=hash" > "$PKI/$1.cnf"
  openssl genrsa -traditional -out "$PKI/$1.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$PKI/$1.key" -subj "/CN=$2" -days 3650 -sha256 \
    -config "$PKI/$1.cnf" -extensions v3 -out "$PKI/$1.crt"
  rm -f "$PKI/$1.cnf"
}

make_pki() {
  PKI="$RUN_DIR/pki"; mkdir -p "$PKI"; chmod 700 "$PKI"
  mkca ca mandate-kube-ca
  mkca front-proxy-ca mandate-kube-front-proxy-ca
  local client=("keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=clientAuth")
  sign apiserver "/CN=kube-apiserver" ca "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" \
    "subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:$SERVICE_IP"
  sign admin "/O=system:masters/CN=kube-admin" ca "${client[@]}"
  sign kcm "/CN=system:kube-controller-manager" ca "${client[@]}"
  sign front-proxy-client "/CN=front-proxy-client" front-proxy-ca "${client[@]}"
  openssl genrsa -traditional -out "$PKI/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
}

write_kubeconfig() { # out user-cert-name
  local out=$1 u=$2
  ( umask 077; cat > "$out" ) <<KC
apiVersion: v1
kind: Config
clusters:
- name: mandate-kube
  cluster:
    server: https://$HOST:$API_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $u
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$u.crt")
    client-key-data: $(base64 -w0 "$PKI/$u.key")
contexts:
- name: mandate-kube
  context:
    cluster: mandate-kube
    user: $u
    namespace: default
current-context: mandate-kube
KC
}

start_bg() { # name cmd... ; records pid and the command line
  local name=$1; shift
  setsid "$@" >> "$RUN_DIR/logs/$name.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$RUN_DIR/pids/$name.pid"
  echo "$1" > "$RUN_DIR/pids/$name.exe"
  log "started $name pid=$pid"
}

alive() { # name -> true if the recorded pid still runs the binary we started, with our RUN_DIR
  local f="$RUN_DIR/pids/$1.pid" pid exe cmdline
  [ -f "$f" ] || return 1
  pid=$(cat "$f"); exe=$(cat "$RUN_DIR/pids/$1.exe" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null || true)
  case "$cmdline" in "$exe "*"$RUN_DIR/"*) return 0 ;; *) return 1 ;; esac
}

wait_for() { # desc seconds cmd...
  local desc=$1 secs=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.25
  done
  log "$desc ok"
}

curl_admin() { curl -sf --cacert "$RUN_DIR/pki/ca.crt" --cert "$RUN_DIR/pki/admin.crt" --key "$RUN_DIR/pki/admin.key" "$@"; }

fail_up() {
  log "ERROR: $*"
  local f
  for f in "$RUN_DIR"/logs/*.log; do
    case $f in *audit.log) continue ;; esac
    [ -f "$f" ] && { log "--- tail of $f"; tail -n 25 "$f" >&2; }
  done
  cmd_down >/dev/null || true
  exit 1
}

write_audit_policy() {
  cat > "$RUN_DIR/audit-policy.yaml" <<'POLICY'
# Every write, at Metadata level (no bodies: a TokenRequest response holds a token). Reads are not
# logged. The end-to-end tests count the operator's writes from this log.
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
- level: None
  verbs: ["get", "list", "watch"]
- level: Metadata
POLICY
}

start_apiserver() {
  local bin=$1
  start_bg kube-apiserver "$bin/kube-apiserver" \
    --bind-address "$HOST" --secure-port "$API_PORT" --advertise-address "$HOST" \
    --etcd-servers "http://$HOST:$ETCD_PORT" \
    --client-ca-file "$RUN_DIR/pki/ca.crt" --tls-cert-file "$RUN_DIR/pki/apiserver.crt" \
    --tls-private-key-file "$RUN_DIR/pki/apiserver.key" \
    --service-account-issuer "$SA_ISSUER" --api-audiences "$SA_ISSUER" \
    --service-account-key-file "$RUN_DIR/pki/sa.pub" --service-account-signing-key-file "$RUN_DIR/pki/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --endpoint-reconciler-type none \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --requestheader-client-ca-file "$RUN_DIR/pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$RUN_DIR/pki/front-proxy-client.crt" \
    --proxy-client-key-file "$RUN_DIR/pki/front-proxy-client.key" \
    --audit-policy-file "$RUN_DIR/audit-policy.yaml" --audit-log-path "$RUN_DIR/logs/audit.log" \
    --audit-log-format json --audit-log-maxsize 500 --audit-log-maxbackup 1 \
    --cert-dir "$RUN_DIR/apiserver-certs" --profiling=false --v 1
  wait_for "kube-apiserver /readyz" "$UP_TIMEOUT" curl_admin "https://$HOST:$API_PORT/readyz" ||
    fail_up "kube-apiserver did not become ready"
}

cmd_up() {
  local bin t0
  t0=$(date +%s)
  if alive etcd && alive kube-apiserver && alive kube-controller-manager; then
    log "already up"; echo "$RUN_DIR/admin.kubeconfig"; return 0
  fi
  [ -d "$RUN_DIR/pids" ] && { log "stale state in $RUN_DIR; cleaning it"; cmd_down >/dev/null; }
  bin=$(find_bin_dir) || { log "no control-plane binaries cached yet: building them (once, ~6 min)"; cmd_build >/dev/null; bin=$(find_bin_dir); }
  for p in "$API_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT" "$KCM_PORT"; do
    port_busy "$p" && die "port $HOST:$p is already in use (set KUBE_API_PORT, KUBE_ETCD_PORT, KUBE_KCM_PORT)"
  done
  command -v openssl >/dev/null || die "openssl is needed"
  command -v curl >/dev/null || die "curl is needed"
  mkdir -p "$RUN_DIR"/{logs,pids,etcd}; chmod 700 "$RUN_DIR"
  echo "$bin" > "$RUN_DIR/bin.path"
  make_pki
  write_audit_policy
  write_kubeconfig "$RUN_DIR/admin.kubeconfig" admin
  write_kubeconfig "$RUN_DIR/kcm.kubeconfig" kcm

  start_bg etcd "$bin/etcd" --name mandate-kube --data-dir "$RUN_DIR/etcd" \
    --listen-client-urls "http://$HOST:$ETCD_PORT" --advertise-client-urls "http://$HOST:$ETCD_PORT" \
    --listen-peer-urls "http://$HOST:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$ETCD_PEER_PORT" \
    --initial-cluster "mandate-kube=http://$HOST:$ETCD_PEER_PORT" --initial-cluster-state new \
    --quota-backend-bytes 4294967296 --unsafe-no-fsync=true --logger zap --log-outputs stderr
  wait_for "etcd" 30 curl -sf "http://$HOST:$ETCD_PORT/health" || fail_up "etcd did not become healthy"

  start_apiserver "$bin"

  # Like clusters of 1.24 and later: no legacy (never-expiring) ServiceAccount token Secrets, so
  # the legacy token controller is off; the controllers then run with the admin identity.
  start_bg kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$RUN_DIR/admin.kubeconfig" \
    --authentication-kubeconfig "$RUN_DIR/kcm.kubeconfig" --authorization-kubeconfig "$RUN_DIR/kcm.kubeconfig" \
    --bind-address "$HOST" --secure-port "$KCM_PORT" --port 0 --cert-dir "$RUN_DIR/kcm-certs" \
    --flex-volume-plugin-dir "$RUN_DIR/flexvolume" \
    --controllers '*,-serviceaccount-token' --use-service-account-credentials=false --leader-elect=false \
    --service-account-private-key-file "$RUN_DIR/pki/sa.key" --root-ca-file "$RUN_DIR/pki/ca.crt" \
    --cluster-signing-cert-file "$RUN_DIR/pki/ca.crt" --cluster-signing-key-file "$RUN_DIR/pki/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false --v 1
  wait_for "kube-controller-manager /healthz" "$UP_TIMEOUT" curl -skf "https://$HOST:$KCM_PORT/healthz" ||
    fail_up "kube-controller-manager did not become healthy"
  wait_for "ServiceAccount default/default" "$UP_TIMEOUT" \
    curl_admin "https://$HOST:$API_PORT/api/v1/namespaces/default/serviceaccounts/default" ||
    fail_up "the ServiceAccount controller did not create default/default"
  alive etcd && alive kube-apiserver && alive kube-controller-manager || fail_up "a process died"
  log "up in $(( $(date +%s) - t0 ))s: https://$HOST:$API_PORT ($("$bin/kube-apiserver" --version))"
  echo "$RUN_DIR/admin.kubeconfig"
}

# -------------------------------------------------------------------------------------- down
stop_one() { # name
  local f="$RUN_DIR/pids/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if alive "$1"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$1" || break; sleep 0.25; done
    alive "$1" && { log "$1 pid=$pid ignored SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; }
    log "stopped $1 pid=$pid"
  fi
  rm -f "$f" "$RUN_DIR/pids/$1.exe"
}

cmd_down() {
  [ -d "$RUN_DIR" ] || { log "nothing to stop ($RUN_DIR absent)"; return 0; }
  stop_one kube-controller-manager
  stop_one kube-apiserver
  stop_one etcd
  case "$RUN_DIR" in /|"$HOME"|/tmp|"$REPO"|"") die "refusing to remove $RUN_DIR";; esac
  rm -rf "$RUN_DIR"
  log "down; removed $RUN_DIR"
}

cmd_restart_apiserver() {
  alive kube-apiserver || die "kube-apiserver is not running (run: $PROG up)"
  stop_one kube-apiserver
  start_apiserver "$(cat "$RUN_DIR/bin.path")"
}

# ------------------------------------------------------------------------------------ status
cmd_status() {
  local n rc=0
  for n in etcd kube-apiserver kube-controller-manager; do
    if alive "$n"; then echo "$n: running pid=$(cat "$RUN_DIR/pids/$n.pid")"
    else echo "$n: not running"; rc=1; fi
  done
  if [ $rc = 0 ]; then
    echo "kubeconfig: $RUN_DIR/admin.kubeconfig"
    echo "server: https://$HOST:$API_PORT"
    curl_admin "https://$HOST:$API_PORT/readyz" >/dev/null && echo "readyz: ok" || { echo "readyz: NOT ok"; rc=1; }
  fi
  return $rc
}

case "${1:-}" in
  build)  cmd_build ;;
  up)     cmd_up ;;
  down)   cmd_down ;;
  restart-apiserver) cmd_restart_apiserver ;;
  status) cmd_status ;;
  env)    echo "export KUBECONFIG=$RUN_DIR/admin.kubeconfig"
          bin=$(find_bin_dir) && echo "export PATH=$bin:\$PATH" ;;
  *) echo "usage: $PROG build|up|down|status|env|restart-apiserver" >&2; exit 2 ;;
esac
