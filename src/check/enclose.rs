//! Enclosures over a box of the target, of each grade and of the residuals.
//!
//! This is the trusted arithmetic that every certificate claim rests on. A quantity `v` is
//! described over a box `B` with centre `c` and half-widths `h` by a [`Form`]:
//! - `center` encloses `v(c)`;
//! - for every `x` in `B`, `v(x) - v(c)` lies in `sum_i slope_i (x_i - c_i) + [-rem, rem]`;
//! - `range` encloses `v(B)`.
//!
//! For the target the slopes are a gradient enclosure over `B` (a mean-value form, valid for
//! Lipschitz functions through Clarke gradients); for a grade they are the gradients of the
//! interpolant's pieces that meet `B`, so that an interpolant affine on `B` is enclosed
//! exactly. Forms add and subtract term by term, and the bounds that claims use (sup and inf
//! of `|v|`, `L^p` integrals) are second-order accurate where everything is smooth.
//!
//! All arithmetic is inari's outward-rounded interval arithmetic on exact `f64` inputs.
//! Nothing here searches or chooses: the same box always gives the same bits.

// Boxes keep several per-axis arrays side by side; indexing them by axis reads best.
#![allow(clippy::needless_range_loop)]

use inari::{DecInterval, Decoration, Interval};

use crate::expr::{Scratch, Target};
use crate::grid::{kuhn_order, GradeSpec};

pub use super::boxes::MAX_DIM;

/// Above this many grid cells under one box, a grade is bounded by its global extremes
/// instead of by the cells it meets (the bound is looser but the cost stays bounded).
const CELL_LIMIT: u64 = 64;

/// The degenerate interval `[x, x]`; `ENTIRE` for a non-finite `x`.
pub fn point(x: f64) -> Interval {
    Interval::try_from((x, x)).unwrap_or(Interval::ENTIRE)
}

/// An empty or NaN interval carries no information a proof may use: it becomes `ENTIRE`.
fn sane(x: Interval) -> Interval {
    if x.is_empty() {
        Interval::ENTIRE
    } else {
        x
    }
}

const ZERO: Interval = inari::const_interval!(0.0, 0.0);
const UNIT: Interval = inari::const_interval!(-1.0, 1.0);

/// A box with its centre and half-widths: `x_i` in `[center_i - half_i, center_i + half_i]`
/// contains `[lo_i, hi_i]`.
#[derive(Clone, Debug)]
pub struct BoxGeometry {
    pub dim: usize,
    pub lo: [f64; MAX_DIM],
    pub hi: [f64; MAX_DIM],
    pub center: [f64; MAX_DIM],
    pub half: [f64; MAX_DIM],
}

impl BoxGeometry {
    /// The box `[lo, hi]`; `None` unless `0 <= lo_i <= hi_i <= 1`, all finite, and
    /// `lo.len() == hi.len() <= MAX_DIM`.
    pub fn new(lo: &[f64], hi: &[f64]) -> Option<Self> {
        let dim = lo.len();
        if dim == 0 || dim > MAX_DIM || hi.len() != dim {
            return None;
        }
        let mut geom = BoxGeometry {
            dim,
            lo: [0.0; MAX_DIM],
            hi: [0.0; MAX_DIM],
            center: [0.0; MAX_DIM],
            half: [0.0; MAX_DIM],
        };
        for i in 0..dim {
            let (a, b) = (lo[i], hi[i]);
            if !(0.0 <= a && a <= b && b <= 1.0) {
                return None;
            }
            // The midpoint may round, but it stays inside [a, b]; the half-width is then
            // rounded up so that the centred box still contains [a, b].
            let c = (a + (b - a) * 0.5).clamp(a, b);
            let left = (point(c) - point(a)).sup();
            let right = (point(b) - point(c)).sup();
            geom.lo[i] = a;
            geom.hi[i] = b;
            geom.center[i] = c;
            geom.half[i] = left.max(right);
        }
        Some(geom)
    }

