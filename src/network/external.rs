//! A documented JSON format for multigrade networks, shared with other training codes, and
//! its exact, interval, form and `f64` evaluation.
//!
//! # The format (version 1)
//!
//! ```json
//! {"format": "multigrade-network", "version": 1, "input_dim": 2,
//!  "grades": [
//!    {"activation": "relu",
//!     "layers": [{"weight": [[1.0, 0.0], [0.0, 1.0]], "bias": [0.0, -0.5]},
//!                {"weight": [[0.5, -1.0]], "bias": [0.25]}]}]}
//! ```
//!
//! - `input_dim` is the dimension `d` of the input `x` in `[0,1]^d`.
//! - Each grade lists its `layers`; a layer computes `W z + b`, with `weight` the matrix `W`
//!   as a list of `out` rows of `in` numbers each and `bias` the `out` numbers of `b`.
//! - Every layer but the last of a grade is followed by the grade's `activation` (`"relu"`,
//!   `"sin"` or `"tanh"`). The last layer of a grade is linear with one output, `q_k`.
//! - Grade 1's first layer reads `x`; grade `k`'s first layer reads grade `k-1`'s last
//!   hidden layer, after its activation (for a grade of one layer, that is the input the
//!   grade itself reads).
//! - The approximation after `k` grades is `F_k = q_1 + ... + q_k`.
//!
//! Numbers are JSON numbers, read exactly as the `f64` they denote (so `f32` weights written
//! in full are kept exactly too); they must be finite. The evaluation in rationals
//! ([`ExternalNetwork::eval_grades_exact`]) treats every weight as that exact binary value.
//!
//! [`ExternalNetwork::from_compiled`] writes this crate's compiled networks in the format: the
//! hidden layers of each grade followed by its readout, dense, so that a certificate with
//! `H` hats in dimension `d` gives about `(d + 1) H (d + 3)^2` numbers.

// Slopes are indexed by axis alongside the box's per-axis arrays.
#![allow(clippy::needless_range_loop)]

use std::fmt;

use inari::Interval;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};

use super::{grade_layers, readout, Layer};
use crate::check::enclose::{point, BoxGeometry, Form, MAX_DIM};
use crate::grid::GradeSpec;

/// The value of the `format` field.
pub const FORMAT: &str = "multigrade-network";
/// The format version this code reads and writes.
pub const VERSION: u32 = 1;

const ZERO: Interval = inari::const_interval!(0.0, 0.0);
const ONE: Interval = inari::const_interval!(1.0, 1.0);

/// The activation that follows every layer of a grade but its last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    Sin,
    Tanh,
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Activation::Relu => "relu",
            Activation::Sin => "sin",
            Activation::Tanh => "tanh",
        })
    }
}

/// One dense layer `W z + b`; `weight` holds the rows of `W`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenseLayer {
    pub weight: Vec<Vec<f64>>,
    pub bias: Vec<f64>,
}

impl DenseLayer {
    /// The number of outputs.
    pub fn outputs(&self) -> usize {
        self.bias.len()
    }
}

/// One grade: its activation and its layers, the last one linear with one output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalGrade {
    pub activation: Activation,
    pub layers: Vec<DenseLayer>,
}

/// A multigrade network in the exchange format; see the module documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalNetwork {
    pub format: String,
    pub version: u32,
    pub input_dim: usize,
    pub grades: Vec<ExternalGrade>,
}

impl ExternalNetwork {
    /// Parses and validates a network from JSON text.
    ///
    /// # Errors
    ///
    /// A message for malformed JSON, an unknown activation or field, or any violation of
    /// [`ExternalNetwork::validate`].
    pub fn from_json(text: &str) -> Result<Self, String> {
        let net: ExternalNetwork =
            serde_json::from_str(text).map_err(|e| format!("not a multigrade network: {e}"))?;
        net.validate()?;
        Ok(net)
    }

