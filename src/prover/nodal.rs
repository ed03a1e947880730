//! Choosing a grade's grid and nodal values (untrusted; the partition search certifies the
//! outcome).

use crate::expr::Target;
use crate::grid::{GradeSpec, Grid};

/// `r_{n-1}(x) = f(x) - sum_j q_j(x)` in `f64`.
pub fn residual_f64(target: &Target, grades: &[GradeSpec], x: &[f64]) -> f64 {
    grades
        .iter()
        .fold(target.eval_f64(x), |r, g| r - g.output_f64(x))
}

/// Nodal values are multiples of `2^-shift`: fine enough that rounding them costs a
/// negligible part of the interpolation budget, coarse enough to store as small integers.
pub fn nodal_shift(eps: f64) -> u32 {
    let exponent = eps.log2().floor() as i32;
    (14 - exponent).clamp(1, 1000) as u32
}

/// The grade on an `n`-grid whose nodal values are the residual at the vertices, rounded to
/// multiples of `2^-shift`. Returns the numerators too.
pub fn interpolate(
    target: &Target,
    grades: &[GradeSpec],
    n: u32,
    eps: f64,
    shift: u32,
) -> Option<(GradeSpec, Vec<i64>)> {
    let dim = target.dim();
    let grid = Grid::new(dim, n);
    let count = grid.vertex_count()?;
    let scale = (shift as f64).exp2();
    let mut k = vec![0u32; dim];
    let mut x = vec![0.0; dim];
    let mut numerators = Vec::with_capacity(count);
    let mut nodal = Vec::with_capacity(count);
    for index in 0..count {
        grid.vertex_coords(index, &mut k);
        for i in 0..dim {
            x[i] = f64::from(k[i]) / f64::from(n);
        }
        let r = residual_f64(target, grades, &x);
        let m = if r.is_finite() {
            (r * scale).round()
        } else {
            0.0
        };
        if m.abs() >= 9.0e15 {
            return None;
        }
        numerators.push(m as i64);
        nodal.push(m / scale);
    }
    Some((GradeSpec { grid, eps, nodal }, numerators))
}

/// The largest `|g(x) - r_{n-1}(x)|` seen at the vertices of a grid `resolution` times finer
/// than the grade's, and at the same vertices shifted by a third of a fine cell (so that
/// samples do not all fall on the earlier grades' nodes, where the residual is tamest).
pub fn sampled_error(
    target: &Target,
    grades: &[GradeSpec],
    spec: &GradeSpec,
    resolution: u32,
) -> f64 {
    let dim = target.dim();
    let fine = Grid::new(dim, spec.grid.n.saturating_mul(resolution));
    let Some(count) = fine.vertex_count() else {
        return f64::INFINITY;
    };
    let mut k = vec![0u32; dim];
    let mut x = vec![0.0; dim];
    let mut worst: f64 = 0.0;
    for shift in [0.0, 1.0 / 3.0] {
        for index in 0..count {
            fine.vertex_coords(index, &mut k);
            for i in 0..dim {
                x[i] = ((f64::from(k[i]) + shift) / f64::from(fine.n)).min(1.0);
            }
            let miss = spec.interpolant_f64(&x) - residual_f64(target, grades, &x);
            if !miss.is_finite() {
                return f64::INFINITY;
            }
            worst = worst.max(miss.abs());
        }
    }
    worst
}