    /// The dyadic box `b`, exact.
    pub fn from_dyadic(b: &super::boxes::DyadicBox) -> Self {
        let d = b.dim();
        let mut geom = BoxGeometry {
            dim: d,
            lo: [0.0; MAX_DIM],
            hi: [0.0; MAX_DIM],
            center: [0.0; MAX_DIM],
            half: [0.0; MAX_DIM],
        };
        for i in 0..d {
            // Powers of two and integers below 2^53 times them are exact.
            let scale = (-(b.level(i) as f64)).exp2();
            let k = b.index[i] as f64;
            geom.lo[i] = k * scale;
            geom.hi[i] = (k + 1.0) * scale;
            geom.center[i] = (k + 0.5) * scale;
            geom.half[i] = 0.5 * scale;
        }
        geom
    }

    /// The degenerate box at `x`.
    pub fn at_point(x: &[f64]) -> Option<Self> {
        Self::new(x, x)
    }

    /// The box as intervals.
    pub fn intervals(&self) -> Vec<Interval> {
        (0..self.dim)
            .map(|i| Interval::try_from((self.lo[i], self.hi[i])).unwrap_or(Interval::ENTIRE))
            .collect()
    }

    /// The centre as degenerate intervals.
    pub fn center_intervals(&self) -> Vec<Interval> {
        (0..self.dim).map(|i| point(self.center[i])).collect()
    }

    /// An enclosure of the box's volume.
    pub fn volume(&self) -> Interval {
        (0..self.dim).fold(point(1.0), |v, i| {
            v * (point(self.hi[i]) - point(self.lo[i]))
        })
    }
}

/// See the module documentation.
#[derive(Clone, Copy, Debug)]
pub struct Form {
    pub center: Interval,
    pub slope: [Interval; MAX_DIM],
    pub rem: f64,
    pub range: Interval,
}

impl Form {
    /// The constant `v`.
    pub fn constant(v: Interval) -> Self {
        Form {
            center: v,
            slope: [ZERO; MAX_DIM],
            rem: 0.0,
            range: v,
        }
    }

    /// `v(B)` from the form, intersected with the direct range enclosure.
    pub fn enclosure(&self, geom: &BoxGeometry) -> Interval {
        let mut spread = point(self.rem) * UNIT;
        for i in 0..geom.dim {
            spread += self.slope[i] * (point(geom.half[i]) * UNIT);
        }
        let by_form = self.center + spread;
        let both = by_form.intersection(self.range);
        if both.is_empty() {
            // The two enclosures of one set cannot be disjoint; if rounding or a NaN made
            // them so, fall back to their hull rather than claim an empty range.
            sane(by_form.convex_hull(self.range))
        } else {
            both
        }
    }

    /// An upper bound of `|v|` on the box.
    pub fn sup_abs(&self, geom: &BoxGeometry) -> f64 {
        let m = self.enclosure(geom).mag();
        if m.is_nan() {
            f64::INFINITY
        } else {
            m
        }
    }

    /// A lower bound of `|v|` on the box.
    pub fn inf_abs(&self, geom: &BoxGeometry) -> f64 {
        let m = self.enclosure(geom).mig();
        if m.is_nan() {
            0.0
        } else {
            m
        }
    }

    /// `self + w x`, term by term: centres, slopes and ranges in interval arithmetic, the
    /// remainder scaled by `|w|` and rounded up. A zero weight, or an `x` whose range is
    /// `{0}` (it vanishes on the whole box), adds the zero function.
    pub fn add_scaled(&mut self, x: &Form, w: f64, dim: usize) {
        if w == 0.0 || x.range == ZERO {
            return;
        }
        // Multiplying by +-1 is exact, so these shortcuts give the same bits.
        if w == 1.0 {
            self.center += x.center;
            self.range += x.range;
            for i in 0..dim {
                self.slope[i] += x.slope[i];
            }
        } else if w == -1.0 {
            self.center -= x.center;
            self.range -= x.range;
            for i in 0..dim {
                self.slope[i] -= x.slope[i];
            }
        } else {
            let w_int = point(w);
            self.center += w_int * x.center;
            self.range += w_int * x.range;
            for i in 0..dim {
                if x.slope[i] != ZERO {
                    self.slope[i] += w_int * x.slope[i];
                }
            }
        }
        if x.rem != 0.0 {
            self.rem = (point(self.rem) + point(w.abs()) * point(x.rem)).sup();
        }
    }

