#!/usr/bin/env python3
"""Compare a certificate's ONNX export, run by onnxruntime, with multigrade's exact values.

Usage: onnx_roundtrip.py MULTIGRADE CERT MODEL DIM [POINTS]

Draws POINTS (default 1000) random points of [0,1]^DIM with 2^-30-dyadic coordinates (so
the points file holds them exactly), evaluates F_1..F_K with `multigrade eval --json` (each
value the float64 nearest to the exact one) and with onnxruntime on the ONNX model, and
fails (exit 1) when any difference exceeds 1e-12. The model is first checked with
onnx.checker when the onnx package is installed.
"""

import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort


def main():
    multigrade, cert, model, dim = sys.argv[1:5]
    dim = int(dim)
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    try:
        import onnx

        onnx.checker.check_model(onnx.load(model), full_check=True)
    except ImportError:
        pass
    rng = np.random.default_rng(20261203)
    x = rng.integers(0, 2**30 + 1, size=(count, dim)) / 2.0**30
    with tempfile.TemporaryDirectory() as tmp:
        points = os.path.join(tmp, "points.txt")
        with open(points, "w") as f:
            for row in x:
                f.write(" ".join(repr(float(v)) for v in row) + "\n")
        out = subprocess.run([multigrade, "eval", cert, "--points", points, "--json"],
                             check=True, capture_output=True, text=True).stdout
    exact = np.array([json.loads(line)["approx"] for line in out.splitlines() if line])
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    outputs = session.run(None, {session.get_inputs()[0].name: x})
    got = np.hstack([o.reshape(count, 1) for o in outputs])
    if got.shape != exact.shape:
        print(f"shapes differ: onnxruntime {got.shape}, exact {exact.shape}")
        return 1
    worst = float(np.max(np.abs(got - exact)))
    print(f"{count} points, {got.shape[1]} grades, max |onnxruntime - exact| = {worst:.3e}")
    return 0 if worst <= 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())
