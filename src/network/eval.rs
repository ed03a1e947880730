//! Streaming evaluation of a multigrade network in `f64`, in intervals and in exact
//! rationals.
//!
//! The layers are generated one at a time and applied to a pair of reused buffers, so memory
//! stays proportional to the width whatever the number of layers.

use inari::{const_interval, Interval};
use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Zero};

use super::{grade_layers, layer_count, parameter_count, readout, width, Layer, Readout};
use crate::grid::GradeSpec;

/// A view of a multigrade network: the grades' descriptions, in order. Nothing else is
/// stored; layers are compiled while evaluating.
#[derive(Clone, Copy, Debug)]
pub struct Network<'a> {
    grades: &'a [GradeSpec],
}

impl<'a> Network<'a> {
    /// The network whose grade `m` is `grades[m]`.
    pub fn new(grades: &'a [GradeSpec]) -> Self {
        Network { grades }
    }

    /// The grades' descriptions.
    pub fn grades(&self) -> &'a [GradeSpec] {
        self.grades
    }

    /// The input dimension (that of the first grade; `0` without grades).
    pub fn dim(&self) -> usize {
        self.grades.first().map_or(0, GradeSpec::dim)
    }

    /// The width of every hidden layer.
    pub fn width(&self) -> usize {
        width(self.dim())
    }

    /// The total number of hidden layers.
    pub fn layer_count(&self) -> usize {
        self.grades.iter().map(layer_count).sum()
    }

    /// The total number of parameters of the dense layers and readouts.
    pub fn parameter_count(&self) -> usize {
        let grades = self.grades.iter().enumerate();
        grades.map(|(m, spec)| parameter_count(spec, m == 0)).sum()
    }

    /// Checks that the descriptions define a network the evaluators can run: one dimension
    /// `d >= 1` for all grades, `n >= 1`, one finite nodal value per vertex and a finite
    /// `eps >= 0`.
    ///
    /// # Errors
    ///
    /// A message naming the first offending grade and what is wrong with it.
    pub fn validate(&self) -> Result<(), String> {
        let d = self.dim();
        for (m, spec) in self.grades.iter().enumerate() {
            let grade = m + 1;
            if spec.dim() == 0 || spec.dim() != d {
                return Err(format!(
                    "grade {grade}: dimension {} (expected {d} >= 1)",
                    spec.dim()
                ));
            }
            if spec.grid.n == 0 {
                return Err(format!("grade {grade}: grid with n = 0"));
            }
            let vertices = spec.grid.vertex_count();
            if vertices != Some(spec.nodal.len()) {
                let got = spec.nodal.len();
                return Err(format!(
                    "grade {grade}: {got} nodal values for {vertices:?} vertices"
                ));
            }
            if let Some(v) = spec.nodal.iter().position(|c| !c.is_finite()) {
                return Err(format!("grade {grade}: nodal value {v} is not finite"));
            }
            if !(spec.eps.is_finite() && spec.eps >= 0.0) {
                return Err(format!(
                    "grade {grade}: eps = {} is not finite and >= 0",
                    spec.eps
                ));
            }
        }
        Ok(())
    }

    /// Walks every generated layer and checks that each hidden layer has exactly
    /// `width(d)` rows, reads the right input width (`d` for the first layer of the first
    /// grade, `width(d)` otherwise) through in-range finite weights with finite biases, that
    /// each grade has [`layer_count`] layers, and that each readout reads `width(d)` channels.
    ///
    /// # Errors
    ///
    /// A message naming the first offending grade and layer.
    pub fn check_widths(&self) -> Result<(), String> {
        self.validate()?;
        let d = self.dim();
        let w = width(d);
        let mut layer = Layer::default();
        for (m, spec) in self.grades.iter().enumerate() {
            let grade = m + 1;
            let mut gen = grade_layers(spec, m == 0);
            let mut count = 0;
            while gen.next_into(&mut layer) {
                let expected_in = if m == 0 && count == 0 { d } else { w };
                let at = format!("grade {grade}, layer {}", count + 1);
                if layer.width() != w {
                    return Err(format!("{at}: width {} instead of {w}", layer.width()));
                }
                if layer.input_width != expected_in {
                    let got = layer.input_width;
                    return Err(format!("{at}: input width {got} instead of {expected_in}"));
                }
                for (r, row) in layer.rows.iter().enumerate() {
                    if !row.bias.is_finite() {
                        return Err(format!("{at}, row {r}: bias is not finite"));
                    }
                    for &(j, wt) in &row.terms {
                        if j >= expected_in || !wt.is_finite() {
                            return Err(format!("{at}, row {r}: bad weight ({j}, {wt})"));
                        }
                    }
                }
                count += 1;
            }
            if count != layer_count(spec) {
                let expected = layer_count(spec);
                return Err(format!(
                    "grade {grade}: {count} layers instead of {expected}"
                ));
            }
            let out = readout(spec);
            if out.input_width != w || out.terms.iter().any(|&(j, _)| j >= w) {
                return Err(format!("grade {grade}: readout does not read width {w}"));
            }
        }
        Ok(())
    }

    /// `F_1(x), ..., F_K(x)` in `f64` (rounded).
    pub fn eval_f64(&self, x: &[f64]) -> Vec<f64> {
        cumulative(self.eval_grades_f64(x), |a, b| a + b)
    }

    /// Each grade's output `q_1(x), ..., q_K(x)` in `f64` (rounded).
    pub fn eval_grades_f64(&self, x: &[f64]) -> Vec<f64> {
        self.stream(x)
    }

    /// Enclosures of `F_1, ..., F_K` over the box `x` (natural interval extension).
    pub fn eval_interval(&self, x: &[Interval]) -> Vec<Interval> {
        cumulative(self.eval_grades_interval(x), |a, b| a + b)
    }

    /// Enclosures of each grade's output `q_1, ..., q_K` over the box `x`.
    pub fn eval_grades_interval(&self, x: &[Interval]) -> Vec<Interval> {
        self.stream(x)
    }

    /// `F_1(x), ..., F_K(x)` exactly.
    ///
    /// # Panics
    ///
    /// If a weight is not finite (see [`Network::validate`]) or `x` has the wrong length.
    pub fn eval_exact(&self, x: &[BigRational]) -> Vec<BigRational> {
        cumulative(self.eval_grades_exact(x), |a, b| a + b)
    }

    /// Each grade's output `q_1(x), ..., q_K(x)` exactly.
    ///
    /// The values are kept as integer numerators over one common denominator `D 2^e`, with
    /// `D` the least common multiple of the input denominators: every weight is a dyadic
    /// rational, so a layer only multiplies numerators by small integers, shifts them, and
    /// adds them, with no gcd computations.
    ///
    /// # Panics
    ///
    /// If a weight is not finite (see [`Network::validate`]) or `x` has the wrong length.
    pub fn eval_grades_exact(&self, x: &[BigRational]) -> Vec<BigRational> {
        assert_eq!(x.len(), self.dim(), "input of the wrong dimension");
        let mut state = ScaledState::new(x);
        let mut layer = Layer::default();
        let mut outputs = Vec::with_capacity(self.grades.len());
        for (m, spec) in self.grades.iter().enumerate() {
            let mut gen = grade_layers(spec, m == 0);
            while gen.next_into(&mut layer) {
                state.apply(&layer);
            }
            outputs.push(state.readout(&readout(spec)));
        }
        outputs
    }

    /// Runs the network in the arithmetic `V`, returning each grade's output.
    pub(super) fn stream<V: Value>(&self, x: &[V]) -> Vec<V> {
        assert_eq!(x.len(), self.dim(), "input of the wrong dimension");
        let mut cur = x.to_vec();
        let mut next = Vec::with_capacity(self.width());
        let mut layer = Layer::default();
        let mut outputs = Vec::with_capacity(self.grades.len());
        for (m, spec) in self.grades.iter().enumerate() {
            let mut gen = grade_layers(spec, m == 0);
            while gen.next_into(&mut layer) {
                next.clear();
                for row in &layer.rows {
                    let mut value = V::constant(row.bias);
                    for &(j, w) in &row.terms {
                        value.add_scaled(&cur[j], w);
                    }
                    value.relu();
                    next.push(value);
                }
                std::mem::swap(&mut cur, &mut next);
            }
            let out = readout(spec);
            let mut q = V::constant(out.bias);
            for &(j, w) in &out.terms {
                q.add_scaled(&cur[j], w);
            }
            outputs.push(q);
        }
        outputs
    }
}