    /// `relu` of the form over the box. relu is nondecreasing with difference quotients in
    /// `[0, 1]`: an input of one sign on the box passes unchanged or becomes 0; otherwise the
    /// centre and range go through relu and each slope widens to its hull with 0.
    pub fn relu(&mut self, geom: &BoxGeometry) {
        let r = self.enclosure(geom);
        if r.inf() >= 0.0 {
            self.range = r;
        } else if r.sup() <= 0.0 {
            *self = Form::constant(ZERO);
        } else {
            self.center = self.center.max(ZERO);
            for i in 0..geom.dim {
                self.slope[i] = self.slope[i].convex_hull(ZERO);
            }
            self.range = r.max(ZERO);
        }
    }

    /// `self - other`, term by term.
    pub fn sub(&self, other: &Form) -> Form {
        self.combine(other, |a, b| a - b)
    }

    /// `self + other`, term by term.
    pub fn add(&self, other: &Form) -> Form {
        self.combine(other, |a, b| a + b)
    }

    fn combine(&self, other: &Form, op: impl Fn(Interval, Interval) -> Interval) -> Form {
        let mut slope = [ZERO; MAX_DIM];
        for (i, s) in slope.iter_mut().enumerate() {
            *s = sane(op(self.slope[i], other.slope[i]));
        }
        Form {
            center: sane(op(self.center, other.center)),
            slope,
            rem: (point(self.rem) + point(other.rem)).sup(),
            range: sane(op(self.range, other.range)),
        }
    }

    /// The form re-centred on exact coefficients: `v(x)` lies within `err` of
    /// `a + sum_i b_i (x_i - c_i)`, for every `x` in the box.
    fn affine_part(&self, geom: &BoxGeometry) -> Option<(f64, [f64; MAX_DIM], f64)> {
        let a = self.center.mid();
        let mut b = [0.0; MAX_DIM];
        let mut err = point(self.rem) + point(self.center.rad());
        for i in 0..geom.dim {
            b[i] = self.slope[i].mid();
            err += point(self.slope[i].rad()) * point(geom.half[i]);
        }
        let err = err.sup();
        let finite = a.is_finite() && err.is_finite() && b.iter().all(|x| x.is_finite());
        finite.then_some((a, b, err))
    }
}

/// An exponent `p >= 1` for `L^p` bounds: an enclosure of `p` and, when `p` is a small
/// integer, that integer (for exact integer powers).
#[derive(Clone, Copy, Debug)]
pub struct Exponent {
    pub value: Interval,
    pub integer: Option<i32>,
}

impl Exponent {
    /// `x^p` for `x >= 0`.
    pub fn power(&self, x: Interval) -> Interval {
        let x = x.intersection(Interval::try_from((0.0, f64::INFINITY)).unwrap_or(x));
        match self.integer {
            Some(k) => x.powi(k),
            None => x.pow(self.value),
        }
    }

    /// `x^(1/p)` for `x >= 0`.
    pub fn root(&self, x: Interval) -> Interval {
        let x = x.intersection(Interval::try_from((0.0, f64::INFINITY)).unwrap_or(x));
        match self.integer {
            Some(1) => x,
            Some(2) => x.sqrt(),
            _ => x.pow(point(1.0) / self.value),
        }
    }
}

/// Lower and upper bounds of `integral over B of |v|^p`.
///
/// With `|v(x) - l(x)| <= e` for the exact affine `l = a + b.(x - c)`: the functions
/// `max(|l| - e, 0)^p` and `(|l| + e)^p` are convex, so the first integrates to at least
/// `vol * max(|a| - e, 0)^p` (Jensen at the centre) and the second to at most the mean of its
/// values at the box's corners times `vol` (a convex function lies below its multilinear
/// interpolant). Each bound is also compared with the one from `inf |v|` and `sup |v|`.
pub fn lp_contribution(form: &Form, geom: &BoxGeometry, p: &Exponent) -> (f64, f64) {
    let range = form.enclosure(geom).abs();
    let vol = geom.volume();
    let mut lower = (vol * p.power(point(range.inf()))).inf();
    let mut upper = (vol * p.power(point(range.sup()))).sup();

    if let Some((a, b, err)) = form.affine_part(geom) {
        let e = point(err);
        let centre = (point(a.abs()) - e).inf().max(0.0);
        lower = lower.max((vol * p.power(point(centre))).inf());

        let corners = 1usize << geom.dim;
        let mut sum = ZERO;
        for corner in 0..corners {
            let mut l = point(a);
            for i in 0..geom.dim {
                let sign = if corner >> i & 1 == 1 { 1.0 } else { -1.0 };
                l += point(b[i]) * point(sign * geom.half[i]);
            }
            sum += p.power(l.abs() + e);
        }
        let mean = sum / point(corners as f64);
        upper = upper.min((vol * mean).sup());
    }
    if lower.is_nan() || lower < 0.0 {
        lower = 0.0;
    }
    if upper.is_nan() {
        upper = f64::INFINITY;
    }
    (lower, upper)
}