    /// The network as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a network of finite numbers serialises")
    }

    /// Checks the format tag and version, `1 <= input_dim <= MAX_DIM`, at least one grade,
    /// at least one layer per grade, that every layer reads the width its input has, that
    /// every row of a weight matrix has that width and `bias` one entry per row, that the
    /// last layer of every grade has one output, and that every number is finite.
    ///
    /// # Errors
    ///
    /// A message naming the first offending grade and layer (both counted from 1).
    pub fn validate(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("format is {:?}, expected {FORMAT:?}", self.format));
        }
        if self.version != VERSION {
            return Err(format!(
                "format version {} is not supported (this reads version {VERSION})",
                self.version
            ));
        }
        if self.input_dim == 0 || self.input_dim > MAX_DIM {
            return Err(format!(
                "input_dim {} is not supported (1 to {MAX_DIM})",
                self.input_dim
            ));
        }
        if self.grades.is_empty() {
            return Err("the network has no grades".into());
        }
        let mut input = self.input_dim;
        for (k, grade) in self.grades.iter().enumerate() {
            let k = k + 1;
            if grade.layers.is_empty() {
                return Err(format!("grade {k}: no layers"));
            }
            let mut width = input;
            for (l, layer) in grade.layers.iter().enumerate() {
                let at = format!("grade {k}, layer {}", l + 1);
                if layer.weight.len() != layer.bias.len() {
                    return Err(format!(
                        "{at}: weight has {} rows but bias has {} entries",
                        layer.weight.len(),
                        layer.bias.len()
                    ));
                }
                if layer.weight.is_empty() {
                    return Err(format!("{at}: no outputs"));
                }
                for (r, row) in layer.weight.iter().enumerate() {
                    if row.len() != width {
                        return Err(format!(
                            "{at}: weight row {} has {} entries, expected {width} (the width \
                             of the layer's input)",
                            r + 1,
                            row.len()
                        ));
                    }
                    if row.iter().any(|w| !w.is_finite()) {
                        return Err(format!("{at}: weight row {} is not finite", r + 1));
                    }
                }
                if layer.bias.iter().any(|b| !b.is_finite()) {
                    return Err(format!("{at}: bias is not finite"));
                }
                if l + 1 < grade.layers.len() {
                    width = layer.outputs();
                }
            }
            let last = grade.layers.last().expect("checked nonempty");
            if last.outputs() != 1 {
                return Err(format!(
                    "grade {k}: the last layer has {} outputs, expected 1",
                    last.outputs()
                ));
            }
            input = width;
        }
        Ok(())
    }

    /// This crate's compiled network for the given grades (grade `m` is `grades[m - 1]`),
    /// with dense weight matrices and the `relu` activation.
    pub fn from_compiled(grades: &[GradeSpec]) -> Self {
        let dim = grades.first().map_or(0, GradeSpec::dim);
        let mut layer = Layer::default();
        let out = grades
            .iter()
            .enumerate()
            .map(|(m, spec)| {
                let mut layers = Vec::new();
                let mut gen = grade_layers(spec, m == 0);
                while gen.next_into(&mut layer) {
                    let weight = layer
                        .rows
                        .iter()
                        .map(|row| dense_row(&row.terms, layer.input_width))
                        .collect();
                    let bias = layer.rows.iter().map(|row| row.bias).collect();
                    layers.push(DenseLayer { weight, bias });
                }
                let last = readout(spec);
                layers.push(DenseLayer {
                    weight: vec![dense_row(&last.terms, last.input_width)],
                    bias: vec![last.bias],
                });
                ExternalGrade {
                    activation: Activation::Relu,
                    layers,
                }
            })
            .collect();
        ExternalNetwork {
            format: FORMAT.into(),
            version: VERSION,
            input_dim: dim,
            grades: out,
        }
    }

    /// Whether grades `1..=k` all use `relu`, so that `F_k` is piecewise affine and can be
    /// evaluated exactly.
    pub fn relu_up_to(&self, k: usize) -> bool {
        self.grades[..k]
            .iter()
            .all(|g| g.activation == Activation::Relu)
    }

    /// Each grade's output `q_1(x), ..., q_K(x)` in `f64` (rounded).
    pub fn eval_grades_f64(&self, x: &[f64]) -> Vec<f64> {
        self.stream(
            x,
            &mut |v: &mut f64, a| {
                *v = match a {
                    Activation::Relu => v.max(0.0),
                    Activation::Sin => v.sin(),
                    Activation::Tanh => v.tanh(),
                }
            },
            self.grades.len(),
        )
    }

    /// Enclosures of each grade's output over the box `x` (natural interval extension).
    pub fn eval_grades_interval(&self, x: &[Interval]) -> Vec<Interval> {
        self.stream(
            x,
            &mut |v: &mut Interval, a| {
                *v = match a {
                    Activation::Relu => v.max(ZERO),
                    Activation::Sin => v.sin(),
                    Activation::Tanh => v.tanh(),
                }
            },
            self.grades.len(),
        )
    }

    /// Each grade's output exactly, for the first `k` grades, which must all use `relu`.
    ///
    /// # Panics
    ///
    /// If one of the first `k` grades is not `relu` or `x` has the wrong length.
    pub fn eval_grades_exact(&self, x: &[BigRational], k: usize) -> Vec<BigRational> {
        assert!(self.relu_up_to(k), "exact evaluation needs relu grades");
        let mut relu = |v: &mut BigRational, _| {
            if v.is_negative() {
                v.set_zero();
            }
        };
        self.stream(x, &mut relu, k)
    }

    /// The forms (see [`crate::check::enclose`]) of the outputs of grades `1..=upto` over a
    /// box.
    pub fn grade_forms(&self, geom: &BoxGeometry, upto: usize) -> Vec<Form> {
        let x: Vec<Form> = (0..geom.dim)
            .map(|i| {
                let mut slope = [ZERO; MAX_DIM];
                slope[i] = ONE;
                Form {
                    center: point(geom.center[i]),
                    slope,
                    rem: 0.0,
                    range: Interval::try_from((geom.lo[i], geom.hi[i])).unwrap_or(Interval::ENTIRE),
                }
            })
            .collect();
        let dim = geom.dim;
        let mut act = |v: &mut FormValue, a: Activation| v.activate(a, geom);
        let wrapped: Vec<FormValue> = x.into_iter().map(|f| FormValue { f, dim }).collect();
        self.stream(&wrapped, &mut act, upto)
            .into_iter()
            .map(|v| v.f)
            .collect()
    }

    /// Runs the network in the arithmetic `V`, returning each grade's output.
    fn stream<V: Arith>(
        &self,
        x: &[V],
        act: &mut dyn FnMut(&mut V, Activation),
        upto: usize,
    ) -> Vec<V> {
        assert_eq!(x.len(), self.input_dim, "input of the wrong dimension");
        let mut input = x.to_vec();
        let mut outputs = Vec::with_capacity(self.grades.len());
        for grade in self.grades.iter().take(upto) {
            let mut cur = input.clone();
            let count = grade.layers.len();
            for (l, layer) in grade.layers.iter().enumerate() {
                let next: Vec<V> = layer
                    .weight
                    .iter()
                    .zip(&layer.bias)
                    .map(|(row, &b)| {
                        let mut v = V::zero_like(&cur);
                        for (z, &w) in cur.iter().zip(row) {
                            v.add_scaled(z, w);
                        }
                        v.add_constant(b);
                        if l + 1 < count {
                            act(&mut v, grade.activation);
                        }
                        v
                    })
                    .collect();
                if l + 1 < count {
                    cur = next;
                } else {
                    outputs.push(next.into_iter().next().expect("one output"));
                }
            }
            input = cur;
        }
        outputs
    }
}

