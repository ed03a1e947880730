//! The compiled form of an expression: a flat list of instructions, each reading earlier
//! slots by index and writing its own, plus the pointwise semantics of every operation in
//! `f64` and in decorated intervals.
//!
//! Subexpressions without variables are folded at compile time. Rational ones (literals
//! combined with `+ - * /`, integer powers, `abs`, `min`, `max`) are folded exactly and
//! enclosed by the tightest interval around their exact value; that exact value also decides
//! whether an exponent is an integer, and so whether `^` means the integer power (defined
//! for all real bases) or the real power (defined for positive bases only).

use super::parse::{Ast, BinOp, Func};
use crate::exact::to_f64_nearest;
use inari::{DecInterval, Interval};
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Size limit, in bits of numerator plus denominator, beyond which constants are no longer
/// folded exactly (they are still folded in interval arithmetic).
const MAX_EXACT_BITS: u64 = 16_384;

pub(crate) const ZERO: Interval = inari::const_interval!(0.0, 0.0);
pub(crate) const ONE: Interval = inari::const_interval!(1.0, 1.0);
const TWO: Interval = inari::const_interval!(2.0, 2.0);
const SIGN_UNKNOWN: Interval = inari::const_interval!(-1.0, 1.0);

/// A one-argument function on the tape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unary {
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Abs,
}

/// A two-argument operation on the tape (integer powers have their own instruction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    /// The real power `u^v`, defined for `u > 0`, and for `u = 0` when `v > 0`.
    Pow,
    Min,
    Max,
}

/// One instruction; operands are indices of earlier instructions.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Instr {
    /// The coordinate with this 0-based index.
    Var(usize),
    /// A constant: an enclosure of its exact value and an `f64` approximation.
    Const {
        value: DecInterval,
        approx: f64,
    },
    Neg(usize),
    Binary(Binary, usize, usize),
    /// The integer power, defined for every real base when the exponent is nonnegative and
    /// for every nonzero base otherwise.
    Powi(usize, i32),
    Unary(Unary, usize),
}

/// A compiled expression: its instructions and the slot that holds the result.
#[derive(Clone, Debug)]
pub(crate) struct Tape {
    pub(crate) instrs: Vec<Instr>,
    pub(crate) result: usize,
}

impl Tape {
    pub(crate) fn len(&self) -> usize {
        self.instrs.len()
    }

    /// Whether slot `k` holds a constant (its gradient is zero).
    pub(crate) fn is_const(&self, k: usize) -> bool {
        matches!(self.instrs[k], Instr::Const { .. })
    }
}

/// A constant known at compile time.
#[derive(Clone, Debug)]
struct Konst {
    value: DecInterval,
    approx: f64,
    /// The exact value, when it is rational and not too large.
    exact: Option<BigRational>,
}

impl Konst {
    fn exact(r: BigRational) -> Konst {
        let small = r.numer().bits() + r.denom().bits() <= MAX_EXACT_BITS;
        Konst {
            value: tight_hull(&r),
            approx: to_f64_nearest(&r),
            // A huge value stays enclosed but is no longer carried exactly.
            exact: small.then_some(r),
        }
    }

    fn inexact(value: DecInterval, approx: f64) -> Konst {
        Konst {
            value,
            approx,
            exact: None,
        }
    }
}

/// The tightest interval with `f64` bounds containing `r`, decorated `com` (or `dac` when
/// `r` lies beyond the largest `f64`).
///
/// inari's text parser reads `p/q` exactly (with GMP) and rounds each bound outwards.
pub(crate) fn tight_hull(r: &BigRational) -> DecInterval {
    let text = if r.denom().is_one() {
        format!("[{}]", r.numer())
    } else {
        format!("[{}/{}]", r.numer(), r.denom())
    };
    // The text is always well formed; should parsing ever fail, the whole line still
    // encloses the value.
    text.parse::<DecInterval>().unwrap_or(DecInterval::ENTIRE)
}

/// An operand during compilation: a slot on the tape, or a constant not yet placed there.
enum Val {
    Node(usize),
    Const(Konst),
}