/// The target's form over a box, and the decoration of its evaluation over the whole box
/// (`Dac` or `Com` certify that the target is defined and continuous there).
pub fn target_form(
    target: &Target,
    geom: &BoxGeometry,
    scratch: &mut Scratch,
) -> (Form, Decoration) {
    let center: DecInterval = target.eval_dec(&geom.center_intervals(), scratch);
    let mut grad = vec![Interval::ENTIRE; geom.dim];
    let whole = target.eval_with_gradient(&geom.intervals(), &mut grad, scratch);

    let decoration = whole.decoration().min(center.decoration());
    let center = center.interval().map(sane).unwrap_or(Interval::ENTIRE);
    let range = whole.interval().map(sane).unwrap_or(Interval::ENTIRE);
    let mut slope = [ZERO; MAX_DIM];
    for i in 0..geom.dim {
        slope[i] = sane(grad[i]);
    }
    (
        Form {
            center,
            slope,
            rem: 0.0,
            range,
        },
        decoration,
    )
}

/// Per-grade data that does not depend on the box.
#[derive(Clone, Debug)]
pub struct GradeView<'a> {
    pub spec: &'a GradeSpec,
    n: f64,
    eps: f64,
    nodal_hull: Interval,
    slope_bound: [Interval; MAX_DIM],
}

impl<'a> GradeView<'a> {
    /// Prepares a grade. The grid size must be a power of two (so that `x * n` is exact)
    /// and the nodal values finite; `None` otherwise.
    pub fn new(spec: &'a GradeSpec) -> Option<Self> {
        let d = spec.dim();
        let n = spec.grid.n;
        let count = spec.grid.vertex_count()?;
        let valid = (1..=MAX_DIM).contains(&d)
            && n >= 1
            && n.is_power_of_two()
            && spec.nodal.len() == count
            && spec.eps.is_finite()
            && spec.eps > 0.0
            && spec.nodal.iter().all(|c| c.is_finite());
        if !valid {
            return None;
        }
        let nodal_hull = spec
            .nodal
            .iter()
            .fold(Interval::EMPTY, |h, &c| h.convex_hull(point(c)));

        // The largest difference along each axis bounds every piece's partial derivative.
        let mut slope_bound = [ZERO; MAX_DIM];
        let mut k = vec![0u32; d];
        for index in 0..count {
            spec.grid.vertex_coords(index, &mut k);
            for axis in 0..d {
                if k[axis] < n {
                    let diff =
                        point(spec.nodal[index + stride(spec, axis)]) - point(spec.nodal[index]);
                    slope_bound[axis] = slope_bound[axis].convex_hull(diff * point(n as f64));
                }
            }
        }
        Some(GradeView {
            spec,
            n: n as f64,
            eps: spec.eps,
            nodal_hull,
            slope_bound,
        })
    }

    /// The forms of the interpolant `g` and of the grade's output `q = S_eps(g)` over a box.
    pub fn forms(&self, geom: &BoxGeometry) -> (Form, Form) {
        let g = self.interpolant_form(geom);
        let q = self.threshold(&g, geom);
        (g, q)
    }

    fn interpolant_form(&self, geom: &BoxGeometry) -> Form {
        let d = geom.dim;
        let last = self.spec.grid.n - 1;
        let mut first_cell = [0u32; MAX_DIM];
        let mut last_cell = [0u32; MAX_DIM];
        let mut cells: u64 = 1;
        for i in 0..d {
            // Exact: n is a power of two.
            let a = geom.lo[i] * self.n;
            let b = geom.hi[i] * self.n;
            first_cell[i] = (a.floor() as u32).min(last);
            last_cell[i] = ((b.ceil() as u32).saturating_sub(1)).clamp(first_cell[i], last);
            cells = cells.saturating_mul(u64::from(last_cell[i] - first_cell[i] + 1));
        }
        let center = self.value_at(&geom.center[..d]);

        if cells == 1 {
            if let Some(form) = self.single_simplex_form(geom, &first_cell[..d], center) {
                return form;
            }
        }
        let (slope, range) = if cells <= CELL_LIMIT {
            self.cells_hull(&first_cell[..d], &last_cell[..d])
        } else {
            (self.slope_bound, self.nodal_hull)
        };
        Form {
            center,
            slope,
            rem: 0.0,
            range,
        }
    }