/// A sparse row written densely over `width` inputs (repeated indices add up).
fn dense_row(terms: &[(usize, f64)], width: usize) -> Vec<f64> {
    let mut row = vec![0.0; width];
    for &(j, w) in terms {
        row[j] += w;
    }
    row
}

/// An arithmetic the dense evaluator runs in.
trait Arith: Clone {
    /// The zero of the arithmetic, shaped like the values of `like`.
    fn zero_like(like: &[Self]) -> Self;
    /// `self += w * x`.
    fn add_scaled(&mut self, x: &Self, w: f64);
    /// `self += c`.
    fn add_constant(&mut self, c: f64);
}

impl Arith for f64 {
    fn zero_like(_: &[Self]) -> Self {
        0.0
    }
    fn add_scaled(&mut self, x: &Self, w: f64) {
        *self += w * x;
    }
    fn add_constant(&mut self, c: f64) {
        *self += c;
    }
}

impl Arith for Interval {
    fn zero_like(_: &[Self]) -> Self {
        ZERO
    }
    fn add_scaled(&mut self, x: &Self, w: f64) {
        if w != 0.0 {
            *self += *x * point(w);
        }
    }
    fn add_constant(&mut self, c: f64) {
        if c != 0.0 {
            *self += point(c);
        }
    }
}