struct Compiler {
    instrs: Vec<Instr>,
    /// The slot already holding each variable, so that each is loaded once.
    vars: Vec<Option<usize>>,
}

/// Compiles a parsed expression in `dim` variables.
pub(crate) fn compile(ast: &Ast, dim: usize) -> Tape {
    let mut c = Compiler {
        instrs: Vec::new(),
        vars: vec![None; dim],
    };
    let root = c.expr(ast);
    let result = c.node(root);
    Tape {
        instrs: c.instrs,
        result,
    }
}

impl Compiler {
    fn push(&mut self, instr: Instr) -> usize {
        self.instrs.push(instr);
        self.instrs.len() - 1
    }

    /// The slot holding `v`, placing a constant on the tape if needed.
    fn node(&mut self, v: Val) -> usize {
        match v {
            Val::Node(k) => k,
            Val::Const(k) => self.push(Instr::Const {
                value: k.value,
                approx: k.approx,
            }),
        }
    }

    fn expr(&mut self, ast: &Ast) -> Val {
        match ast {
            Ast::Num(r) => Val::Const(Konst::exact(r.clone())),
            Ast::Pi => Val::Const(Konst::inexact(DecInterval::PI, std::f64::consts::PI)),
            Ast::E => Val::Const(Konst::inexact(DecInterval::E, std::f64::consts::E)),
            Ast::Var(k) => {
                let slot = match self.vars[*k] {
                    Some(slot) => slot,
                    None => {
                        let slot = self.push(Instr::Var(*k));
                        self.vars[*k] = Some(slot);
                        slot
                    }
                };
                Val::Node(slot)
            }
            Ast::Neg(a) => {
                let a = self.expr(a);
                self.neg(a)
            }
            Ast::Chain(first, rest) => {
                let mut acc = self.expr(first);
                for (op, operand) in rest {
                    let b = self.expr(operand);
                    let op = match op {
                        BinOp::Add => Binary::Add,
                        BinOp::Sub => Binary::Sub,
                        BinOp::Mul => Binary::Mul,
                        BinOp::Div => Binary::Div,
                    };
                    acc = self.binary(op, acc, b);
                }
                acc
            }
            Ast::Pow(a, b) => {
                let a = self.expr(a);
                let b = self.expr(b);
                self.pow(a, b)
            }
            Ast::Call(f, args) => {
                let unary = match f {
                    Func::Min | Func::Max => {
                        let op = if *f == Func::Min {
                            Binary::Min
                        } else {
                            Binary::Max
                        };
                        let mut acc = self.expr(&args[0]);
                        for arg in &args[1..] {
                            let b = self.expr(arg);
                            acc = self.binary(op, acc, b);
                        }
                        return acc;
                    }
                    Func::Sqrt => Unary::Sqrt,
                    Func::Exp => Unary::Exp,
                    Func::Log => Unary::Log,
                    Func::Sin => Unary::Sin,
                    Func::Cos => Unary::Cos,
                    Func::Tan => Unary::Tan,
                    Func::Atan => Unary::Atan,
                    Func::Sinh => Unary::Sinh,
                    Func::Cosh => Unary::Cosh,
                    Func::Tanh => Unary::Tanh,
                    Func::Abs => Unary::Abs,
                };
                let a = self.expr(&args[0]);
                self.unary(unary, a)
            }
        }
    }

    fn neg(&mut self, a: Val) -> Val {
        match a {
            Val::Const(k) => Val::Const(match k.exact {
                Some(r) => Konst::exact(-r),
                None => Konst::inexact(-k.value, -k.approx),
            }),
            Val::Node(a) => Val::Node(self.push(Instr::Neg(a))),
        }
    }

    fn binary(&mut self, op: Binary, a: Val, b: Val) -> Val {
        match (a, b) {
            (Val::Const(ka), Val::Const(kb)) => {
                let exact = match (&ka.exact, &kb.exact) {
                    (Some(ra), Some(rb)) => exact_binary(op, ra, rb),
                    _ => None,
                };
                Val::Const(match exact {
                    Some(r) => Konst::exact(r),
                    None => Konst::inexact(
                        dec_binary(op, ka.value, kb.value),
                        f64_binary(op, ka.approx, kb.approx),
                    ),
                })
            }
            (a, b) => {
                let a = self.node(a);
                let b = self.node(b);
                Val::Node(self.push(Instr::Binary(op, a, b)))
            }
        }
    }