    /// The exact-affine form when the box lies in one Kuhn simplex of the cell `k`.
    fn single_simplex_form(&self, geom: &BoxGeometry, k: &[u32], center: Interval) -> Option<Form> {
        let d = geom.dim;
        let mut t_mid = [0.0; MAX_DIM];
        let mut t_lo = [0.0; MAX_DIM];
        let mut t_hi = [0.0; MAX_DIM];
        for i in 0..d {
            t_lo[i] = geom.lo[i] * self.n - f64::from(k[i]);
            t_hi[i] = geom.hi[i] * self.n - f64::from(k[i]);
            t_mid[i] = geom.center[i] * self.n - f64::from(k[i]);
        }
        let mut order = [0usize; MAX_DIM];
        kuhn_order(&t_mid[..d], &mut order[..d]);
        for j in 1..d {
            if t_lo[order[j - 1]] < t_hi[order[j]] {
                return None;
            }
        }

        let mut vertex = [0u32; MAX_DIM];
        vertex[..d].copy_from_slice(k);
        let mut prev = self.nodal(&vertex[..d]);
        let mut lowest = prev;
        let mut highest = prev;
        let mut slope = [ZERO; MAX_DIM];
        for &axis in &order[..d] {
            vertex[axis] += 1;
            let next = self.nodal(&vertex[..d]);
            slope[axis] = (point(next) - point(prev)) * point(self.n);
            lowest = lowest.min(next);
            highest = highest.max(next);
            prev = next;
        }
        let range = Interval::try_from((lowest, highest)).unwrap_or(Interval::ENTIRE);
        Some(Form {
            center,
            slope,
            rem: 0.0,
            range,
        })
    }

    /// The hull of the pieces' gradients over the cells `first..=last`, and of their nodal
    /// values. Every axis-parallel edge of a cell is an edge of one of its Kuhn simplices,
    /// and each simplex's partial derivative along an axis is the difference along such an
    /// edge, so the edges give every piece's gradient components.
    fn cells_hull(&self, first: &[u32], last: &[u32]) -> ([Interval; MAX_DIM], Interval) {
        let d = first.len();
        let mut slope = [Interval::EMPTY; MAX_DIM];
        let mut range = Interval::EMPTY;
        let mut v = first.to_vec();
        // Walk every vertex of the block of cells, `first..=last + 1` along each axis.
        loop {
            let index = self.spec.grid.vertex_index(&v);
            let c = self.spec.nodal[index];
            range = range.convex_hull(point(c));
            for axis in 0..d {
                if v[axis] <= last[axis] {
                    let next = self.spec.nodal[index + stride(self.spec, axis)];
                    let diff = (point(next) - point(c)) * point(self.n);
                    slope[axis] = slope[axis].convex_hull(diff);
                }
            }
            let mut axis = 0;
            loop {
                if axis == d {
                    for s in slope.iter_mut() {
                        *s = sane(*s);
                    }
                    return (slope, sane(range));
                }
                if v[axis] <= last[axis] {
                    v[axis] += 1;
                    break;
                }
                v[axis] = first[axis];
                axis += 1;
            }
        }
    }

    fn nodal(&self, k: &[u32]) -> f64 {
        self.spec.nodal[self.spec.grid.vertex_index(k)]
    }

    /// An enclosure of `g(x)` at a point of the cube.
    fn value_at(&self, x: &[f64]) -> Interval {
        let d = x.len();
        let last = self.spec.grid.n - 1;
        let mut cell = [0u32; MAX_DIM];
        let mut t = [0.0; MAX_DIM];
        for i in 0..d {
            let s = x[i] * self.n;
            cell[i] = (s.floor() as u32).min(last);
            t[i] = s - f64::from(cell[i]);
        }
        let mut order = [0usize; MAX_DIM];
        kuhn_order(&t[..d], &mut order[..d]);
        let mut prev = self.nodal(&cell[..d]);
        let mut value = point(prev);
        for &axis in &order[..d] {
            cell[axis] += 1;
            let next = self.nodal(&cell[..d]);
            value += (point(next) - point(prev)) * point(t[axis]);
            prev = next;
        }
        value
    }