impl Arith for BigRational {
    fn zero_like(_: &[Self]) -> Self {
        BigRational::zero()
    }
    fn add_scaled(&mut self, x: &Self, w: f64) {
        if w != 0.0 && !x.is_zero() {
            *self += x * exact(w);
        }
    }
    fn add_constant(&mut self, c: f64) {
        if c != 0.0 {
            *self += exact(c);
        }
    }
}

/// The exact value of a finite number.
fn exact(c: f64) -> BigRational {
    BigRational::from_float(c).expect("validated networks hold finite numbers")
}

/// A [`Form`] in `dim` dimensions, as a value of the dense evaluator.
#[derive(Clone, Copy, Debug)]
struct FormValue {
    f: Form,
    dim: usize,
}

impl Arith for FormValue {
    fn zero_like(like: &[Self]) -> Self {
        FormValue {
            f: Form::constant(ZERO),
            dim: like.first().map_or(0, |v| v.dim),
        }
    }

    /// Linear combinations are exact algebra on the three inclusions of a form: centres,
    /// slopes and ranges scale in interval arithmetic and remainders by `|w|`, rounded up.
    fn add_scaled(&mut self, x: &Self, w: f64) {
        self.f.add_scaled(&x.f, w, self.dim);
    }

    fn add_constant(&mut self, c: f64) {
        if c != 0.0 {
            self.f.center += point(c);
            self.f.range += point(c);
        }
    }
}

