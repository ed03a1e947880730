//! Target expressions: the continuous function `f` on `[0,1]^d` that the crate approximates.
//!
//! An expression such as `exp(-abs(x-0.3)-abs(y-0.6))` is parsed once, compiled into a flat
//! tape, and then evaluated
//! - in `f64`, with or without a gradient, to guide searches (never for proofs);
//! - in IEEE 1788 decorated intervals (inari), as the natural interval extension over a box,
//!   with an optional forward-mode gradient enclosure for mean-value forms.
//!
//! Soundness of the interval results is what proofs rely on: the value enclosure contains
//! `f(B)` for the box `B`, and a decoration `dac` or `com` certifies that `f` is defined and
//! continuous on all of `B`. Decimal literals are exact rationals (`0.1` is `1/10`), enclosed
//! by the tightest interval with `f64` bounds.
//!
//! # Language
//! - variables `x1 .. xd`, and `x`, `y`, `z` for `x1`, `x2`, `x3` when `d <= 3`;
//! - constants `pi`, `e`, and decimal literals (`3`, `0.1`, `.5`, `1e-3`, `2.5E+2`);
//! - `+ - * / ^`, unary `-` and `+`; `^` is right associative and binds tighter than unary
//!   minus (`-x^2 = -(x^2)`, `2^3^2 = 2^9`, `2^-1` is allowed);
//! - `sqrt exp log ln sin cos tan atan sinh cosh tanh abs` (one argument), `min max` (two or
//!   more); `log` and `ln` are the natural logarithm.
//!
//! `u^c` with `c` a rational constant equal to an `i32` is the integer power, defined for
//! every real `u` (for nonzero `u` when `c < 0`); any other `u^v` is the real power, defined
//! for `u > 0`, and for `u = 0` when `v > 0`.

mod eval;
mod parse;
mod tape;

use inari::{DecInterval, Interval};
use std::cell::Cell;
use std::fmt;

/// A compiled target expression in a fixed number of variables.
#[derive(Clone, Debug)]
pub struct Target {
    source: String,
    dim: usize,
    tape: tape::Tape,
}

/// A syntax error, located by its 1-based column (character position in the source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub column: usize,
    /// Lowercase, without a trailing period.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// The source line holding the error, a caret under the offending column, and the
    /// message, on three lines. Tabs and carriage returns are shown as spaces so that the
    /// caret lines up.
    pub fn render(&self, source: &str) -> String {
        let chars: Vec<char> = source.chars().collect();
        let at = self.column.saturating_sub(1).min(chars.len());
        let start = chars[..at]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |p| p + 1);
        let end = chars[at..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| at + p);
        let line: String = chars[start..end]
            .iter()
            .map(|&c| if c == '\t' || c == '\r' { ' ' } else { c })
            .collect();
        let pad = " ".repeat(at - start);
        format!("{}\n{pad}^\n{self}", line.trim_end())
    }
}

/// Reusable workspace for evaluating one [`Target`], so that hot loops allocate nothing.
///
/// A scratch made for one target also works for another: it grows on first use if needed.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    values: Vec<DecInterval>,
    gradients: Vec<Interval>,
    values_f64: Vec<f64>,
    gradients_f64: Vec<f64>,
}

impl Scratch {
    fn fit_values(&mut self, n: usize) {
        if self.values.len() < n {
            self.values.resize(n, DecInterval::EMPTY);
        }
    }

    fn fit_gradients(&mut self, n: usize, d: usize) {
        self.fit_values(n);
        if self.gradients.len() < n * d {
            self.gradients.resize(n * d, Interval::ENTIRE);
        }
    }

    fn fit_f64(&mut self, n: usize, d: usize) {
        if self.values_f64.len() < n {
            self.values_f64.resize(n, 0.0);
        }
        if self.gradients_f64.len() < n * d {
            self.gradients_f64.resize(n * d, 0.0);
        }
    }
}

thread_local! {
    /// Workspace of [`Target::eval_f64`], which takes no [`Scratch`]; it is reused across
    /// calls on the same thread.
    static F64_WORKSPACE: Cell<Vec<f64>> = const { Cell::new(Vec::new()) };
}