    /// The form of `S_eps(g)` from that of `g`.
    fn threshold(&self, g: &Form, geom: &BoxGeometry) -> Form {
        let range = g.enclosure(geom);
        let eps = point(self.eps);
        if range.inf() >= self.eps {
            let shift = Form::constant(eps);
            return g.sub(&shift);
        }
        if range.sup() <= -self.eps {
            return g.add(&Form::constant(eps));
        }
        if range.inf() >= -self.eps && range.sup() <= self.eps {
            return Form::constant(ZERO);
        }
        // S_eps is nondecreasing with slopes in [0, 1]: q(x) - q(c) = s (g(x) - g(c)) for
        // some s in [0, 1], which lies in the hull of 0 and each slope term.
        let mut slope = [ZERO; MAX_DIM];
        for i in 0..geom.dim {
            slope[i] = g.slope[i].convex_hull(ZERO);
        }
        Form {
            center: soft_threshold(g.center, eps),
            slope,
            rem: g.rem,
            range: soft_threshold(range, eps),
        }
    }
}

/// The index offset of one step along `axis`.
fn stride(spec: &GradeSpec, axis: usize) -> usize {
    spec.grid.side().pow(axis as u32)
}

/// `S_eps(g) = s(g - eps) - s(-g - eps)` over an interval; at most one term is nonzero.
pub fn soft_threshold(g: Interval, eps: Interval) -> Interval {
    sane((g - eps).max(ZERO) - (-g - eps).max(ZERO))
}

/// `r - q` for a grade whose interpolant has form `g` and output `q = S_eps(g)`.
///
/// Term by term, a box that straddles a threshold loses first-order accuracy. The range is
/// then also bounded through the two branches: where `g >= -eps` on the box,
/// `r - S_eps(g) = min(r, r - g + eps)`, and where `g <= eps`, it is `max(r, r - g - eps)`;
/// each branch is a difference of forms that are tight on the box.
pub fn subtract_output(r: &Form, g: &Form, q: &Form, eps: f64, geom: &BoxGeometry) -> Form {
    let mut out = r.sub(q);
    let range = g.enclosure(geom);
    let straddles_upper = range.inf() >= -eps && range.inf() < eps && range.sup() > eps;
    let straddles_lower = range.sup() <= eps && range.sup() > -eps && range.inf() < -eps;
    if !(straddles_upper || straddles_lower) {
        return out;
    }
    let a = r.enclosure(geom);
    let shift = Form::constant(point(if straddles_upper { eps } else { -eps }));
    let b = r.sub(g).add(&shift).enclosure(geom);
    let (lo, hi) = if straddles_upper {
        (a.inf().min(b.inf()), a.sup().min(b.sup()))
    } else {
        (a.inf().max(b.inf()), a.sup().max(b.sup()))
    };
    if let Ok(branches) = Interval::try_from((lo, hi)) {
        let both = out.range.intersection(branches);
        if !both.is_empty() {
            out.range = both;
        }
    }
    out
}

/// The residual forms on one box for grade `n = grades.len()`: `r_{n-1}`, and the newest
/// grade's `g_n`, `q_n` and `r_n`.
#[derive(Clone, Copy, Debug)]
pub struct GradeForms {
    pub previous: Form,
    pub interpolant: Form,
    pub output: Form,
    pub residual: Form,
}

/// Subtracts the grades from the target's form in order: `r_k = r_{k-1} - q_k`.
pub fn residual_forms(target: &Form, grades: &[GradeView], geom: &BoxGeometry) -> GradeForms {
    let forms = grades.iter().map(|view| {
        let (g, q) = view.forms(geom);
        (g, q, view.eps)
    });
    fold_residuals(target, forms, geom)
}

