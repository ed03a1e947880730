//! Lexer and recursive-descent parser for target expressions.
//!
//! The parser produces an [`Ast`]; it checks everything that can be wrong with the text
//! (names, arities, parentheses, operators) so that compilation never fails afterwards.
//! Tokens are read lazily, one ahead, so that the error reported is always the leftmost one.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := ('+' | '-') unary | power
//! power   := primary ('^' unary)?
//! primary := number | name | function '(' expr (',' expr)* ')' | '(' expr ')'
//! ```
//!
//! So `^` is right associative and binds tighter than a leading minus (`-x^2` is `-(x^2)`),
//! while its exponent may itself start with a sign (`2^-1`).

use super::ParseError;
use crate::exact::parse_decimal;
use num_rational::BigRational;

/// Largest decimal exponent accepted in a literal; far beyond the `f64` range, and small
/// enough that the exact value of the literal stays cheap to compute.
const MAX_LITERAL_EXPONENT: i64 = 4000;

/// Deepest nesting of parentheses, calls, signs and exponents accepted; far beyond any
/// reasonable target, and shallow enough for the recursive parser and compiler to stay well
/// within a thread's stack.
const MAX_NESTING: usize = 100;

/// A function of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
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
    Min,
    Max,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "sqrt" => Func::Sqrt,
            "exp" => Func::Exp,
            "log" | "ln" => Func::Log,
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "tan" => Func::Tan,
            "atan" => Func::Atan,
            "sinh" => Func::Sinh,
            "cosh" => Func::Cosh,
            "tanh" => Func::Tanh,
            "abs" => Func::Abs,
            "min" => Func::Min,
            "max" => Func::Max,
            _ => return None,
        })
    }

    /// `min` and `max` take two or more arguments, every other function exactly one.
    fn is_variadic(self) -> bool {
        matches!(self, Func::Min | Func::Max)
    }
}

/// A left-associative binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// The syntax tree of an expression. Variables are 0-based here.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ast {
    /// A decimal literal, with its exact value.
    Num(BigRational),
    Pi,
    E,
    Var(usize),
    Neg(Box<Ast>),
    /// `first op1 a1 op2 a2 ...`, evaluated from left to right. Sums and products are kept
    /// flat so that a long sum does not make a deep tree.
    Chain(Box<Ast>, Vec<(BinOp, Ast)>),
    Pow(Box<Ast>, Box<Ast>),
    Call(Func, Vec<Ast>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(String),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    End,
}

impl Tok {
    /// Whether this token can begin an operand: seeing one right after a complete operand
    /// means an operator is missing.
    fn starts_operand(&self) -> bool {
        matches!(self, Tok::Num(_) | Tok::Name(_) | Tok::LParen)
    }

    fn describe(&self) -> String {
        match self {
            Tok::Num(s) => format!("number {s}"),
            Tok::Name(s) => s.clone(),
            Tok::Plus => "+".into(),
            Tok::Minus => "-".into(),
            Tok::Star => "*".into(),
            Tok::Slash => "/".into(),
            Tok::Caret => "^".into(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Comma => ",".into(),
            Tok::End => "end of input".into(),
        }
    }
}

/// A token and its 1-based column.
#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    col: usize,
}

/// `first` alone, or the chain `first op a ...`.
fn chain(first: Ast, rest: Vec<(BinOp, Ast)>) -> Ast {
    if rest.is_empty() {
        first
    } else {
        Ast::Chain(Box::new(first), rest)
    }
}

fn err(column: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        column,
        message: message.into(),
    }
}

/// Describes the variables available in dimension `dim`, for error messages.
pub(crate) fn describe_variables(dim: usize) -> String {
    let list = match dim {
        1 => "1 variable: x1, also written x".to_string(),
        2 => "2 variables: x1, x2, also written x, y".to_string(),
        3 => "3 variables: x1, x2, x3, also written x, y, z".to_string(),
        4 => "4 variables: x1, x2, x3, x4".to_string(),
        _ => format!("{dim} variables: x1 to x{dim}"),
    };
    format!("the target has {list}")
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    cur: Token,
    dim: usize,
    /// Current nesting depth, see [`MAX_NESTING`].
    depth: usize,
}

/// Parses `source` as an expression in the variables `x1..x{dim}`.
pub(crate) fn parse(source: &str, dim: usize) -> Result<Ast, ParseError> {
    let mut p = Parser {
        chars: source.chars().collect(),
        pos: 0,
        cur: Token {
            tok: Tok::End,
            col: 1,
        },
        dim,
        depth: 0,
    };
    p.advance()?;
    if p.cur.tok == Tok::End {
        return Err(err(1, "empty expression"));
    }
    let ast = p.expr()?;
    match &p.cur.tok {
        Tok::End => Ok(ast),
        Tok::RParen => Err(err(p.cur.col, "unmatched )")),
        Tok::Comma => Err(err(p.cur.col, "unexpected , outside a function call")),
        t if t.starts_operand() => Err(p.missing_operator()),
        t => Err(err(p.cur.col, format!("unexpected {}", t.describe()))),
    }
}