    /// `a^b`: the integer power when `b` is a rational constant equal to an `i32`,
    /// otherwise the real power.
    fn pow(&mut self, a: Val, b: Val) -> Val {
        let integer = match &b {
            Val::Const(Konst { exact: Some(r), .. }) if r.is_integer() => r.numer().to_i32(),
            _ => None,
        };
        let Some(n) = integer else {
            return self.binary(Binary::Pow, a, b);
        };
        match a {
            Val::Const(k) => {
                let exact = k.exact.as_ref().and_then(|r| exact_powi(r, n));
                Val::Const(match exact {
                    Some(r) => Konst::exact(r),
                    None => Konst::inexact(k.value.powi(n), f64_powi(k.approx, n)),
                })
            }
            Val::Node(a) if n == 1 => Val::Node(a),
            Val::Node(a) => Val::Node(self.push(Instr::Powi(a, n))),
        }
    }

    fn unary(&mut self, f: Unary, a: Val) -> Val {
        match a {
            Val::Const(k) => Val::Const(match (f, k.exact) {
                (Unary::Abs, Some(r)) => Konst::exact(r.abs()),
                _ => Konst::inexact(dec_unary(f, k.value), f64_unary(f, k.approx)),
            }),
            Val::Node(a) => Val::Node(self.push(Instr::Unary(f, a))),
        }
    }
}

/// The exact result of a rational operation, or `None` when it is undefined (division by
/// zero), irrational (real powers) or too large.
fn exact_binary(op: Binary, a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let r = match op {
        Binary::Add => a + b,
        Binary::Sub => a - b,
        Binary::Mul => a * b,
        Binary::Div if b.is_zero() => return None,
        Binary::Div => a / b,
        Binary::Pow => return None,
        Binary::Min => a.min(b).clone(),
        Binary::Max => a.max(b).clone(),
    };
    (r.numer().bits() + r.denom().bits() <= MAX_EXACT_BITS).then_some(r)
}

/// `a^n` exactly, or `None` when undefined (`0^n` with `n < 0`) or too large.
fn exact_powi(a: &BigRational, n: i32) -> Option<BigRational> {
    if n < 0 && a.is_zero() {
        return None;
    }
    let size = (a.numer().bits() + a.denom().bits()).max(1);
    if size.saturating_mul(u64::from(n.unsigned_abs())) > MAX_EXACT_BITS {
        return None;
    }
    let e = n.unsigned_abs();
    let p = BigRational::new(a.numer().pow(e), a.denom().pow(e));
    Some(if n < 0 { p.recip() } else { p })
}

// ---------------------------------------------------------------------------------------
// Pointwise semantics. The interval versions are inari's decorated operations; the `f64`
// versions return NaN wherever the interval version is undefined.

/// `op(a, b)` in decorated interval arithmetic.
pub(crate) fn dec_binary(op: Binary, a: DecInterval, b: DecInterval) -> DecInterval {
    match op {
        Binary::Add => a + b,
        Binary::Sub => a - b,
        Binary::Mul => a * b,
        Binary::Div => a / b,
        Binary::Pow => a.pow(b),
        Binary::Min => a.min(b),
        Binary::Max => a.max(b),
    }
}

/// `f(a)` in decorated interval arithmetic.
pub(crate) fn dec_unary(f: Unary, a: DecInterval) -> DecInterval {
    match f {
        Unary::Sqrt => a.sqrt(),
        Unary::Exp => a.exp(),
        Unary::Log => a.ln(),
        Unary::Sin => a.sin(),
        Unary::Cos => a.cos(),
        Unary::Tan => a.tan(),
        Unary::Atan => a.atan(),
        Unary::Sinh => a.sinh(),
        Unary::Cosh => a.cosh(),
        Unary::Tanh => a.tanh(),
        Unary::Abs => a.abs(),
    }
}

