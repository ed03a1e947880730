//! Walking the tape: values in `f64` and in decorated intervals, and forward-mode gradients.
//!
//! Every evaluator writes slot `i` of caller-provided buffers from slots of earlier
//! instructions, so nothing is allocated. Gradient slot `i` occupies `grads[i*d .. i*d + d]`.

use super::tape::{
    dec_binary, dec_unary, f64_binary, f64_powi, f64_unary, f64_unary_derivative,
    interval_unary_derivative, Binary, Instr, Tape, ONE, ZERO,
};
use inari::{DecInterval, Decoration, Interval};

/// The interval part of a decorated interval (empty for NaI, which the tape never makes).
fn bare(v: DecInterval) -> Interval {
    v.interval().unwrap_or(Interval::EMPTY)
}

/// Splits the gradient buffer into the slots before `i` and slot `i` itself.
fn split(grads: &mut [Interval], i: usize, d: usize) -> (&[Interval], &mut [Interval]) {
    let (prev, rest) = grads.split_at_mut(i * d);
    (prev, &mut rest[..d])
}

fn split_f64(grads: &mut [f64], i: usize, d: usize) -> (&[f64], &mut [f64]) {
    let (prev, rest) = grads.split_at_mut(i * d);
    (prev, &mut rest[..d])
}

/// The gradient enclosure of `min(u, v)` (or of `max(u, v)` with the operands swapped):
/// where `u <= v` on the whole box the minimum is `u`, so its gradient is `u'`; where the
/// ranges overlap, the Clarke generalised gradient lies in the convex hull of `u'` and `v'`.
fn min_gradient(u: Interval, v: Interval, gu: &[Interval], gv: &[Interval], out: &mut [Interval]) {
    let nonempty = !u.is_empty() && !v.is_empty();
    if nonempty && u.sup() <= v.inf() {
        out.copy_from_slice(gu);
    } else if nonempty && v.sup() <= u.inf() {
        out.copy_from_slice(gv);
    } else {
        for ((o, &a), &b) in out.iter_mut().zip(gu).zip(gv) {
            *o = a.convex_hull(b);
        }
    }
}

impl Tape {
    /// The value at the point `x`, using `vals` (at least `len()` long) as workspace.
    pub(crate) fn eval_f64(&self, x: &[f64], vals: &mut [f64]) -> f64 {
        for (i, instr) in self.instrs.iter().enumerate() {
            vals[i] = match *instr {
                Instr::Var(k) => x[k],
                Instr::Const { approx, .. } => approx,
                Instr::Neg(a) => -vals[a],
                Instr::Binary(op, a, b) => f64_binary(op, vals[a], vals[b]),
                Instr::Powi(a, n) => f64_powi(vals[a], n),
                Instr::Unary(f, a) => f64_unary(f, vals[a]),
            };
        }
        vals[self.result]
    }

