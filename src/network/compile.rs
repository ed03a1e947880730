//! The compiler from one grade description to its hidden layers, generated on the fly.

use super::{width, Layer, Readout, Row};
use crate::grid::GradeSpec;

/// The number of hidden layers of a grade: `(d + 1) H + 1`, `H` its number of hats.
pub fn layer_count(spec: &GradeSpec) -> usize {
    (spec.dim() + 1) * spec.hat_count() + 1
}

/// The number of parameters of the grade's dense layers and readout: `W * in + W` per
/// hidden layer, with `in = d` for the first layer of the first grade and `in = W`
/// otherwise, plus `W + 1` for the readout (`W` = [`width`]).
pub fn parameter_count(spec: &GradeSpec, first_grade: bool) -> usize {
    let d = spec.dim();
    let w = width(d);
    let layers = layer_count(spec);
    let first_in = if first_grade { d } else { w };
    (w * first_in + w) + (layers - 1) * (w * w + w) + (w + 1)
}

/// The grade's readout: `q = channel d - channel d+1` of its last hidden layer.
pub fn readout(spec: &GradeSpec) -> Readout {
    let d = spec.dim();
    Readout {
        input_width: width(d),
        terms: vec![(d, 1.0), (d + 1, -1.0)],
        bias: 0.0,
    }
}

/// The hidden layers of one grade, in order (see the module documentation of
/// [`crate::network`] for the construction).
///
/// `first_grade` says whether the grade reads the input `x` (width `d`) rather than the last
/// hidden layer of a previous grade (width `d + 3`); only the first layer's input width
/// depends on it.
pub fn grade_layers(spec: &GradeSpec, first_grade: bool) -> GradeLayers<'_> {
    GradeLayers::new(spec, first_grade)
}

/// Where the generator stands inside a grade.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    /// Between blocks: the next layer starts the next hat's block, or is the final layer.
    Between,
    /// Inside the block of the hat with nodal value `c`; `step` is the next layer's position
    /// in the block (`0` the first layer, `d` the hat layer).
    Block { c: f64, step: usize },
    /// Every layer has been generated.
    Done,
}

/// A generator of a grade's hidden layers: a small state machine that writes each layer
/// into a caller's buffer ([`GradeLayers::next_into`]) or yields owned layers as an
/// [`Iterator`].
#[derive(Clone, Debug)]
pub struct GradeLayers<'a> {
    spec: &'a GradeSpec,
    first_grade: bool,
    /// `n` as a weight.
    n: f64,
    /// `C = max_v |c_v|`.
    bound: f64,
    /// The next vertex to examine for a nonzero nodal value.
    cursor: usize,
    /// The integer coordinates of the current hat's vertex.
    coords: Vec<u32>,
    /// The nodal value of the previous hat of this grade, if any.
    prev: Option<f64>,
    stage: Stage,
    emitted: usize,
}

impl<'a> GradeLayers<'a> {
    fn new(spec: &'a GradeSpec, first_grade: bool) -> Self {
        GradeLayers {
            spec,
            first_grade,
            n: f64::from(spec.grid.n),
            bound: spec.nodal_bound(),
            cursor: 0,
            coords: vec![0; spec.dim()],
            prev: None,
            stage: Stage::Between,
            emitted: 0,
        }
    }

    /// The number of layers generated so far.
    pub fn emitted(&self) -> usize {
        self.emitted
    }

    /// Writes the next layer into `layer`, reusing its allocations; `false` once the grade
    /// is exhausted (then `layer` is left unchanged).
    pub fn next_into(&mut self, layer: &mut Layer) -> bool {
        let d = self.spec.dim();
        let w = width(d);
        let (c, step) = match self.stage {
            Stage::Done => return false,
            Stage::Block { c, step } => (c, step),
            Stage::Between => match self.next_hat() {
                Some(c) => (c, 0),
                None => {
                    self.prepare(layer, d, w);
                    self.final_layer(layer, d);
                    self.stage = Stage::Done;
                    self.emitted += 1;
                    return true;
                }
            },
        };
        self.prepare(layer, d, w);
        if step == 0 {
            self.first_block_layer(layer, d);
        } else if step < d {
            self.middle_block_layer(layer, d, step + 1);
        } else {
            self.hat_layer(layer, d);
        }
        self.stage = if step < d {
            Stage::Block { c, step: step + 1 }
        } else {
            self.prev = Some(c);
            Stage::Between
        };
        self.emitted += 1;
        true
    }

