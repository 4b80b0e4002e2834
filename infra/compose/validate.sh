#!/usr/bin/env bash
# Validates compose.yaml as `docker compose config` would, without Docker: builds validate/ (a small Go
# program over compose-go, the library Docker Compose loads files with) once into .cache/tools/bin, then
# loads the file with .env.example's values and prints the resolved project as JSON. Exits 1 with the
# loader's message when the file is invalid. Usage: infra/compose/validate.sh [compose-file] [env-file]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
file="${1:-$here/compose.yaml}"
env_file="${2:-$here/.env.example}"
bin_dir="$root/.cache/tools/bin"
binary="$bin_dir/validate-compose-$(sha256sum "$here/validate/go.mod" "$here/validate/go.sum" "$here/validate/main.go" | sha256sum | cut -c1-12)"
if [[ ! -x "$binary" ]]; then
  go_binary="$(command -v go || true)"
  [[ -z "$go_binary" && -x /usr/local/go/bin/go ]] && go_binary=/usr/local/go/bin/go
  if [[ -z "$go_binary" ]]; then
    echo "validate.sh: Go is needed to build the Compose validator (install Go 1.24+ or put it on PATH)" >&2
    exit 1
  fi
  mkdir -p "$bin_dir"
  started=$(date +%s)
  echo "validate.sh: building the Compose validator (compose-go) with $("$go_binary" version) (first time only)" >&2
  (cd "$here/validate" && GOMODCACHE="$root/.cache/go/mod" GOCACHE="$root/.cache/go/build" GOFLAGS="-buildvcs=false -mod=readonly" CGO_ENABLED=0 \
    "$go_binary" build -trimpath -o "$binary.tmp" . >&2)
  mv "$binary.tmp" "$binary"
  echo "validate.sh: built in $(( $(date +%s) - started ))s" >&2
fi
# Only the env file's values: the caller's own environment must not change what is checked.
exec env -i PATH="$PATH" "$binary" --env-file "$env_file" "$file"
