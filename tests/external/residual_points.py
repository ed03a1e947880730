#!/usr/bin/env python3
"""Re-checks a multigrade certificate at random points, outside the tool.

The target is evaluated with mpmath at 60 significant digits and every grade's output
S_eps(g) with exact fractions, from the certificate's nodal values and this script's own
Kuhn interpolation. At each point it tests, for every grade n, that |r_n| <= |r_{n-1}| and
|r_n| <= U_n. Sampling cannot prove a claim, but it can refute one that a faulty prover or
checker let through.

usage: residual_points.py CERT [POINTS]    (needs mpmath: pip install mpmath)
"""

import json
import random
import re
import sys
from fractions import Fraction

import mpmath

mpmath.mp.dps = 60

NUMBER = re.compile(r"(?<![\w.])(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
FUNCTIONS = {
    "sqrt": mpmath.sqrt, "exp": mpmath.exp, "log": mpmath.log, "ln": mpmath.log,
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "atan": mpmath.atan,
    "sinh": mpmath.sinh, "cosh": mpmath.cosh, "tanh": mpmath.tanh, "abs": abs,
    "min": min, "max": max, "pi": mpmath.pi, "e": mpmath.e,
}


def target_function(source, dim):
    """The target as a Python function of mpf coordinates; decimal literals stay exact."""
    text = NUMBER.sub(lambda m: "mpf('%s')" % m.group(1), source).replace("^", "**")
    names = ["x%d" % (i + 1) for i in range(dim)] + ["x", "y", "z"][:dim]
    code = compile(text, "<target>", "eval")

    def f(point):
        scope = dict(FUNCTIONS, mpf=mpmath.mpf)
        for i, value in enumerate(point):
            scope["x%d" % (i + 1)] = value
            if i < 3:
                scope["xyz"[i]] = value
        return eval(code, {"__builtins__": {}}, scope)

    del names
    return f


def rational(text):
    return Fraction(text)


class Grade:
    def __init__(self, entry, dim):
        self.dim = dim
        self.n = entry["grid"]
        self.eps = rational(entry["eps"])
        denominator = int(entry["nodal_denominator"])
        self.nodal = [Fraction(m, denominator) for m in entry["nodal_numerators"]]
        self.side = self.n + 1

    def value(self, k):
        index = 0
        for ki in reversed(k):
            index = index * self.side + ki
        return self.nodal[index]

    def interpolant(self, x):
        cell, t = [], []
        for xi in x:
            s = xi * self.n
            k = min(int(s), self.n - 1)
            cell.append(k)
            t.append(s - k)
        order = sorted(range(self.dim), key=lambda i: -t[i])
        previous = self.value(cell)
        total = previous
        for axis in order:
            cell[axis] += 1
            following = self.value(cell)
            total += (following - previous) * t[axis]
            previous = following
        return total

    def output(self, x):
        g = self.interpolant(x)
        if g > self.eps:
            return g - self.eps
        if g < -self.eps:
            return g + self.eps
        return Fraction(0)


def main():
    cert = json.load(open(sys.argv[1]))
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    dim = cert["dim"]
    f = target_function(cert["target"], dim)
    grades = [Grade(g, dim) for g in cert["grades"]]
    bounds = [rational(cert["initial"]["sup_upper"])]
    bounds += [rational(g["bounds"]["sup_upper"]) for g in cert["grades"]]
    rng = random.Random(12345)
    worst_ratio = [0.0] * len(bounds)
    failures = 0
    for trial in range(count):
        denominator = rng.choice([1 << 20, 999983, 3 ** 13])
        x = [Fraction(rng.randint(0, denominator), denominator) for _ in range(dim)]
        fx = f([mpmath.mpf(xi.numerator) / xi.denominator for xi in x])
        residual = fx
        previous = None
        for n in range(len(bounds)):
            if n > 0:
                q = grades[n - 1].output(x)
                residual = residual - mpmath.mpf(q.numerator) / q.denominator
            size = abs(residual)
            bound = mpmath.mpf(bounds[n].numerator) / bounds[n].denominator
            worst_ratio[n] = max(worst_ratio[n], float(size / bound))
            if size > bound:
                failures += 1
                print("FAIL: |r_%d(%s)| = %s > U_%d = %s" % (n, x, size, n, bound))
            if previous is not None and size > previous + mpmath.mpf(10) ** -45:
                failures += 1
                print("FAIL: |r_%d| > |r_%d| at %s" % (n, n - 1, x))
            previous = size
    print("%s: %d points, %d grades, %d failures; max |r_n|/U_n per grade: %s" % (
        cert["target"], count, len(grades), failures,
        ", ".join("%.4f" % r for r in worst_ratio)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