/// Running sums `F_m = q_1 + ... + q_m`.
fn cumulative<V: Clone>(grades: Vec<V>, add: impl Fn(&V, &V) -> V) -> Vec<V> {
    let mut sums: Vec<V> = Vec::with_capacity(grades.len());
    for q in grades {
        let f = match sums.last() {
            Some(prev) => add(prev, &q),
            None => q,
        };
        sums.push(f);
    }
    sums
}

/// An arithmetic the streaming evaluator can run in.
pub(super) trait Value: Clone {
    /// The value of the constant `c`.
    fn constant(c: f64) -> Self;
    /// `self += w * x`; a zero weight contributes nothing.
    fn add_scaled(&mut self, x: &Self, w: f64);
    /// `self = max(self, 0)`.
    fn relu(&mut self);
}

impl Value for f64 {
    fn constant(c: f64) -> Self {
        c
    }

    fn add_scaled(&mut self, x: &Self, w: f64) {
        *self += w * x;
    }

    fn relu(&mut self) {
        *self = self.max(0.0);
    }
}

impl Value for Interval {
    fn constant(c: f64) -> Self {
        point(c)
    }

    fn add_scaled(&mut self, x: &Self, w: f64) {
        if w == 1.0 {
            *self += *x;
        } else if w == -1.0 {
            *self -= *x;
        } else if w != 0.0 {
            *self += *x * point(w);
        }
    }

    fn relu(&mut self) {
        *self = self.max(const_interval!(0.0, 0.0));
    }
}

impl Value for BigRational {
    fn constant(c: f64) -> Self {
        exact(c)
    }

