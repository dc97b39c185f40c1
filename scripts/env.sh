# shellcheck shell=bash
# scripts/env.sh — toolchain environment for leastdata builds.
#
# Sourced by scripts/bootstrap and by anything that runs emcc/em++ (the `wasm` preset, npm
# scripts, tests):  . scripts/env.sh
# Safe to source more than once and from any directory; it only exports variables.

LEASTDATA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
export LEASTDATA_ROOT

# Emscripten (Debian `emscripten` 3.1.6) runs its JS optimizer (acorn-optimizer.js) under
# /usr/bin/node and needs `acorn`. Debian ships it as `node-acorn` in /usr/share/nodejs, which a
# non-Debian Node (e.g. NodeSource's Node 20) does not search: without this every em++ link
# fails with "Cannot find module 'acorn'".
case ":${NODE_PATH:-}:" in
  *:/usr/share/nodejs:*) ;;
  *) export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}" ;;
esac

# EM_CACHE: deliberately NOT set. Debian's emscripten ships every system library prebuilt
# (libc, libc++/libc++abi with and without exception catching, embind, ...) in
# /usr/share/emscripten/cache and marks it FROZEN_CACHE=True in /usr/share/emscripten/.emscripten:
# em++ never writes to it, so it works read-only, as root and as any user. Pointing EM_CACHE
# elsewhere would give em++ an empty frozen cache and every link would fail, so a stray value
# (e.g. left over from an emsdk install) is dropped here.
# Consequence: only library variants present in that cache can be used; notably there is no
# native wasm-exceptions libc++, so C++ exceptions mean `-fexceptions` (JS-based catching).
unset EM_CACHE

# Botan 2.19 built for wasm by scripts/bootstrap (static library + headers).
export BOTAN_WASM_PREFIX="$LEASTDATA_ROOT/build/botan-wasm"
# Flags for em++ when compiling/linking against it (Botan is built with -fexceptions, so every
# translation unit linked with it, and the final link, must use -fexceptions too).
export BOTAN_WASM_CXXFLAGS="-fexceptions -isystem $BOTAN_WASM_PREFIX/include/botan-2"
export BOTAN_WASM_LDFLAGS="-fexceptions $BOTAN_WASM_PREFIX/lib/libbotan-2.a"