impl Target {
    /// Parses `source` as a function of `dim` variables (`dim >= 1`).
    ///
    /// # Errors
    ///
    /// A [`ParseError`] at the leftmost problem: a stray character, a malformed number, an
    /// unknown name, a wrong number of arguments, an unbalanced parenthesis, a missing
    /// operator (there is no implicit multiplication), trailing input or empty input.
    pub fn parse(source: &str, dim: usize) -> Result<Target, ParseError> {
        if dim == 0 {
            return Err(ParseError {
                column: 1,
                message: "the target needs at least 1 variable".to_string(),
            });
        }
        let ast = parse::parse(source, dim)?;
        Ok(Target {
            source: source.to_string(),
            dim,
            tape: tape::compile(&ast, dim),
        })
    }

    /// The text the target was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The number of variables.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// A workspace sized for this target.
    pub fn scratch(&self) -> Scratch {
        let mut s = Scratch::default();
        let n = self.tape.len();
        s.fit_gradients(n, self.dim);
        s.fit_f64(n, self.dim);
        s
    }

    fn check_point_len(&self, len: usize) {
        assert_eq!(
            len, self.dim,
            "a point of the wrong dimension for {:?}",
            self.source
        );
    }

    /// The `f64` value at `x` (NaN where undefined); for search, not proofs.
    ///
    /// # Panics
    ///
    /// If `x.len()` differs from [`Target::dim`].
    pub fn eval_f64(&self, x: &[f64]) -> f64 {
        self.check_point_len(x.len());
        F64_WORKSPACE.with(|cell| {
            let mut vals = cell.take();
            if vals.len() < self.tape.len() {
                vals.resize(self.tape.len(), 0.0);
            }
            let v = self.tape.eval_f64(x, &mut vals);
            cell.set(vals);
            v
        })
    }

    /// The `f64` value at `x` and its gradient, written to `grad` (for search). At points
    /// where `abs`, `min` or `max` is not differentiable one of the one-sided gradients is
    /// returned.
    ///
    /// # Panics
    ///
    /// If `x.len()` or `grad.len()` differs from [`Target::dim`].
    pub fn gradient_f64(&self, x: &[f64], grad: &mut [f64], scratch: &mut Scratch) -> f64 {
        self.check_point_len(x.len());
        self.check_point_len(grad.len());
        scratch.fit_f64(self.tape.len(), self.dim);
        self.tape
            .gradient_f64(x, &mut scratch.values_f64, &mut scratch.gradients_f64, grad)
    }

    /// The natural interval extension over the box `x` (decorated): encloses `f(B)`; the
    /// decoration `com` or `dac` means that `f` is defined and continuous on the whole box.
    ///
    /// # Panics
    ///
    /// If `x.len()` differs from [`Target::dim`].
    pub fn eval_dec(&self, x: &[Interval], scratch: &mut Scratch) -> DecInterval {
        self.check_point_len(x.len());
        scratch.fit_values(self.tape.len());
        self.tape.eval_dec(x, &mut scratch.values)
    }

    /// The same value as [`Target::eval_dec`], plus a gradient enclosure written to `grad`:
    /// for all points `a`, `b` of the box, `f(b) - f(a)` lies in
    /// `sum_i grad[i] * (b_i - a_i)`.
    ///
    /// The enclosure follows the chain rule in interval arithmetic; `abs`, `min` and `max`
    /// use Clarke generalised gradients, so the inclusion also holds across their kinks.
    /// Components are unbounded where a derivative is unbounded on the box (`sqrt` at 0, for
    /// instance), and all are the entire line when the value is not decorated `dac` or
    /// `com`.
    ///
    /// # Panics
    ///
    /// If `x.len()` or `grad.len()` differs from [`Target::dim`].
    pub fn eval_with_gradient(
        &self,
        x: &[Interval],
        grad: &mut [Interval],
        scratch: &mut Scratch,
    ) -> DecInterval {
        self.check_point_len(x.len());
        self.check_point_len(grad.len());
        scratch.fit_gradients(self.tape.len(), self.dim);
        self.tape
            .eval_with_gradient(x, &mut scratch.values, &mut scratch.gradients, grad)
    }
}

#[cfg(test)]
mod tests;
