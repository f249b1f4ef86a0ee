# Sourced by scripts/gen-clients and scripts/test-clients: the pinned tools that generate,
# check and exercise the client SDKs, installed once and cached.
#   client_tools_python  -> $CLIENT_VENV: a venv with clients/tools/requirements.txt
#   client_tools_node    -> clients/typescript/node_modules from package-lock.json (npm ci)
#   client_tools_console -> clients/console/node_modules (esbuild, preact, playwright-core)
#   build_console        -> type-checks the console and bundles it into clients/console/dist

client_tools_python() {
  local stamp
  stamp=$(sha256sum clients/tools/requirements.txt | cut -c1-12)
  CLIENT_VENV=${CALLPLANE_CLIENT_VENV:-$HOME/.cache/callplane/client-tools-$stamp}
  if [ ! -x "$CLIENT_VENV/bin/openapi-python-client" ]; then
    echo "client tools: installing clients/tools/requirements.txt into $CLIENT_VENV" >&2
    rm -rf "$CLIENT_VENV"
    python3 -m venv "$CLIENT_VENV"
    "$CLIENT_VENV/bin/pip" install -q --disable-pip-version-check -r clients/tools/requirements.txt
  fi
  export CLIENT_VENV
}

client_tools_node() {
  command -v npm >/dev/null || { echo "client tools: Node.js 20.19+ with npm is needed" >&2; return 1; }
  local lock=clients/typescript/package-lock.json stamp=clients/typescript/node_modules/.callplane-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    echo "client tools: npm ci in clients/typescript" >&2
    (cd clients/typescript && npm ci --no-fund --no-audit --loglevel=error >/dev/null)
    cp "$lock" "$stamp"
  fi
}

client_tools_console() {
  command -v npm >/dev/null || { echo "client tools: Node.js 20.19+ with npm is needed" >&2; return 1; }
  local lock=clients/console/package-lock.json stamp=clients/console/node_modules/.callplane-lock
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    echo "client tools: npm ci in clients/console" >&2
    (cd clients/console && npm ci --no-fund --no-audit --loglevel=error >/dev/null)
    cp "$lock" "$stamp"
  fi
}

# The console is built from the generated client's sources (not its dist), so it follows
# every regeneration; the bundle is committed and embedded by src/api/console.rs.
build_console() {
  client_tools_console
  (cd clients/console && npx --no-install tsc --noEmit -p tsconfig.json && node build.mjs)
}