    fn add_scaled(&mut self, x: &Self, w: f64) {
        if w != 0.0 {
            *self += x * exact(w);
        }
    }

    fn relu(&mut self) {
        if *self < BigRational::zero() {
            self.set_zero();
        }
    }
}

/// The degenerate interval `[c, c]`.
fn point(c: f64) -> Interval {
    Interval::try_from((c, c)).unwrap_or(Interval::ENTIRE)
}

/// The exact value of a finite weight.
fn exact(c: f64) -> BigRational {
    BigRational::from_float(c).expect("network weights are finite")
}

/// `w = m 2^s` with `m` odd, or `(0, 0)` for `w = 0`.
pub(super) fn dyadic(w: f64) -> (i64, i64) {
    assert!(w.is_finite(), "network weights are finite");
    if w == 0.0 {
        return (0, 0);
    }
    let bits = w.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = (bits & ((1u64 << 52) - 1)) as i64;
    let (mut m, mut s) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let tz = m.trailing_zeros();
    m >>= tz;
    s += i64::from(tz);
    (if w < 0.0 { -m } else { m }, s)
}

/// Exact layer values as integer numerators over the common denominator `den * 2^exp`.
struct ScaledState {
    den: BigInt,
    exp: u64,
    cur: Vec<BigInt>,
    next: Vec<BigInt>,
    scratch: BigInt,
}

impl ScaledState {
    fn new(x: &[BigRational]) -> Self {
        let den = x.iter().fold(BigInt::one(), |l, xi| l.lcm(xi.denom()));
        let cur = x
            .iter()
            .map(|xi| xi.numer() * (&den / xi.denom()))
            .collect();
        ScaledState {
            den,
            exp: 0,
            cur,
            next: Vec::new(),
            scratch: BigInt::zero(),
        }
    }

    /// The least exponent `e' >= exp` such that the denominator `den 2^e'` holds every term
    /// of the affine map with the given weights and bias exactly.
    fn exponent_for(&self, terms: &[(usize, f64)], bias: f64, exp: u64) -> u64 {
        let e = self.exp as i64;
        let mut target = exp as i64;
        for &(j, w) in terms {
            let (m, s) = dyadic(w);
            if m != 0 && !self.cur[j].is_zero() {
                target = target.max(e - s);
            }
        }
        let (mb, sb) = dyadic(bias);
        if mb != 0 {
            target = target.max(-sb);
        }
        target as u64
    }

    /// `out = numerator of (sum_j w_j cur_j + bias)` over `den 2^target`.
    fn affine(&mut self, terms: &[(usize, f64)], bias: f64, target: u64, out: &mut BigInt) {
        out.set_zero();
        let e = self.exp as i64;
        let t = target as i64;
        for &(j, w) in terms {
            let (m, s) = dyadic(w);
            let x = &self.cur[j];
            if m == 0 || x.is_zero() {
                continue;
            }
            let shift = (s + t - e) as u64;
            if shift == 0 && m == 1 {
                *out += x;
            } else if shift == 0 && m == -1 {
                *out -= x;
            } else {
                self.scratch.clone_from(x);
                scale(&mut self.scratch, m, shift);
                *out += &self.scratch;
            }
        }
        let (mb, sb) = dyadic(bias);
        if mb != 0 {
            self.scratch.clone_from(&self.den);
            scale(&mut self.scratch, mb, (sb + t) as u64);
            *out += &self.scratch;
        }
    }

    /// Applies a hidden layer.
    fn apply(&mut self, layer: &Layer) {
        let mut target = self.exp;
        for row in &layer.rows {
            target = self.exponent_for(&row.terms, row.bias, target);
        }
        let mut next = std::mem::take(&mut self.next);
        next.resize_with(layer.rows.len(), BigInt::zero);
        next.truncate(layer.rows.len());
        for (row, out) in layer.rows.iter().zip(next.iter_mut()) {
            self.affine(&row.terms, row.bias, target, out);
            if out.sign() == Sign::Minus {
                out.set_zero();
            }
        }
        self.next = std::mem::replace(&mut self.cur, next);
        self.exp = target;
        self.normalize();
    }

    /// Removes the powers of two common to every numerator and the denominator, so that the
    /// numbers stay as small as the values allow.
    fn normalize(&mut self) {
        let twos = self.cur.iter().filter_map(BigInt::trailing_zeros).min();
        let k = twos.map_or(self.exp, |t| t.min(self.exp));
        if k > 0 {
            for v in &mut self.cur {
                *v >>= k;
            }
            self.exp -= k;
        }
    }

    /// The exact value of a readout of the current layer.
    fn readout(&mut self, out: &Readout) -> BigRational {
        let target = self.exponent_for(&out.terms, out.bias, self.exp);
        let mut numer = BigInt::zero();
        self.affine(&out.terms, out.bias, target, &mut numer);
        BigRational::new(numer, &self.den << target)
    }
}

/// `v = v * m * 2^shift`.
fn scale(v: &mut BigInt, m: i64, shift: u64) {
    if m != 1 {
        *v *= m;
    }
    if shift > 0 {
        *v <<= shift;
    }
}
