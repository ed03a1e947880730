//! proptest strategies for targets and grade parameters.
//!
//! [`expression`] generates target expressions in `x1..xd` that are defined and continuous
//! on all of `R^d`: every operation used (`+ - *`, `sin cos exp atan abs min max`, squaring
//! and `1/(1+u^2)`) is total and continuous, so any generated target is a legitimate input
//! for the prover on the cube.

use num_rational::BigRational;
use num_traits::One;
use proptest::prelude::*;

use crate::prover::Config;

/// A generated expression with crude a priori bounds over the cube `[0,1]^d`.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The expression in the target language.
    pub text: String,
    /// An upper bound of `|f|` on the cube.
    pub bound: f64,
    /// An upper bound of the 1-norm of the gradient of `f` on the cube (of a Clarke
    /// gradient where `f` has kinks), i.e. a Lipschitz constant for the sup norm of steps.
    pub lipschitz: f64,
}

impl Generated {
    fn leaf(text: String, bound: f64, lipschitz: f64) -> Self {
        Generated {
            text,
            bound,
            lipschitz,
        }
    }

    fn unary(&self, text: String, bound: f64, derivative_bound: f64) -> Self {
        Generated {
            text,
            bound,
            lipschitz: derivative_bound * self.lipschitz,
        }
    }
}

/// Above this bound the argument of `exp` is squashed by `atan` first, so that nested
/// exponentials cannot overflow.
const EXP_ARGUMENT_LIMIT: f64 = 4.0;

/// A constant: a quarter-integer in `[-3, 3]` (negative ones parenthesised) or `pi`.
fn constant() -> impl Strategy<Value = Generated> {
    prop_oneof![
        4 => (-12i32..=12).prop_map(|k| {
            let v = f64::from(k) / 4.0;
            let text = if k < 0 { format!("({v})") } else { format!("{v}") };
            Generated::leaf(text, v.abs(), 0.0)
        }),
        1 => Just(Generated::leaf("pi".to_string(), 3.2, 0.0)),
    ]
}

/// A variable `x1..x{dim}`, half of the time shifted by a multiple of 1/8 in `(0, 1)`.
fn variable(dim: usize) -> impl Strategy<Value = Generated> {
    (1..=dim, 0u32..14).prop_map(|(i, shift)| {
        if shift >= 7 {
            Generated::leaf(format!("x{i}"), 1.0, 1.0)
        } else {
            let c = f64::from(shift + 1) / 8.0;
            Generated::leaf(format!("(x{i} - {c})"), 1.0, 1.0)
        }
    })
}

fn exp_of(u: &Generated) -> Generated {
    if u.bound <= EXP_ARGUMENT_LIMIT {
        let e = u.bound.exp();
        u.unary(format!("exp({})", u.text), e, e)
    } else {
        let e = std::f64::consts::FRAC_PI_2.exp();
        u.unary(format!("exp(atan({}))", u.text), e, e)
    }
}

fn binary(a: &Generated, b: &Generated, op: u8) -> Generated {
    let (ta, tb) = (&a.text, &b.text);
    match op {
        0 => Generated {
            text: format!("({ta} + {tb})"),
            bound: a.bound + b.bound,
            lipschitz: a.lipschitz + b.lipschitz,
        },
        1 => Generated {
            text: format!("({ta} - {tb})"),
            bound: a.bound + b.bound,
            lipschitz: a.lipschitz + b.lipschitz,
        },
        2 => Generated {
            text: format!("({ta} * {tb})"),
            bound: a.bound * b.bound,
            lipschitz: a.lipschitz * b.bound + b.lipschitz * a.bound,
        },
        3 => Generated {
            text: format!("min({ta}, {tb})"),
            bound: a.bound.max(b.bound),
            lipschitz: a.lipschitz.max(b.lipschitz),
        },
        _ => Generated {
            text: format!("max({ta}, {tb})"),
            bound: a.bound.max(b.bound),
            lipschitz: a.lipschitz.max(b.lipschitz),
        },
    }
}

fn unary(u: &Generated, op: u8) -> Generated {
    let t = &u.text;
    match op {
        0 => u.unary(format!("sin({t})"), 1.0, 1.0),
        1 => u.unary(format!("cos({t})"), 1.0, 1.0),
        2 => exp_of(u),
        3 => u.unary(format!("atan({t})"), std::f64::consts::FRAC_PI_2, 1.0),
        4 => u.unary(format!("abs({t})"), u.bound, 1.0),
        5 => u.unary(format!("({t})^2"), u.bound * u.bound, 2.0 * u.bound),
        // |d/du 1/(1+u^2)| = 2|u|/(1+u^2)^2 <= 3 sqrt(3)/8 < 0.65.
        _ => u.unary(format!("1/(1 + ({t})^2)"), 1.0, 0.65),
    }
}

/// Expressions in `x1..x{dim}` with at most `depth` levels of operations, with their
/// bounds.
pub fn generated(dim: usize, depth: u32) -> BoxedStrategy<Generated> {
    assert!((1..=6).contains(&dim), "dimension {dim} out of range");
    let leaf = prop_oneof![3 => variable(dim), 1 => constant()];
    leaf.prop_recursive(depth, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone(), 0u8..5).prop_map(|(a, b, op)| binary(&a, &b, op)),
            (inner, 0u8..7).prop_map(|(u, op)| unary(&u, op)),
        ]
    })
    .boxed()
}

/// Target expressions in `x1..x{dim}`, defined and continuous everywhere, up to three
/// levels of operations deep.
pub fn expression(dim: usize) -> BoxedStrategy<String> {
    generated(dim, 3).prop_map(|g| g.text).boxed()
}

/// The operator's parameters: `theta` and `kappa` in `(0, 1)` with
/// `rho = theta (1 + kappa) < 1`, as exact rationals with small denominators.
pub fn operator_parameters() -> BoxedStrategy<(BigRational, BigRational)> {
    (1i64..16, 1i64..16)
        .prop_map(|(t, k)| {
            (
                BigRational::new(t.into(), 16.into()),
                BigRational::new(k.into(), 16.into()),
            )
        })
        .prop_filter("rho = theta (1 + kappa) < 1", |(t, k)| {
            t * (BigRational::one() + k) < BigRational::one()
        })
        .boxed()
}

/// A prover configuration for a few grades, with random operator parameters and `L^p`
/// exponents (1 and another in `[1, 4]`).
pub fn configs(max_grades: usize) -> BoxedStrategy<Config> {
    (operator_parameters(), 1..=max_grades.max(1), 4i64..=16)
        .prop_map(|((theta, kappa), grades, p)| Config {
            theta,
            kappa,
            grades: Some(grades),
            exponents: vec![BigRational::one(), BigRational::new(p.into(), 4.into())],
            ..Config::default()
        })
        .boxed()
}
