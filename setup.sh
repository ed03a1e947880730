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

# Optional: an ONNX runtime this project did not write, for the export round-trip tests.
# Without it those tests still run but skip the comparison with onnxruntime.
if command -v python3 >/dev/null 2>&1 && ! python3 -c "import numpy, onnxruntime, onnx" 2>/dev/null; then
    python3 -m pip install --quiet numpy onnxruntime onnx >/dev/null 2>&1 \
        || echo "setup: numpy/onnxruntime/onnx not installed; ONNX round trips skip the runtime comparison" >&2
fi