    /// Advances to the next vertex with a nonzero nodal value, records its coordinates and
    /// returns the value.
    fn next_hat(&mut self) -> Option<f64> {
        let nodal = &self.spec.nodal;
        while self.cursor < nodal.len() {
            let v = self.cursor;
            self.cursor += 1;
            if nodal[v] != 0.0 {
                self.spec.grid.vertex_coords(v, &mut self.coords);
                return Some(nodal[v]);
            }
        }
        None
    }

    /// Sizes `layer` to `w` empty rows and sets its input width; the `x` channels pass
    /// through unchanged.
    fn prepare(&self, layer: &mut Layer, d: usize, w: usize) {
        layer.input_width = if self.emitted == 0 && self.first_grade {
            d
        } else {
            w
        };
        layer.rows.resize_with(w, Row::default);
        for (i, row) in layer.rows.iter_mut().enumerate() {
            row.clear();
            if i < d {
                row.terms.push((i, 1.0));
            }
        }
    }

    /// `k_i` (0-based axis `i`) as a weight.
    fn k(&self, i: usize) -> f64 {
        f64::from(self.coords[i])
    }

    /// Block layer 1: `uP_1 = relu(-z_1)`, `uR_1 = relu(z_1)` and the accumulator update.
    fn first_block_layer(&self, layer: &mut Layer, d: usize) {
        let (n, k1) = (self.n, self.k(0));
        let rows = &mut layer.rows;
        rows[d].terms.push((0, -n));
        rows[d].bias = k1;
        rows[d + 1].terms.push((0, n));
        rows[d + 1].bias = -k1;
        let acc = &mut rows[d + 2];
        match self.prev {
            Some(c_prev) => {
                acc.terms.push((d + 2, 1.0));
                acc.terms.push((d, c_prev));
            }
            None => acc.bias = self.bound,
        }
    }

    /// Block layer `i` in `2..=d`: `uP_i = relu(uP_{i-1} + z_{i-1} - z_i)` and
    /// `uR_i = relu(uR_{i-1} - z_{i-1} + z_i)`.
    fn middle_block_layer(&self, layer: &mut Layer, d: usize, i: usize) {
        let n = self.n;
        // z_{i-1} reads x channel i-2, z_i reads x channel i-1 (axes are 1-based above).
        let (a, b) = (i - 2, i - 1);
        // z_{i-1} - z_i = n x_a - n x_b + (k_b - k_a).
        let shift = self.k(b) - self.k(a);
        let rows = &mut layer.rows;
        rows[d].terms.extend([(d, 1.0), (a, n), (b, -n)]);
        rows[d].bias = shift;
        rows[d + 1].terms.extend([(d + 1, 1.0), (a, -n), (b, n)]);
        rows[d + 1].bias = -shift;
        rows[d + 2].terms.push((d + 2, 1.0));
    }

    /// Block layer `d + 1`: the hat `relu(1 - uP_d - uR_d)` and the constant channel.
    fn hat_layer(&self, layer: &mut Layer, d: usize) {
        let rows = &mut layer.rows;
        rows[d].terms.extend([(d, -1.0), (d + 1, -1.0)]);
        rows[d].bias = 1.0;
        rows[d + 1].bias = 1.0;
        rows[d + 2].terms.push((d + 2, 1.0));
    }

    /// The final layer: `relu(g - eps)`, `relu(-g - eps)` and a zero accumulator, with
    /// `g = acc + c_last phi_last - C` (or `g = 0` without hats).
    fn final_layer(&self, layer: &mut Layer, d: usize) {
        let eps = self.spec.eps;
        let rows = &mut layer.rows;
        if let Some(c_last) = self.prev {
            let bound = self.bound;
            rows[d]
                .terms
                .extend([(d + 2, 1.0), (d, c_last), (d + 1, -bound)]);
            rows[d + 1]
                .terms
                .extend([(d + 2, -1.0), (d, -c_last), (d + 1, bound)]);
        }
        rows[d].bias = -eps;
        rows[d + 1].bias = -eps;
    }
}

impl Iterator for GradeLayers<'_> {
    type Item = Layer;

    fn next(&mut self) -> Option<Layer> {
        let mut layer = Layer::default();
        self.next_into(&mut layer).then_some(layer)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = layer_count(self.spec).saturating_sub(self.emitted);
        (left, Some(left))
    }
}
