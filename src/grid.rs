//! Uniform grids on the unit cube, the Kuhn (Freudenthal) triangulation, and the compact
//! description of one grade: a grid, its dyadic nodal values and the threshold `eps`.
//!
//! The interpolant `g = sum_v c_v phi_v` is evaluated here in `f64` (for the prover's
//! search) and in exact rationals (for tests and `eval`). Interval enclosures over boxes
//! live in the trusted kernel (`check::enclose`).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, ToPrimitive, Zero};

/// The grid of step `1/n` on `[0,1]^dim`: vertices `k / n` with `k` in `{0..n}^dim`.
///
/// Vertices are numbered with the first coordinate running fastest:
/// `index = k_1 + (n+1) k_2 + (n+1)^2 k_3 + ...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub dim: usize,
    pub n: u32,
}

impl Grid {
    pub fn new(dim: usize, n: u32) -> Self {
        Grid { dim, n }
    }

    /// `(n+1)^dim`, or `None` on overflow.
    pub fn vertex_count(&self) -> Option<usize> {
        (self.n as usize + 1).checked_pow(self.dim as u32)
    }

    /// The number of vertices along one axis.
    pub fn side(&self) -> usize {
        self.n as usize + 1
    }

    /// The index of the vertex with integer coordinates `k`.
    pub fn vertex_index(&self, k: &[u32]) -> usize {
        let side = self.side();
        k.iter().rev().fold(0, |acc, &ki| acc * side + ki as usize)
    }

    /// The integer coordinates of vertex `index`, written into `k`.
    pub fn vertex_coords(&self, mut index: usize, k: &mut [u32]) {
        let side = self.side();
        for ki in k.iter_mut().take(self.dim) {
            *ki = (index % side) as u32;
            index /= side;
        }
    }

    /// The cell containing `x` (clamped to the cube) and the local coordinates
    /// `t = n x - k` in `[0,1]^dim`.
    pub fn locate_f64(&self, x: &[f64], cell: &mut [u32], t: &mut [f64]) {
        let n = self.n as f64;
        for i in 0..self.dim {
            let s = (x[i].clamp(0.0, 1.0)) * n;
            let k = (s.floor() as u32).min(self.n - 1);
            cell[i] = k;
            t[i] = s - k as f64;
        }
    }
}

/// The coordinate order of the Kuhn simplex holding local coordinates `t`: the axes sorted
/// by decreasing `t` (ties broken by axis number, which does not change the value).
pub fn kuhn_order<T: PartialOrd>(t: &[T], order: &mut [usize]) {
    for (i, o) in order.iter_mut().enumerate() {
        *o = i;
    }
    order.sort_by(|&a, &b| t[b].partial_cmp(&t[a]).unwrap_or(std::cmp::Ordering::Equal));
}

/// The compact description of one grade: `q = S_eps(g)` with `g` the Kuhn interpolant of
/// the nodal values on `grid`.
///
/// Nodal values and `eps` are `f64` and read exactly, so every network weight built from
/// them is a dyadic rational.
#[derive(Clone, Debug, PartialEq)]
pub struct GradeSpec {
    pub grid: Grid,
    pub eps: f64,
    pub nodal: Vec<f64>,
}

impl GradeSpec {
    pub fn dim(&self) -> usize {
        self.grid.dim
    }

    /// `C = max_v |c_v|`: every partial sum of `c_v phi_v` lies in `[-C, C]`.
    pub fn nodal_bound(&self) -> f64 {
        self.nodal.iter().fold(0.0, |m, c| m.max(c.abs()))
    }

    /// The number of hats the network realises: the vertices with a nonzero nodal value.
    pub fn hat_count(&self) -> usize {
        self.nodal.iter().filter(|c| **c != 0.0).count()
    }

    /// `g(x)` in `f64` (rounded; for search only).
    pub fn interpolant_f64(&self, x: &[f64]) -> f64 {
        let d = self.dim();
        let mut cell = vec![0u32; d];
        let mut t = vec![0.0; d];
        let mut order = vec![0usize; d];
        self.grid.locate_f64(x, &mut cell, &mut t);
        kuhn_order(&t, &mut order);

        let mut prev = self.nodal[self.grid.vertex_index(&cell)];
        let mut value = prev;
        for &axis in &order {
            cell[axis] += 1;
            let next = self.nodal[self.grid.vertex_index(&cell)];
            value += (next - prev) * t[axis];
            prev = next;
        }
        value
    }