/// `op(a, b)` in `f64`; NaN where undefined (division by zero, real power outside its
/// domain) or when an operand is NaN.
pub(crate) fn f64_binary(op: Binary, a: f64, b: f64) -> f64 {
    match op {
        Binary::Add => a + b,
        Binary::Sub => a - b,
        Binary::Mul => a * b,
        Binary::Div if b == 0.0 => f64::NAN,
        Binary::Div => a / b,
        Binary::Pow => f64_pow(a, b),
        // `f64::min` would drop a NaN operand; an undefined operand must stay undefined.
        Binary::Min if a.is_nan() || b.is_nan() => f64::NAN,
        Binary::Min => a.min(b),
        Binary::Max if a.is_nan() || b.is_nan() => f64::NAN,
        Binary::Max => a.max(b),
    }
}

/// The real power with inari's domain: `a > 0`, or `a = 0` with `b > 0`.
pub(crate) fn f64_pow(a: f64, b: f64) -> f64 {
    if a > 0.0 {
        a.powf(b)
    } else if a == 0.0 && b > 0.0 {
        0.0
    } else {
        f64::NAN
    }
}

/// The integer power; NaN for `0^n` with `n < 0`.
pub(crate) fn f64_powi(a: f64, n: i32) -> f64 {
    if n < 0 && a == 0.0 {
        f64::NAN
    } else {
        a.powi(n)
    }
}

/// `f(a)` in `f64`; NaN outside the domain (`log` of a nonpositive number included).
pub(crate) fn f64_unary(f: Unary, a: f64) -> f64 {
    match f {
        Unary::Sqrt => a.sqrt(),
        Unary::Exp => a.exp(),
        Unary::Log if a > 0.0 => a.ln(),
        Unary::Log => f64::NAN,
        Unary::Sin => a.sin(),
        Unary::Cos => a.cos(),
        Unary::Tan => a.tan(),
        Unary::Atan => a.atan(),
        Unary::Sinh => a.sinh(),
        Unary::Cosh => a.cosh(),
        Unary::Tanh => a.tanh(),
        Unary::Abs => a.abs(),
    }
}

/// The derivative `f'(a)` in `f64`, given `fa = f(a)`.
pub(crate) fn f64_unary_derivative(f: Unary, a: f64, fa: f64) -> f64 {
    match f {
        Unary::Sqrt => 0.5 / fa,
        Unary::Exp => fa,
        Unary::Log => 1.0 / a,
        Unary::Sin => a.cos(),
        Unary::Cos => -a.sin(),
        Unary::Tan => 1.0 + fa * fa,
        Unary::Atan => 1.0 / (1.0 + a * a),
        Unary::Sinh => a.cosh(),
        Unary::Cosh => a.sinh(),
        Unary::Tanh => 1.0 - fa * fa,
        Unary::Abs if a > 0.0 => 1.0,
        Unary::Abs if a < 0.0 => -1.0,
        Unary::Abs => 0.0,
    }
}

/// An enclosure of `f'` over the interval `a`, given an enclosure `fa` of `f(a)`.
///
/// Where `f` is not differentiable or its derivative is unbounded over `a`, the result is
/// unbounded; for `abs` it is the Clarke generalised derivative `sign(a)`, which is `[-1, 1]`
/// when `a` straddles zero.
pub(crate) fn interval_unary_derivative(f: Unary, a: Interval, fa: Interval) -> Interval {
    match f {
        // For a = [0, b]: 1 / [0, 2 sqrt(b)] = [1/(2 sqrt(b)), +inf].
        Unary::Sqrt => ONE / (TWO * fa),
        Unary::Exp => fa,
        Unary::Log => ONE / a,
        Unary::Sin => a.cos(),
        Unary::Cos => -a.sin(),
        Unary::Tan => ONE + fa.sqr(),
        Unary::Atan => ONE / (ONE + a.sqr()),
        Unary::Sinh => a.cosh(),
        Unary::Cosh => a.sinh(),
        Unary::Tanh => ONE - fa.sqr(),
        Unary::Abs => {
            if a.inf() >= 0.0 {
                ONE
            } else if a.sup() <= 0.0 {
                -ONE
            } else {
                SIGN_UNKNOWN
            }
        }
    }
}