    /// The value and the gradient (written to `grad`) at the point `x`.
    pub(crate) fn gradient_f64(
        &self,
        x: &[f64],
        vals: &mut [f64],
        grads: &mut [f64],
        grad: &mut [f64],
    ) -> f64 {
        let d = grad.len();
        for (i, instr) in self.instrs.iter().enumerate() {
            let (prev, out) = split_f64(grads, i, d);
            let g = |k: usize| &prev[k * d..k * d + d];
            let v = match *instr {
                Instr::Var(k) => {
                    out.fill(0.0);
                    out[k] = 1.0;
                    x[k]
                }
                Instr::Const { approx, .. } => {
                    out.fill(0.0);
                    approx
                }
                Instr::Neg(a) => {
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = -ga;
                    }
                    -vals[a]
                }
                Instr::Binary(op, a, b) => {
                    let (u, w) = (vals[a], vals[b]);
                    let f = f64_binary(op, u, w);
                    // d(op(u, w)) = cu du + cw dw.
                    let (cu, cw) = match op {
                        Binary::Add => (1.0, 1.0),
                        Binary::Sub => (1.0, -1.0),
                        Binary::Mul => (w, u),
                        Binary::Div => (1.0 / w, -f / w),
                        Binary::Pow => {
                            let cu = if self.is_const(a) {
                                0.0
                            } else {
                                w * f64_binary(Binary::Pow, u, w - 1.0)
                            };
                            let cw = if self.is_const(b) { 0.0 } else { u.ln() * f };
                            (cu, cw)
                        }
                        Binary::Min if u <= w => (1.0, 0.0),
                        Binary::Max if u >= w => (1.0, 0.0),
                        Binary::Min | Binary::Max => (0.0, 1.0),
                    };
                    for ((o, &ga), &gb) in out.iter_mut().zip(g(a)).zip(g(b)) {
                        // Skipping zero coefficients keeps an infinite partial derivative of
                        // an operand that does not matter from turning the result into NaN.
                        let ta = if cu == 0.0 { 0.0 } else { cu * ga };
                        let tb = if cw == 0.0 { 0.0 } else { cw * gb };
                        *o = ta + tb;
                    }
                    f
                }
                Instr::Powi(a, n) => {
                    let u = vals[a];
                    let c = match n {
                        0 => 0.0,
                        _ => f64::from(n) * u.powi(n.saturating_sub(1)),
                    };
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = c * ga;
                    }
                    f64_powi(u, n)
                }
                Instr::Unary(f, a) => {
                    let u = vals[a];
                    let fu = f64_unary(f, u);
                    let c = f64_unary_derivative(f, u, fu);
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = c * ga;
                    }
                    fu
                }
            };
            vals[i] = v;
        }
        grad.copy_from_slice(&grads[self.result * d..self.result * d + d]);
        vals[self.result]
    }

    /// The natural interval extension over the box `x`, using `vals` as workspace.
    pub(crate) fn eval_dec(&self, x: &[Interval], vals: &mut [DecInterval]) -> DecInterval {
        for (i, instr) in self.instrs.iter().enumerate() {
            vals[i] = match *instr {
                Instr::Var(k) => DecInterval::new(x[k]),
                Instr::Const { value, .. } => value,
                Instr::Neg(a) => -vals[a],
                Instr::Binary(op, a, b) => dec_binary(op, vals[a], vals[b]),
                Instr::Powi(a, n) => vals[a].powi(n),
                Instr::Unary(f, a) => dec_unary(f, vals[a]),
            };
        }
        vals[self.result]
    }

    /// The natural interval extension over the box `x` and a gradient enclosure, written to
    /// `grad`, valid for the mean-value form whenever `f` is continuous on the box.
    ///
    /// When the value is not decorated `dac` or `com`, continuity on the box is not
    /// established and every gradient component is the entire line.
    pub(crate) fn eval_with_gradient(
        &self,
        x: &[Interval],
        vals: &mut [DecInterval],
        grads: &mut [Interval],
        grad: &mut [Interval],
    ) -> DecInterval {
        let d = grad.len();
        for (i, instr) in self.instrs.iter().enumerate() {
            let (prev, out) = split(grads, i, d);
            let g = |k: usize| &prev[k * d..k * d + d];
            let v = match *instr {
                Instr::Var(k) => {
                    out.fill(ZERO);
                    out[k] = ONE;
                    DecInterval::new(x[k])
                }
                Instr::Const { value, .. } => {
                    out.fill(ZERO);
                    value
                }
                Instr::Neg(a) => {
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = -ga;
                    }
                    -vals[a]
                }
                Instr::Binary(op, a, b) => {
                    let v = dec_binary(op, vals[a], vals[b]);
                    self.binary_gradient(op, a, b, bare(vals[a]), bare(vals[b]), bare(v), g, out);
                    v
                }
                Instr::Powi(a, n) => {
                    let u = bare(vals[a]);
                    // d(u^n) = n u^(n-1) du.
                    let c = match (n, n.checked_sub(1)) {
                        (0, _) => ZERO,
                        (_, Some(m)) => Interval::try_from((f64::from(n), f64::from(n)))
                            .map_or(Interval::ENTIRE, |n| n * u.powi(m)),
                        (_, None) => Interval::ENTIRE,
                    };
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = c * ga;
                    }
                    vals[a].powi(n)
                }
                Instr::Unary(f, a) => {
                    let v = dec_unary(f, vals[a]);
                    let c = interval_unary_derivative(f, bare(vals[a]), bare(v));
                    for (o, &ga) in out.iter_mut().zip(g(a)) {
                        *o = c * ga;
                    }
                    v
                }
            };
            for o in out.iter_mut() {
                if o.is_empty() {
                    *o = Interval::ENTIRE;
                }
            }
            vals[i] = v;
        }
        let value = vals[self.result];
        if value.decoration() < Decoration::Dac {
            grad.fill(Interval::ENTIRE);
        } else {
            grad.copy_from_slice(&grads[self.result * d..self.result * d + d]);
        }
        value
    }

    /// Writes to `out` the gradient enclosure of `op(u, w)`, where `u` and `w` (ranges `ru`,
    /// `rw`) are slots `a` and `b`, `rf` encloses the result, and `g(k)` is slot `k`'s
    /// gradient.
    #[allow(clippy::too_many_arguments)]
    fn binary_gradient<'g>(
        &self,
        op: Binary,
        a: usize,
        b: usize,
        ru: Interval,
        rw: Interval,
        rf: Interval,
        g: impl Fn(usize) -> &'g [Interval],
        out: &mut [Interval],
    ) {
        let (ga, gb) = (g(a), g(b));
        let terms = out.iter_mut().zip(ga).zip(gb);
        match op {
            Binary::Add => terms.for_each(|((o, &p), &q)| *o = p + q),
            Binary::Sub => terms.for_each(|((o, &p), &q)| *o = p - q),
            Binary::Mul => terms.for_each(|((o, &p), &q)| *o = p * rw + ru * q),
            // d(u/w) = (du - (u/w) dw) / w.
            Binary::Div => terms.for_each(|((o, &p), &q)| *o = (p - rf * q) / rw),
            // d(u^w) = w u^(w-1) du + ln(u) u^w dw; a term whose operand is constant is left
            // out rather than multiplied by a zero gradient, so that it cannot make the
            // result empty where only the other operand varies.
            Binary::Pow => {
                let cu = (!self.is_const(a)).then(|| rw * ru.pow(rw - ONE));
                let cw = (!self.is_const(b)).then(|| ru.ln() * rf);
                terms.for_each(|((o, &p), &q)| {
                    *o = match (cu, cw) {
                        (Some(cu), Some(cw)) => cu * p + cw * q,
                        (Some(cu), None) => cu * p,
                        (None, Some(cw)) => cw * q,
                        (None, None) => ZERO,
                    }
                });
            }
            Binary::Min => min_gradient(ru, rw, ga, gb, out),
            // max(u, w) = -min(-u, -w): the rule mirrors that of min.
            Binary::Max => min_gradient(-ru, -rw, ga, gb, out),
        }
    }
}
