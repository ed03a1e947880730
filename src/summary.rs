//! A certificate's figures as plain numbers, for tables and JSON output (not for proofs:
//! every value here is the `f64` nearest to the certificate's exact rational).

use serde::Serialize;

use crate::cert::{Bounds, Certificate};
use crate::exact;

/// One `L^p` enclosure.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LpRow {
    pub p: f64,
    pub lower: f64,
    pub upper: f64,
}

/// One grade's line of the summary.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GradeRow {
    pub grade: usize,
    pub grid: u32,
    pub hats: usize,
    pub depth: usize,
    pub params: usize,
    pub eps: f64,
    pub delta: f64,
    pub sup_upper: f64,
    pub sup_lower: f64,
    pub lp: Vec<LpRow>,
    pub monotone_certified: bool,
    pub strict_decay_witness: Vec<[f64; 2]>,
    pub leaves: usize,
}

/// The whole run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub target: String,
    pub dim: usize,
    pub width: usize,
    pub theta: f64,
    pub kappa: f64,
    pub stopped_by: String,
    pub complete: bool,
    pub initial_sup_upper: f64,
    pub initial_sup_lower: f64,
    pub initial_lp: Vec<LpRow>,
    pub final_sup_upper: f64,
    pub total_hats: usize,
    pub total_depth: usize,
    pub total_params: usize,
    pub grades: Vec<GradeRow>,
}

fn num(text: &str) -> f64 {
    exact::parse(text).map_or(f64::NAN, |r| exact::to_f64_nearest(&r))
}

fn lp_rows(bounds: &Bounds) -> Vec<LpRow> {
    bounds
        .lp
        .iter()
        .map(|l| LpRow {
            p: num(&l.p),
            lower: num(&l.lower),
            upper: num(&l.upper),
        })
        .collect()
}

impl Summary {
    /// The figures of `cert`. Every grade in a certificate is certified (the prover writes
    /// only certified grades), hence `monotone_certified` is true for each row; whether the
    /// file deserves that trust is for `check` to say.
    pub fn of(cert: &Certificate) -> Self {
        let grades: Vec<GradeRow> = cert
            .grades
            .iter()
            .map(|g| GradeRow {
                grade: g.grade,
                grid: g.grid,
                hats: g.hats,
                depth: g.layers,
                params: g.params,
                eps: num(&g.eps),
                delta: num(&g.delta),
                sup_upper: num(&g.bounds.sup_upper),
                sup_lower: num(&g.bounds.sup_lower),
                lp: lp_rows(&g.bounds),
                monotone_certified: true,
                strict_decay_witness: g.witness.iter().map(|[a, b]| [num(a), num(b)]).collect(),
                leaves: g.bounds.leaves,
            })
            .collect();
        let initial_sup = num(&cert.initial.sup_upper);
        Summary {
            target: cert.target.clone(),
            dim: cert.dim,
            width: cert.width,
            theta: num(&cert.theta),
            kappa: num(&cert.kappa),
            stopped_by: cert.stopped_by.clone(),
            complete: matches!(cert.stopped_by.as_str(), "grades" | "tolerance"),
            initial_sup_upper: initial_sup,
            initial_sup_lower: num(&cert.initial.sup_lower),
            initial_lp: lp_rows(&cert.initial),
            final_sup_upper: grades.last().map_or(initial_sup, |g| g.sup_upper),
            total_hats: grades.iter().map(|g| g.hats).sum(),
            total_depth: grades.iter().map(|g| g.depth).sum(),
            total_params: grades.iter().map(|g| g.params).sum(),
            grades,
        }
    }

    /// A plain-text table, one line per grade.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let ps: Vec<String> = self
            .initial_lp
            .iter()
            .map(|l| format!("L^{}", l.p))
            .collect();
        out.push_str(&format!(
            "target {} on [0,1]^{}, width W({}) = {}, theta = {}, kappa = {}\n",
            self.target, self.dim, self.dim, self.width, self.theta, self.kappa
        ));
        out.push_str(&format!(
            "grade 0 (the target): {:.4e} <= sup|f| <= {:.4e}\n",
            self.initial_sup_lower, self.initial_sup_upper
        ));
        out.push_str(&format!(
            "{:>5} {:>6} {:>7} {:>8} {:>10} {:>10} {:>21}  {}  {}\n",
            "grade",
            "grid",
            "hats",
            "depth",
            "eps",
            "delta",
            "L_n <= sup|r_n| <= U_n",
            ps.iter()
                .map(|p| format!("{p:^23}"))
                .collect::<Vec<_>>()
                .join(" "),
            "verdict"
        ));
        for g in &self.grades {
            let lp: Vec<String> =
                g.lp.iter()
                    .map(|l| format!("[{:.4e}, {:.4e}]", l.lower, l.upper))
                    .collect();
            out.push_str(&format!(
                "{:>5} {:>6} {:>7} {:>8} {:>10.3e} {:>10.3e} {:>10.4e} {:>10.4e}  {}  {}\n",
                g.grade,
                g.grid,
                g.hats,
                g.depth,
                g.eps,
                g.delta,
                g.sup_lower,
                g.sup_upper,
                lp.join(" "),
                "monotone, contracting, strict L^p decay"
            ));
        }
        out.push_str(&format!(
            "{} grades, {} hats, depth {}, {} parameters; final sup bound {:.4e} ({})\n",
            self.grades.len(),
            self.total_hats,
            self.total_depth,
            self.total_params,
            self.final_sup_upper,
            if self.complete {
                format!("stopped by {}", self.stopped_by)
            } else {
                format!("STOPPED EARLY: {}", self.stopped_by)
            }
        ));
        out
    }
}
