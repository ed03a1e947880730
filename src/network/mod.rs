//! The fixed-width multigrade ReLU network compiled from grade descriptions.
//!
//! # Architecture
//!
//! Grade 1's first hidden layer reads the input `x` in `[0,1]^d`; grade `m+1`'s first hidden
//! layer reads the last hidden layer of grade `m`. Every hidden layer is `z' = relu(W z + b)`
//! and has the same width [`width`]`(d) = d + 3`. Each grade ends with a linear readout
//! `q_m = a . z_last + c`, and the approximation after `m` grades is `F_m = q_1 + ... + q_m`.
//!
//! Channels of every hidden layer: `0..d` carry `x` unchanged (`relu(x_i) = x_i` on the
//! cube), channels `d` and `d+1` are work channels and channel `d+2` is the accumulator.
//!
//! # One grade
//!
//! A grade realises `q = S_eps(g)` where `g = sum_v c_v phi_v` is the Kuhn interpolant (see
//! [`crate::grid::GradeSpec`]) and `phi_v(x) = relu(1 - max(0, z_1..z_d) + min(0, z_1..z_d))`
//! with `z = n x - k`, `k` the integer coordinates of `v`. Every `z_i` is an affine function
//! of the `x` channels, so it never needs a channel of its own.
//!
//! The hats with `c_v != 0` are realised one after another, in vertex order, by a block of
//! `d + 1` layers each. Running maxima `P_i = max(0, z_1..z_i)` and
//! `R_i = max(0, -z_1..-z_i)` are kept as single channels `uP_i = relu(P_{i-1} - z_i)` and
//! `uR_i = relu(R_{i-1} + z_i)`; then `P_i = uP_i + z_i = max(P_{i-1}, z_i)` and
//! `R_i = uR_i - z_i = max(R_{i-1}, -z_i)` are affine in the channels (`P_0 = R_0 = 0`).
//! With `C = max_v |c_v|` the accumulator holds `C + A`, `A` the partial sum of `c_v phi_v`;
//! since hats are nonnegative and sum to one on the cube, `|A| <= C`, so the accumulator is
//! nonnegative and passes every relu unchanged.
//!
//! - Block layer 1: channel `d` is `uP_1 = relu(-z_1)`, channel `d+1` is
//!   `uR_1 = relu(z_1)`; the accumulator becomes `relu(acc + c_prev phi_prev)`, where
//!   `phi_prev` is channel `d` of the previous layer (the previous block's hat) and `c_prev`
//!   its nodal value. The first block of a grade sets the accumulator to `relu(C) = C`.
//! - Block layers `i = 2..d`: channel `d` is `uP_i = relu(uP_{i-1} + z_{i-1} - z_i)`, channel
//!   `d+1` is `uR_i = relu(uR_{i-1} - z_{i-1} + z_i)`; the accumulator is carried.
//! - Block layer `d+1`: channel `d` is the hat `phi = relu(1 - uP_d - uR_d)` (equal to
//!   `relu(1 - P_d - R_d)` because `z_d` cancels), channel `d+1` is the constant
//!   `relu(1) = 1`; the accumulator is carried.
//! - The grade's final hidden layer: with `g = acc + c_last phi_last - C * 1` (the last term
//!   reads the constant channel), channel `d` is `relu(g - eps)`, channel `d+1` is
//!   `relu(-g - eps)` and the accumulator is zero. The readout is
//!   `q = channel d - channel d+1`.
//!
//! The constant channel lets `C` and `eps` enter the final layer as separate weights, so
//! every weight and bias is one of `0, ±1, ±n, ±k_1, ±(k_i - k_{i-1}), ±c_v, ±C, -eps`: all
//! exact `f64` values, and the network realises the grade's description exactly. A grade without
//! hats is its final layer alone, with `g = 0`. A grade therefore has `(d + 1) H + 1` hidden
//! layers, `H` its number of hats.
//!
//! # Streaming
//!
//! A grade can have a very large number of layers, so the network is never stored: the
//! layers are generated on the fly from the descriptions ([`grade_layers`]) and every
//! evaluator ([`Network`]) consumes them one at a time. [`FormEvaluator`] runs the same
//! layers over a box in the checker's form arithmetic, so that certificate claims can be
//! re-proved from the compiled network itself rather than from the descriptions.

mod compile;
mod eval;
pub mod external;
mod forms;
pub mod onnx;

#[cfg(test)]
mod tests;

pub use compile::{grade_layers, layer_count, parameter_count, readout, GradeLayers};
pub use eval::Network;
pub use forms::{FormEvaluator, GradeForm};

/// The width `d + 3` shared by every hidden layer of every grade in dimension `dim`.
pub fn width(dim: usize) -> usize {
    dim + 3
}

/// One output channel of a layer: `sum_j w_j z_j + bias` over the sparse `terms` `(j, w_j)`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    pub terms: Vec<(usize, f64)>,
    pub bias: f64,
}

impl Row {
    /// Empties the row, keeping its allocation for reuse.
    fn clear(&mut self) {
        self.terms.clear();
        self.bias = 0.0;
    }
}

/// A hidden layer `z' = relu(W z + b)`: one sparse [`Row`] per output channel, reading a
/// previous layer (or the input) of `input_width` channels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layer {
    pub input_width: usize,
    pub rows: Vec<Row>,
}

impl Layer {
    /// The number of output channels.
    pub fn width(&self) -> usize {
        self.rows.len()
    }

    /// The number of nonzero weights.
    pub fn nonzero_weights(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.terms.iter().filter(|t| t.1 != 0.0).count())
            .sum()
    }

    /// The parameter count of the dense layer: `width * input_width` weights plus `width`
    /// biases.
    pub fn dense_parameters(&self) -> usize {
        self.width() * self.input_width + self.width()
    }
}

/// A grade's linear readout `q = sum_j w_j z_j + bias` of its last hidden layer (no relu).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readout {
    pub input_width: usize,
    pub terms: Vec<(usize, f64)>,
    pub bias: f64,
}
