//! The certificate file: a serde schema and nothing else.
//!
//! Exact numbers are strings: rationals as `"p/q"` (or `"p"`), and every bound is the exact
//! value of an outward-rounded `f64` endpoint written as such a rational. A reader needs no
//! float parsing to re-check a claim. Partitions are preorder bit trees in hexadecimal (see
//! `check::boxes`). The checker refuses any `format_version` other than [`FORMAT_VERSION`].

use serde::{Deserialize, Serialize};

/// The value of the `format` field.
pub const FORMAT: &str = "multigrade-certificate";

/// Bumped on every change of the schema or of a claim's meaning.
pub const FORMAT_VERSION: u32 = 1;

/// A whole certificate: the target, the parameters, the bounds on `f` itself, and one
/// entry per certified grade.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub format: String,
    pub format_version: u32,
    /// The target expression, exactly as given.
    pub target: String,
    pub dim: usize,
    /// The width `W(d)` of every hidden layer of every grade.
    pub width: usize,
    /// `eps_n <= theta U_{n-1}`.
    pub theta: String,
    /// `delta_n <= kappa eps_n`.
    pub kappa: String,
    /// `rho = theta (1 + kappa)`: each grade's sup bound is at most `rho` times the last.
    pub rho: String,
    /// The exponents `p` of the `L^p` enclosures, in every grade's `lp` list in this order.
    pub exponents: Vec<String>,
    /// The stopping rule that was asked for.
    pub requested: Requested,
    /// How the run ended: `"grades"`, `"tolerance"`, `"time limit"`, `"interrupted"`,
    /// or `"budget"`. Only the first two mean the request was met.
    pub stopped_by: String,
    /// Claims about the target itself (grade 0, `r_0 = f`).
    pub initial: Bounds,
    pub grades: Vec<Grade>,
}

/// What the run was asked to reach.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requested {
    pub grades: Option<usize>,
    pub tolerance: Option<String>,
}

/// Bounds on one residual `r_n` over the cube, with the partition that proves them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// `sup |r_n| <= sup_upper`: on every leaf.
    pub sup_upper: String,
    /// `sup |r_n| >= sup_lower`: `|r_n(sup_lower_point)| >= sup_lower`.
    pub sup_lower: String,
    pub sup_lower_point: Vec<String>,
    /// `lower <= ||r_n||_p <= upper`, one per exponent.
    pub lp: Vec<LpBound>,
    /// The partition of the cube, in the encoding of `PartitionTree::encode`.
    pub partition: String,
    pub leaves: usize,
}

/// An enclosure of one `L^p` norm.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LpBound {
    pub p: String,
    pub lower: String,
    pub upper: String,
}

/// One grade: its compact description, its network's size, and its claims.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub grade: usize,
    /// Grid intervals per axis (a power of two).
    pub grid: u32,
    /// The soft threshold `eps_n`.
    pub eps: String,
    /// Nodal values are `nodal_numerators[v] / nodal_denominator`, vertices numbered with
    /// the first coordinate fastest. The denominator is a power of two.
    pub nodal_denominator: String,
    pub nodal_numerators: Vec<i64>,
    pub hats: usize,
    pub layers: usize,
    pub params: usize,
    /// `|g_n - r_{n-1}| <= delta` on every leaf.
    pub delta: String,
    /// Claims on `r_n`; the partition also carries the monotonicity and `delta` claims.
    pub bounds: Bounds,
    /// A box where `inf |r_{n-1}| > sup |r_n|`: the strict `L^p` decay witness.
    pub witness: Vec<[String; 2]>,
}
