#!/usr/bin/env bash
# Builds the helm CLI from source through the Go module proxy (no binary downloads needed) into
# .cache/tools/bin/helm, once; prints the binary's path. Needs Go (PATH or /usr/local/go/bin).
# HELM_VERSION pins the release; the module cache lives in .cache/go so CI can keep it between runs. The
# link flags are those of helm's own Makefile: its version, and the Kubernetes version `helm template` and
# `helm lint` assume (that of the client-go helm is built with), which would otherwise be 1.20.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${HELM_VERSION:-v3.22.0}"
kube_minor="${HELM_KUBE_MINOR:-35}"
bin_dir="$root/.cache/tools/bin"
binary="$bin_dir/helm-$version-k8s1.$kube_minor"
if [[ ! -x "$binary" ]]; then
  go_binary="$(command -v go || true)"
  [[ -z "$go_binary" && -x /usr/local/go/bin/go ]] && go_binary=/usr/local/go/bin/go
  if [[ -z "$go_binary" ]]; then
    echo "install-helm: Go is needed to build helm $version (install Go 1.24+ or put it on PATH)" >&2
    exit 1
  fi
  mkdir -p "$bin_dir" "$root/.cache/go/mod" "$root/.cache/go/build"
  started=$(date +%s)
  echo "install-helm: building helm $version with $("$go_binary" version) (first time only)" >&2
  GOBIN="$bin_dir.tmp" GOMODCACHE="$root/.cache/go/mod" GOCACHE="$root/.cache/go/build" GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
    "$go_binary" install -trimpath -ldflags "-s -w \
      -X helm.sh/helm/v3/internal/version.version=$version \
      -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kube_minor \
      -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$kube_minor" \
      "helm.sh/helm/v3/cmd/helm@$version" >&2
  mv "$bin_dir.tmp/helm" "$binary"
  rmdir "$bin_dir.tmp"
  echo "install-helm: built in $(( $(date +%s) - started ))s" >&2
fi
ln -sf "$(basename "$binary")" "$bin_dir/helm"
echo "$binary"
