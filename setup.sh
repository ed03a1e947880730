#!/usr/bin/env bash
# Installs what the build needs beyond a Rust toolchain: GMP's configure needs m4.
set -euo pipefail
if ! command -v m4 >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing m4 (needed to build GMP)" >&2
        apt-get install -y m4 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y m4 >/dev/null; }
    else
        echo "setup: the build needs the 'm4' package (GMP's configure uses it); install it, e.g. 'sudo apt-get install m4'" >&2
        exit 2
    fi
fi