impl Parser {
    fn peek_char(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    /// Reads the next token into `self.cur`.
    fn advance(&mut self) -> Result<(), ParseError> {
        while self.peek_char(0).is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        let col = self.pos + 1;
        let Some(c) = self.peek_char(0) else {
            self.cur = Token { tok: Tok::End, col };
            return Ok(());
        };
        let tok = if c.is_ascii_digit() || c == '.' {
            self.number()?
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = self.pos;
            while self
                .peek_char(0)
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.pos += 1;
            }
            Tok::Name(self.chars[start..self.pos].iter().collect())
        } else {
            self.pos += 1;
            match c {
                '+' => Tok::Plus,
                '-' => Tok::Minus,
                '*' if self.peek_char(0) == Some('*') => {
                    return Err(err(col, "** is not an operator; write ^ for powers"));
                }
                '*' => Tok::Star,
                '/' => Tok::Slash,
                '^' => Tok::Caret,
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                _ => return Err(err(col, format!("unexpected character {c:?}"))),
            }
        };
        self.cur = Token { tok, col };
        Ok(())
    }

    /// Reads a decimal literal: digits with an optional fraction and an optional exponent.
    /// An `e` not followed by exponent digits ends the number (it is then the constant `e`,
    /// which the parser rejects as a missing operator).
    fn number(&mut self) -> Result<Tok, ParseError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek_char(0).is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - s
        };
        let mut n = digits(self);
        if self.peek_char(0) == Some('.') {
            self.pos += 1;
            n += digits(self);
        }
        if n == 0 {
            return Err(err(start + 1, "a lone . is not a number"));
        }
        if self.peek_char(0) == Some('.') {
            return Err(err(self.pos + 1, "a number has at most one decimal point"));
        }
        if matches!(self.peek_char(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_char(1), Some('+' | '-')));
            if self.peek_char(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1 + sign;
                let exp_start = self.pos;
                digits(self);
                let exp: String = self.chars[exp_start..self.pos].iter().collect();
                let too_big = exp
                    .parse::<i64>()
                    .map_or(true, |e| e > MAX_LITERAL_EXPONENT);
                if too_big {
                    return Err(err(
                        start + 1,
                        format!(
                            "exponent too large (at most {MAX_LITERAL_EXPONENT} in absolute value)"
                        ),
                    ));
                }
                if self.peek_char(0) == Some('.') {
                    return Err(err(self.pos + 1, "unexpected . after the exponent"));
                }
            }
        }
        Ok(Tok::Num(self.chars[start..self.pos].iter().collect()))
    }

    fn missing_operator(&self) -> ParseError {
        err(
            self.cur.col,
            format!(
                "missing operator before {} (implicit multiplication is not supported)",
                self.cur.tok.describe()
            ),
        )
    }

    fn expected_operand(&self) -> ParseError {
        err(
            self.cur.col,
            format!(
                "expected a number, variable, function call or (, found {}",
                self.cur.tok.describe()
            ),
        )
    }

    fn expr(&mut self) -> Result<Ast, ParseError> {
        let first = self.term()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.cur.tok {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(chain(first, rest)),
            };
            self.advance()?;
            rest.push((op, self.term()?));
        }
    }

    fn term(&mut self) -> Result<Ast, ParseError> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.cur.tok {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                _ => return Ok(chain(first, rest)),
            };
            self.advance()?;
            rest.push((op, self.unary()?));
        }
    }

    /// Every level of nesting (parenthesis, function call, sign, exponent) passes through
    /// here, so this is where the nesting depth is bounded.
    fn unary(&mut self) -> Result<Ast, ParseError> {
        if self.depth >= MAX_NESTING {
            return Err(err(
                self.cur.col,
                format!("expression nested too deeply (at most {MAX_NESTING} levels)"),
            ));
        }
        self.depth += 1;
        let result = self.signed();
        self.depth -= 1;
        result
    }

    fn signed(&mut self) -> Result<Ast, ParseError> {
        match self.cur.tok {
            Tok::Minus => {
                self.advance()?;
                Ok(Ast::Neg(Box::new(self.unary()?)))
            }
            Tok::Plus => {
                self.advance()?;
                self.unary()
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Ast, ParseError> {
        let base = self.primary()?;
        if self.cur.tok != Tok::Caret {
            return Ok(base);
        }
        self.advance()?;
        let exponent = self.unary()?;
        Ok(Ast::Pow(Box::new(base), Box::new(exponent)))
    }

    fn primary(&mut self) -> Result<Ast, ParseError> {
        let Token { tok, col } = self.cur.clone();
        match tok {
            Tok::Num(text) => {
                let value = parse_decimal(&text)
                    .ok_or_else(|| err(col, format!("malformed number {text}")))?;
                self.advance()?;
                Ok(Ast::Num(value))
            }
            Tok::LParen => {
                self.advance()?;
                let inner = self.expr()?;
                self.close_paren(col)?;
                Ok(inner)
            }
            Tok::Name(name) => {
                self.advance()?;
                if let Some(func) = Func::from_name(&name) {
                    if self.cur.tok != Tok::LParen {
                        return Err(err(
                            self.cur.col,
                            format!("expected ( after the function name {name}"),
                        ));
                    }
                    return self.call(func, &name, col);
                }
                if let Some(ast) = self.resolve_name(&name) {
                    return Ok(ast);
                }
                if self.cur.tok == Tok::LParen {
                    Err(err(col, format!("unknown function {name}")))
                } else {
                    Err(err(
                        col,
                        format!("unknown variable {name} ({})", describe_variables(self.dim)),
                    ))
                }
            }
            _ => Err(self.expected_operand()),
        }
    }

    /// Expects the `)` matching the `(` at column `open`.
    fn close_paren(&mut self, open: usize) -> Result<(), ParseError> {
        match &self.cur.tok {
            Tok::RParen => self.advance(),
            Tok::End => Err(err(
                self.cur.col,
                format!("missing ) to close the ( at column {open}"),
            )),
            t if t.starts_operand() => Err(self.missing_operator()),
            t => Err(err(
                self.cur.col,
                format!("expected ), found {}", t.describe()),
            )),
        }
    }

    /// Parses the parenthesised arguments of `func`, named `name` at column `col`; the
    /// current token is the opening parenthesis.
    fn call(&mut self, func: Func, name: &str, col: usize) -> Result<Ast, ParseError> {
        let open = self.cur.col;
        self.advance()?;
        let mut args = vec![self.expr()?];
        loop {
            match &self.cur.tok {
                Tok::Comma => {
                    self.advance()?;
                    args.push(self.expr()?);
                }
                Tok::RParen => {
                    self.advance()?;
                    break;
                }
                Tok::End => {
                    return Err(err(
                        self.cur.col,
                        format!("missing ) to close the ( at column {open}"),
                    ))
                }
                t if t.starts_operand() => return Err(self.missing_operator()),
                t => {
                    return Err(err(
                        self.cur.col,
                        format!("expected , or ), found {}", t.describe()),
                    ))
                }
            }
        }
        let n = args.len();
        if func.is_variadic() && n < 2 {
            return Err(err(
                col,
                format!("{name} takes at least 2 arguments, found {n}"),
            ));
        }
        if !func.is_variadic() && n != 1 {
            return Err(err(col, format!("{name} takes 1 argument, found {n}")));
        }
        Ok(Ast::Call(func, args))
    }

    /// The constant or variable called `name`, if there is one in this dimension.
    fn resolve_name(&self, name: &str) -> Option<Ast> {
        match name {
            "pi" => return Some(Ast::Pi),
            "e" => return Some(Ast::E),
            _ => {}
        }
        let index = match name {
            "x" | "y" | "z" if self.dim > 3 => return None,
            "x" => 1,
            "y" => 2,
            "z" => 3,
            _ => {
                let digits = name.strip_prefix('x')?;
                let first = digits.chars().next()?;
                if first == '0' || !digits.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                digits.parse::<usize>().ok()?
            }
        };
        (index <= self.dim).then(|| Ast::Var(index - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column_of(source: &str, dim: usize) -> (usize, String) {
        let e = parse(source, dim).expect_err(source);
        (e.column, e.message)
    }

    #[test]
    fn error_columns() {
        let cases: &[(&str, usize, usize)] = &[
            ("sin(x", 1, 6),
            ("x +", 1, 4),
            ("2x", 1, 2),
            ("2 x", 1, 3),
            ("y", 1, 1),
            ("x + z", 2, 5),
            ("x0", 2, 1),
            ("x3", 2, 1),
            ("foo(x)", 1, 1),
            ("min(x)", 1, 1),
            ("sin(x, x)", 1, 1),
            ("x ** 2", 1, 3),
            ("", 1, 1),
            ("   ", 1, 1),
            (")", 1, 1),
            ("x)", 1, 2),
            ("1.2.3", 1, 4),
            ("(x + 1", 1, 7),
            ("x # 1", 1, 3),
            ("sin x", 1, 5),
            ("sin()", 1, 5),
            ("x(2)", 1, 2),
            ("1, 2", 1, 2),
            ("x^", 1, 3),
            ("*x", 1, 1),
            ("2 * . + 1", 1, 5),
            ("1e", 1, 2),
            ("x + 1e9999", 1, 5),
            ("max(x, y", 2, 9),
            ("max(x y)", 2, 7),
            ("x1 + x2", 1, 6),
        ];
        for &(source, dim, column) in cases {
            let (c, m) = column_of(source, dim);
            assert_eq!(c, column, "{source:?}: {m}");
            assert!(!m.ends_with('.'), "{m}");
            assert_eq!(m, m.to_lowercase(), "{m}");
        }
    }

    #[test]
    fn nesting_is_bounded_but_long_chains_are_not() {
        let deep = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&deep(MAX_NESTING - 1), 1).is_ok());
        let e = parse(&deep(MAX_NESTING + 5), 1).unwrap_err();
        assert_eq!(e.column, MAX_NESTING + 1);
        assert!(e.message.starts_with("expression nested too deeply"));
        assert!(parse(&format!("{}x", "-".repeat(MAX_NESTING + 1)), 1).is_err());
        assert!(parse(&vec!["x"; 100_000].join(" + "), 1).is_ok());
        assert!(parse(&vec!["x"; 100_000].join(" * "), 1).is_ok());
    }

    #[test]
    fn messages() {
        assert_eq!(
            column_of("y", 1).1,
            "unknown variable y (the target has 1 variable: x1, also written x)"
        );
        assert_eq!(
            column_of("x5", 4).1,
            "unknown variable x5 (the target has 4 variables: x1, x2, x3, x4)"
        );
        assert_eq!(
            column_of("y", 6).1,
            "unknown variable y (the target has 6 variables: x1 to x6)"
        );
        assert_eq!(column_of("foo(x)", 1).1, "unknown function foo");
        assert_eq!(
            column_of("min(x)", 1).1,
            "min takes at least 2 arguments, found 1"
        );
        assert_eq!(
            column_of("sin(x", 1).1,
            "missing ) to close the ( at column 4"
        );
        assert!(column_of("2x", 1)
            .1
            .starts_with("missing operator before x"));
    }

    #[test]
    fn tree_shapes() {
        use Ast::*;
        let num = |n: i64| Num(BigRational::from_integer(n.into()));
        let pow = |a, b| Pow(Box::new(a), Box::new(b));
        assert_eq!(
            parse("-x^2", 1).unwrap(),
            Neg(Box::new(pow(Var(0), num(2))))
        );
        assert_eq!(parse("2^3^2", 1).unwrap(), pow(num(2), pow(num(3), num(2))));
        assert_eq!(
            parse("1-2-3", 1).unwrap(),
            Chain(
                Box::new(num(1)),
                vec![(BinOp::Sub, num(2)), (BinOp::Sub, num(3))]
            )
        );
        assert_eq!(
            parse("8/4*2", 1).unwrap(),
            Chain(
                Box::new(num(8)),
                vec![(BinOp::Div, num(4)), (BinOp::Mul, num(2))]
            )
        );
        assert_eq!(
            parse("1+2*3", 1).unwrap(),
            Chain(
                Box::new(num(1)),
                vec![(
                    BinOp::Add,
                    Chain(Box::new(num(2)), vec![(BinOp::Mul, num(3))])
                )]
            )
        );
        assert_eq!(
            parse("2^-1", 1).unwrap(),
            pow(num(2), Neg(Box::new(num(1))))
        );
        assert_eq!(parse("+x", 1).unwrap(), Var(0));
        assert_eq!(parse("x3", 3).unwrap(), Var(2));
        assert_eq!(parse("z", 3).unwrap(), Var(2));
        assert_eq!(parse("x12", 12).unwrap(), Var(11));
        assert_eq!(parse("ln(x)", 1).unwrap(), parse(" log ( x ) ", 1).unwrap());
        for s in ["3", "0.1", ".5", "3.", "1e-3", "2.5E+2", "7e2"] {
            assert!(matches!(parse(s, 1).unwrap(), Num(_)), "{s}");
        }
        assert!(matches!(parse("e", 1).unwrap(), E));
        assert!(matches!(parse("pi", 1).unwrap(), Pi));
        assert!(matches!(parse("min(x, 1, 2)", 1).unwrap(), Call(Func::Min, a) if a.len() == 3));
    }
}
