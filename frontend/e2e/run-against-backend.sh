#!/usr/bin/env bash
# Serve the built dashboard from a real backend on a throw-away SQLite database loaded with the demo
# county, then drive it with Chromium. Used by `make e2e`; given test files (relative to frontend/), runs
# only those: `frontend/e2e/run-against-backend.sh e2e/pairing.test.mjs`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/backend/.venv/bin"
port="${E2E_PORT:-8123}"
work="$(mktemp -d)"
password="e2e-$(date +%s)-pw"
export DATABASE_URL="sqlite:///$work/e2e.db" VANGUARD_SPA_DIR="$root/frontend/dist" VANGUARD_ADMIN_PASSWORD="$password"

"$bin/vanguard" migrate >/dev/null
"$bin/vanguard" seed-demo --credentials-file "$work/credentials.txt" >/dev/null
"$bin/vanguard" serve --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  if "$bin/python" -c "import httpx,sys; sys.exit(httpx.get('http://127.0.0.1:$port/api/v1/health').status_code != 200)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done

cd "$root/frontend"
if [ "$#" -gt 0 ]; then tests=("$@"); else tests=(e2e/); fi
# zuzhibu is the county organisation department, shuji the secretary of the demo's sample branch, dangyuan
# a member of it with an account (admin is the system administrator).
VANGUARD_URL="http://127.0.0.1:$port" VANGUARD_USER=zuzhibu VANGUARD_SECRETARY_USER=shuji VANGUARD_MEMBER_USER=dangyuan VANGUARD_PASSWORD="$password" \
  VANGUARD_ROOT_ORG="中共青山县委员会" node --test --test-concurrency=1 "${tests[@]}" || { cat "$work/server.log" >&2; exit 1; }