impl FormValue {
    /// Applies `a` to the form over the box.
    ///
    /// Each activation `s` is Lipschitz with `s(v(x)) - s(v(c)) = t (v(x) - v(c))` for some
    /// `t` in the set `T` of its difference quotients over the enclosure `R` of `v(B)`:
    /// `[0, 1]` for relu (only `{1}` or the constant 0 when `R` has one sign), `cos(R)` for
    /// sin and `1 - tanh(R)^2` for tanh, both by the mean value theorem. So the centre and
    /// range go through `s`, every slope is multiplied by `T` (its hull with 0 for relu), and
    /// the remainder by `max |T|`.
    fn activate(&mut self, a: Activation, geom: &BoxGeometry) {
        if a == Activation::Relu {
            self.f.relu(geom);
            return;
        }
        let r = self.f.enclosure(geom);
        let quotient = match a {
            Activation::Relu => unreachable!("relu returned above"),
            Activation::Sin => {
                self.f.center = self.f.center.sin();
                self.f.range = r.sin();
                r.cos()
            }
            Activation::Tanh => {
                self.f.center = self.f.center.tanh();
                self.f.range = r.tanh();
                let t = (ONE - r.tanh().sqr()).intersection(inari::const_interval!(0.0, 1.0));
                if t.is_empty() {
                    inari::const_interval!(0.0, 1.0)
                } else {
                    t
                }
            }
        };
        let quotient = if quotient.is_empty() {
            inari::const_interval!(-1.0, 1.0)
        } else {
            quotient
        };
        for i in 0..self.dim {
            self.f.slope[i] = quotient * self.f.slope[i];
        }
        if self.f.rem != 0.0 {
            self.f.rem = (point(self.f.rem) * point(quotient.mag())).sup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;
    use crate::network::Network;

    fn specs() -> Vec<GradeSpec> {
        vec![
            GradeSpec {
                grid: Grid::new(2, 2),
                eps: 0.125,
                nodal: vec![0.0, 0.5, -0.25, 1.0, 0.0, 0.75, -1.0, 0.25, 0.5],
            },
            GradeSpec {
                grid: Grid::new(2, 1),
                eps: 0.0625,
                nodal: vec![0.25, 0.0, -0.5, 0.125],
            },
        ]
    }

    fn points() -> Vec<Vec<f64>> {
        let mut out = Vec::new();
        for i in 0..=6 {
            for j in 0..=6 {
                out.push(vec![f64::from(i) / 6.0, f64::from(j * j) / 36.0]);
            }
        }
        out
    }

    #[test]
    fn exported_networks_compute_the_compiled_network_exactly() {
        let specs = specs();
        let net = ExternalNetwork::from_compiled(&specs);
        net.validate().unwrap();
        let back = ExternalNetwork::from_json(&net.to_json()).unwrap();
        assert_eq!(back, net);
        let compiled = Network::new(&specs);
        for x in points() {
            let xr: Vec<BigRational> = x.iter().map(|&v| exact(v)).collect();
            assert_eq!(
                net.eval_grades_exact(&xr, 2),
                compiled.eval_grades_exact(&xr)
            );
            let f = net.eval_grades_f64(&x);
            let g = compiled.eval_grades_f64(&x);
            assert!(f.iter().zip(&g).all(|(a, b)| (a - b).abs() < 1e-12));
        }
    }

    #[test]
    fn forms_and_intervals_enclose_every_activation() {
        for activation in [Activation::Relu, Activation::Sin, Activation::Tanh] {
            let mut net = ExternalNetwork::from_compiled(&specs());
            for g in &mut net.grades {
                g.activation = activation;
            }
            for (lo, hi) in [([0.0, 0.0], [1.0, 1.0]), ([0.25, 0.5], [0.375, 0.625])] {
                let geom = BoxGeometry::new(&lo, &hi).unwrap();
                let forms = net.grade_forms(&geom, 2);
                let whole = net.eval_grades_interval(&geom.intervals());
                for x in points() {
                    let x: Vec<f64> = (0..2).map(|i| lo[i] + (hi[i] - lo[i]) * x[i]).collect();
                    let xi: Vec<Interval> = x.iter().map(|&v| point(v)).collect();
                    let at = net.eval_grades_interval(&xi);
                    for m in 0..2 {
                        let e = forms[m].enclosure(&geom);
                        assert!(at[m].subset(whole[m]), "{activation} interval at {x:?}");
                        assert!(
                            !at[m].intersection(e).is_empty(),
                            "{activation} form at {x:?}"
                        );
                    }
                }
            }
        }
    }

    /// A random network of 1 to 3 grades in dimension `dim`, hidden widths 1 to 3, weights
    /// and biases `k / 8` with `|k| <= 16`.
    fn random_network(dim: usize) -> impl proptest::strategy::Strategy<Value = ExternalNetwork> {
        use proptest::prelude::*;
        let number = (-16..=16i32).prop_map(|k| f64::from(k) / 8.0);
        let shape = proptest::collection::vec(proptest::collection::vec(1..=3usize, 0..=2), 1..=3);
        let act = prop_oneof![
            Just(Activation::Relu),
            Just(Activation::Sin),
            Just(Activation::Tanh)
        ];
        (
            shape,
            proptest::collection::vec(act, 3),
            proptest::collection::vec(number, 400),
        )
            .prop_map(move |(shape, acts, numbers)| {
                let mut next = numbers.into_iter().cycle();
                let mut input = dim;
                let grades = shape
                    .iter()
                    .zip(acts)
                    .map(|(hidden, activation)| {
                        let mut width = input;
                        let mut layers = Vec::new();
                        for &out in hidden.iter().chain([1usize].iter()) {
                            let weight = (0..out)
                                .map(|_| (0..width).map(|_| next.next().unwrap()).collect())
                                .collect();
                            let bias = (0..out).map(|_| next.next().unwrap()).collect();
                            layers.push(DenseLayer { weight, bias });
                            width = out;
                        }
                        if let Some(&h) = hidden.last() {
                            input = h;
                        }
                        ExternalGrade { activation, layers }
                    })
                    .collect();
                ExternalNetwork {
                    format: FORMAT.into(),
                    version: VERSION,
                    input_dim: dim,
                    grades,
                }
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// The forms over a box and the interval extension over it meet the interval value
        /// at every sampled point of the box, and contain the exact value of relu networks.
        #[test]
        fn enclosures_hold_on_random_networks(
            net in random_network(2),
            a in 0..=64u32, b in 0..=64u32, c in 0..=64u32, e in 0..=64u32,
        ) {
            net.validate().unwrap();
            let lo = [f64::from(a.min(b)) / 64.0, f64::from(c.min(e)) / 64.0];
            let hi = [f64::from(a.max(b)) / 64.0, f64::from(c.max(e)) / 64.0];
            let geom = BoxGeometry::new(&lo, &hi).unwrap();
            let k = net.grades.len();
            let forms = net.grade_forms(&geom, k);
            let whole = net.eval_grades_interval(&geom.intervals());
            for s in 0..=4 {
                for t in 0..=4 {
                    let x = [
                        lo[0] + (hi[0] - lo[0]) * f64::from(s) / 4.0,
                        lo[1] + (hi[1] - lo[1]) * f64::from(t) / 4.0,
                    ];
                    let xi: Vec<Interval> = x.iter().map(|&v| point(v)).collect();
                    let at = net.eval_grades_interval(&xi);
                    let exact_values = net.relu_up_to(k).then(|| {
                        let xr: Vec<BigRational> = x.iter().map(|&v| exact(v)).collect();
                        net.eval_grades_exact(&xr, k)
                    });
                    for m in 0..k {
                        let enc = forms[m].enclosure(&geom);
                        proptest::prop_assert!(!at[m].intersection(enc).is_empty());
                        proptest::prop_assert!(at[m].subset(whole[m]));
                        if let Some(v) = &exact_values {
                            let (l, h) = (exact(enc.inf()), exact(enc.sup()));
                            proptest::prop_assert!(l <= v[m] && v[m] <= h, "{v:?} {enc:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn malformed_networks_are_rejected_with_a_reason() {
        let good = ExternalNetwork::from_compiled(&specs()).to_json();
        assert!(ExternalNetwork::from_json(&good).is_ok());
        let cases = [
            ("garbage", "not a multigrade network"),
            (
                r#"{"format":"x","version":1,"input_dim":1,"grades":[]}"#,
                "format",
            ),
            (
                r#"{"format":"multigrade-network","version":2,"input_dim":1,"grades":[]}"#,
                "version",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[]}"#,
                "no grades",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[
                {"activation":"gelu","layers":[{"weight":[[1]],"bias":[0]}]}]}"#,
                "gelu",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":2,"grades":[
                {"activation":"relu","layers":[{"weight":[[1]],"bias":[0]}]}]}"#,
                "expected 2",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[
                {"activation":"relu","layers":[{"weight":[[1],[2]],"bias":[0]}]}]}"#,
                "bias has 1",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[
                {"activation":"relu","layers":[{"weight":[[1],[2]],"bias":[0,1]}]}]}"#,
                "expected 1",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[
                {"activation":"relu","layers":[{"weight":[[NaN]],"bias":[0]}]}]}"#,
                "not a multigrade network",
            ),
            (
                r#"{"format":"multigrade-network","version":1,"input_dim":1,"grades":[
                {"activation":"relu","layers":[{"weight":[[1e999]],"bias":[0]}]}]}"#,
                "not a multigrade network",
            ),
        ];
        for (text, why) in cases {
            let e = ExternalNetwork::from_json(text).unwrap_err();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