    /// `q(x) = S_eps(g(x))` in `f64` (rounded; for search only).
    pub fn output_f64(&self, x: &[f64]) -> f64 {
        soft_threshold_f64(self.interpolant_f64(x), self.eps)
    }

    /// `g(x)` exactly, for `x` in the cube.
    pub fn interpolant_exact(&self, x: &[BigRational]) -> BigRational {
        let d = self.dim();
        let n = BigRational::from_integer(BigInt::from(self.grid.n));
        let mut cell = vec![0u32; d];
        let mut t = Vec::with_capacity(d);
        for (i, xi) in x.iter().enumerate().take(d) {
            let s = xi * &n;
            let k = s
                .floor()
                .to_integer()
                .clamp(BigInt::zero(), BigInt::from(self.grid.n - 1));
            cell[i] = k.to_u32().unwrap_or(0);
            t.push(s - BigRational::from_integer(k));
        }
        let mut order = vec![0usize; d];
        kuhn_order(&t, &mut order);

        let nodal = |cell: &[u32]| {
            BigRational::from_float(self.nodal[self.grid.vertex_index(cell)]).unwrap_or_default()
        };
        let mut prev = nodal(&cell);
        let mut value = prev.clone();
        for &axis in &order {
            cell[axis] += 1;
            let next = nodal(&cell);
            value += (&next - &prev) * &t[axis];
            prev = next;
        }
        value
    }

    /// `q(x) = S_eps(g(x))` exactly.
    pub fn output_exact(&self, x: &[BigRational]) -> BigRational {
        let eps = BigRational::from_float(self.eps).unwrap_or_default();
        soft_threshold_exact(&self.interpolant_exact(x), &eps)
    }
}

/// `S_eps(g) = s(g - eps) - s(-g - eps)`, in `f64`.
pub fn soft_threshold_f64(g: f64, eps: f64) -> f64 {
    (g - eps).max(0.0) - (-g - eps).max(0.0)
}

/// `S_eps(g)` exactly.
pub fn soft_threshold_exact(g: &BigRational, eps: &BigRational) -> BigRational {
    if g > eps {
        g - eps
    } else if -g > *eps {
        g + eps
    } else {
        BigRational::zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_1d() -> GradeSpec {
        GradeSpec {
            grid: Grid::new(1, 4),
            eps: 0.25,
            nodal: vec![0.0, 1.0, -0.5, 0.5, 2.0],
        }
    }

    #[test]
    fn vertex_numbering_round_trips() {
        let grid = Grid::new(3, 4);
        let mut k = [0u32; 3];
        for index in 0..grid.vertex_count().unwrap() {
            grid.vertex_coords(index, &mut k);
            assert_eq!(grid.vertex_index(&k), index);
        }
    }

    #[test]
    fn interpolant_matches_nodal_values_and_is_linear_between() {
        let spec = spec_1d();
        for (i, c) in spec.nodal.iter().enumerate() {
            assert_eq!(spec.interpolant_f64(&[i as f64 / 4.0]), *c);
        }
        assert_eq!(spec.interpolant_f64(&[0.125]), 0.5);
        assert_eq!(spec.output_f64(&[0.125]), 0.25);
        assert_eq!(spec.output_f64(&[0.5]), -0.25);
        let x = [BigRational::new(3.into(), 16.into())];
        assert_eq!(
            spec.interpolant_exact(&x),
            BigRational::new(3.into(), 4.into())
        );
    }

    #[test]
    fn interpolant_2d_is_exact_on_affine_data() {
        // An affine function is reproduced exactly by the Kuhn interpolant.
        let grid = Grid::new(2, 4);
        let mut nodal = vec![0.0; grid.vertex_count().unwrap()];
        let mut k = [0u32; 2];
        for (index, c) in nodal.iter_mut().enumerate() {
            grid.vertex_coords(index, &mut k);
            *c = 0.5 + k[0] as f64 * 0.25 - k[1] as f64 * 0.125;
        }
        let spec = GradeSpec {
            grid,
            eps: 0.1,
            nodal,
        };
        for x in [[0.3, 0.7], [0.95, 0.1], [0.0, 1.0]] {
            let expected = 0.5 + x[0] - 0.5 * x[1];
            assert!((spec.interpolant_f64(&x) - expected).abs() < 1e-12);
        }
    }
}