/// The residual forms from each grade's `(interpolant, output, eps)`, in grade order:
/// `r_k = r_{k-1} - q_k` through [`subtract_output`], which relies on `q_k = S_eps(g_k)`.
pub fn fold_residuals(
    target: &Form,
    grades: impl ExactSizeIterator<Item = (Form, Form, f64)>,
    geom: &BoxGeometry,
) -> GradeForms {
    let mut previous = *target;
    let count = grades.len();
    for (k, (g, q, eps)) in grades.enumerate() {
        if k + 1 == count {
            let residual = subtract_output(&previous, &g, &q, eps, geom);
            return GradeForms {
                previous,
                interpolant: g,
                output: q,
                residual,
            };
        }
        previous = subtract_output(&previous, &g, &q, eps, geom);
    }
    let zero = Form::constant(ZERO);
    GradeForms {
        previous,
        interpolant: zero,
        output: zero,
        residual: previous,
    }
}

/// Whether `q_n(B) * (r_n(B) + r_{n-1}(B)) >= 0`, which on the box is equivalent to
/// `|r_n| <= |r_{n-1}|` because `r_{n-1} = r_n + q_n`.
pub fn monotone_on(forms: &GradeForms, geom: &BoxGeometry) -> bool {
    let q = forms.output.enclosure(geom);
    if q.inf() == 0.0 && q.sup() == 0.0 {
        return true;
    }
    let sum = forms.residual.add(&forms.previous).enclosure(geom);
    (q * sum).inf() >= 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;

    fn spec_1d() -> GradeSpec {
        GradeSpec {
            grid: Grid::new(1, 4),
            eps: 0.25,
            nodal: vec![0.0, 1.0, -0.5, 0.5, 2.0],
        }
    }

    #[test]
    fn box_geometry_is_validated() {
        assert!(BoxGeometry::new(&[0.0], &[1.0]).is_some());
        assert!(BoxGeometry::new(&[0.5], &[0.25]).is_none());
        assert!(BoxGeometry::new(&[-0.1], &[0.5]).is_none());
        assert!(BoxGeometry::new(&[f64::NAN], &[0.5]).is_none());
        assert!(BoxGeometry::new(&[], &[]).is_none());
        let g = BoxGeometry::new(&[0.25, 0.5], &[0.5, 1.0]).unwrap();
        assert_eq!((g.center[0], g.half[1]), (0.375, 0.25));
    }

    #[test]
    fn grade_forms_enclose_sampled_values() {
        let spec = spec_1d();
        let view = GradeView::new(&spec).unwrap();
        for (lo, hi) in [(0.0, 1.0), (0.1, 0.2), (0.2, 0.3), (0.5, 0.5), (0.3, 0.9)] {
            let geom = BoxGeometry::new(&[lo], &[hi]).unwrap();
            let (g, q) = view.forms(&geom);
            let (ge, qe) = (g.enclosure(&geom), q.enclosure(&geom));
            for s in 0..=20 {
                let x = lo + (hi - lo) * s as f64 / 20.0;
                let gx = spec.interpolant_f64(&[x]);
                let qx = spec.output_f64(&[x]);
                assert!(
                    ge.inf() - 1e-12 <= gx && gx <= ge.sup() + 1e-12,
                    "g {x} {ge:?}"
                );
                assert!(
                    qe.inf() - 1e-12 <= qx && qx <= qe.sup() + 1e-12,
                    "q {x} {qe:?}"
                );
            }
        }
    }

    #[test]
    fn affine_pieces_are_enclosed_tightly() {
        let spec = spec_1d();
        let view = GradeView::new(&spec).unwrap();
        let geom = BoxGeometry::new(&[0.0], &[0.125]).unwrap();
        let (g, _) = view.forms(&geom);
        let e = g.enclosure(&geom);
        assert_eq!((e.inf(), e.sup()), (0.0, 0.5));
    }

    #[test]
    fn lp_bounds_are_exact_for_affine_data_with_p_one() {
        // On [0, 1/4] the interpolant runs from 0 to 1: its integral is 1/8.
        let spec = spec_1d();
        let view = GradeView::new(&spec).unwrap();
        let geom = BoxGeometry::new(&[0.0], &[0.25]).unwrap();
        let (g, _) = view.forms(&geom);
        let one = Exponent {
            value: point(1.0),
            integer: Some(1),
        };
        let (lo, hi) = lp_contribution(&g, &geom, &one);
        assert!(lo <= 0.125 && 0.125 <= hi && hi - lo < 1e-12, "{lo} {hi}");
    }
}
