#!/usr/bin/env python3
"""Convert a NumPy save of a multigrade network into multigrade's JSON exchange format.

Input: an ``np.savez`` file holding, for each grade k = 1, 2, ... (consecutive), arrays
``grade{k}_W{i}`` of shape (out, in) and ``grade{k}_b{i}`` of shape (out,) for its layers
i = 1, 2, ... (consecutive; a ``W0``/``b0`` start is accepted too), and a string
``grade{k}_activation`` ("relu", "sin" or "tanh"). Grade 1 reads x; grade k reads grade
k-1's last hidden layer; the last layer of each grade is linear with one output.

Output: the JSON read by ``multigrade verify --network FILE``. Every weight is written as
the exact float64 value of the array entry (float32 arrays are widened exactly), in
Python's shortest round-trip form, so the file denotes the same numbers bit for bit.

Usage: python3 numpy_to_json.py net.npz net.json [--input-dim D]
"""

import argparse
import json
import math
import re
import sys

import numpy as np


def layer_indices(names, k):
    """The layer numbers i with a grade{k}_W{i} array, in order."""
    pattern = re.compile(rf"^grade{k}_W(\d+)$")
    found = sorted(int(m.group(1)) for m in map(pattern.match, names) if m)
    if not found or found != list(range(found[0], found[0] + len(found))):
        raise ValueError(f"grade {k}: layers must be numbered consecutively, got {found}")
    return found


def numbers(array, name):
    values = np.asarray(array, dtype=np.float64).tolist()
    flat = values if not values or not isinstance(values[0], list) else sum(values, [])
    if not all(math.isfinite(v) for v in flat):
        raise ValueError(f"{name} holds a number that is not finite")
    return values


def convert(data, input_dim=None):
    names = list(data.keys())
    grades = []
    k = 1
    while f"grade{k}_activation" in names or f"grade{k}_W1" in names or f"grade{k}_W0" in names:
        activation = str(np.asarray(data[f"grade{k}_activation"]).item()).lower()
        if activation not in ("relu", "sin", "tanh"):
            raise ValueError(f"grade {k}: unknown activation {activation!r}")
        layers = []
        for i in layer_indices(names, k):
            w = np.asarray(data[f"grade{k}_W{i}"])
            b = np.asarray(data[f"grade{k}_b{i}"]).reshape(-1)
            if w.ndim != 2 or w.shape[0] != b.shape[0]:
                raise ValueError(f"grade {k}, layer {i}: W {w.shape} and b {b.shape} disagree")
            layers.append({"weight": numbers(w, f"grade{k}_W{i}"),
                           "bias": numbers(b, f"grade{k}_b{i}")})
        grades.append({"activation": activation, "layers": layers})
        k += 1
    if not grades:
        raise ValueError("no grade1_W* arrays found")
    dim = input_dim if input_dim is not None else len(grades[0]["layers"][0]["weight"][0])
    return {"format": "multigrade-network", "version": 1, "input_dim": dim, "grades": grades}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("npz")
    parser.add_argument("json")
    parser.add_argument("--input-dim", type=int, default=None)
    args = parser.parse_args()
    try:
        with np.load(args.npz, allow_pickle=False) as data:
            net = convert(data, args.input_dim)
    except (OSError, ValueError, KeyError) as e:
        print(f"numpy_to_json: {e}", file=sys.stderr)
        return 2
    with open(args.json, "w") as f:
        json.dump(net, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
