#!/usr/bin/env bash
# Builds the tools that check the Helm chart (deploy/helm/burnrate) into .tools/helm-tools/:
#   bin/helm          helm.sh/helm/v4 (go install, from the Go module proxy)
#   bin/kubeconform   github.com/yannh/kubeconform
#   schemas/*.json    kubeconform's per-kind JSON schemas, made here (nothing committed) by
#                     deploy/helm/tools/kubeconform-schemas.ts from the Kubernetes OpenAPI v3
#                     documents of the k8s.io/kubernetes module (api/openapi-spec/v3) and the
#                     PrometheusRule / ServiceMonitor CRDs of the prometheus-operator module.
# kubeconform normally downloads its schemas from GitHub; here only the module proxy is
# reachable, so both sources are Go modules (`go mod download`, cached in .tools/go/mod).
# Idempotent: a no-op when the stamp matches the versions below and the converter's source.
# Cold: about 3-5 min on 2 cores (mostly compiling helm), ~40 MB of module downloads.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HELM_VERSION=v4.3.2
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VERSION=v1.36.3 # the schemas' Kubernetes version (the test passes it to kubeconform)
PROMETHEUS_OPERATOR_VERSION=v0.85.0
out="$root/.tools/helm-tools"
converter="$root/deploy/helm/tools/kubeconform-schemas.ts"
stamp="$out/stamp"
want="helm $HELM_VERSION kubeconform $KUBECONFORM_VERSION kubernetes $KUBERNETES_VERSION"
want="$want prometheus-operator $PROMETHEUS_OPERATOR_VERSION $(sha256sum < "$converter" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$out/bin/helm" ] &&
  [ -x "$out/bin/kubeconform" ] && [ -f "$out/schemas/deployment-apps-v1.json" ]; then
  echo "helm-tools: $out is up to date" >&2
  exit 0
fi
command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || {
  echo "helm-tools.sh: the Go toolchain (>= 1.25) is needed to build helm and kubeconform; install it from https://go.dev/dl/" >&2
  exit 1
}
export PATH="/usr/local/go/bin:$("$root/scripts/ensure-node.sh"):$PATH"
export GOMODCACHE="$root/.tools/go/mod" GOCACHE="$root/.tools/go/cache" GOFLAGS=-modcacherw
mkdir -p "$out/bin"
echo "helm-tools: building helm $HELM_VERSION and kubeconform $KUBECONFORM_VERSION" >&2
GOBIN="$out/bin" go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
GOBIN="$out/bin" go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"

# The module's directory in the module cache (downloaded if needed).
module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}
k8s="$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")"
operator="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
[ -d "$k8s/api/openapi-spec/v3" ] || { echo "helm-tools.sh: no api/openapi-spec/v3 in $k8s" >&2; exit 1; }
crds="$operator/example/prometheus-operator-crd"
rm -rf "$out/schemas.tmp"
node "$converter" "$out/schemas.tmp" "$k8s/api/openapi-spec/v3" \
  "$crds/monitoring.coreos.com_prometheusrules.yaml" "$crds/monitoring.coreos.com_servicemonitors.yaml"
rm -rf "$out/schemas"
mv "$out/schemas.tmp" "$out/schemas"
"$out/bin/helm" version --short >&2
"$out/bin/kubeconform" -v >&2
echo "$want" > "$stamp"
