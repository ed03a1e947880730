use super::*;
use inari::{const_interval, Decoration};
use num_rational::BigRational;
use proptest::prelude::*;

fn target(source: &str, dim: usize) -> Target {
    Target::parse(source, dim).unwrap_or_else(|e| panic!("{}", e.render(source)))
}

fn iv(a: f64, b: f64) -> Interval {
    Interval::try_from((a, b)).unwrap()
}

fn unit_box(dim: usize) -> Vec<Interval> {
    vec![const_interval!(0.0, 1.0); dim]
}

fn dec_over(source: &str, x: &[Interval]) -> DecInterval {
    let t = target(source, x.len());
    t.eval_dec(x, &mut t.scratch())
}

fn value_at(source: &str, x: &[f64]) -> f64 {
    target(source, x.len()).eval_f64(x)
}

fn q(p: i64, d: i64) -> BigRational {
    BigRational::new(p.into(), d.into())
}

/// Whether `x` contains the rational `r`, judged by its tight hull.
fn contains_rational(x: Interval, r: &BigRational) -> bool {
    let h = tape::tight_hull(r).interval().unwrap();
    // The tight hull of r is [r, r] when r is an f64, else the two f64 around r; x
    // contains r iff it contains that hull, or r is an f64 and x contains it.
    h.subset(x) || (h.is_singleton() && x.contains(h.inf()))
}

fn ulp(x: f64) -> f64 {
    let x = x.abs();
    f64::from_bits(x.to_bits() + 1) - x
}

#[test]
fn public_errors_have_columns_and_render() {
    let e = Target::parse("sin(x", 1).unwrap_err();
    assert_eq!(e.column, 6);
    assert_eq!(
        e.to_string(),
        "column 6: missing ) to close the ( at column 4"
    );
    assert_eq!(
        e.render("sin(x"),
        "sin(x\n     ^\ncolumn 6: missing ) to close the ( at column 4"
    );
    let e = Target::parse("y + 1", 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "column 1: unknown variable y (the target has 1 variable: x1, also written x)"
    );
    assert_eq!(e.render("y + 1").lines().nth(1), Some("^"));
    let e = Target::parse("x +\n  2x", 1).unwrap_err();
    assert_eq!(e.column, 8);
    assert_eq!(
        e.render("x +\n  2x").lines().take(2).collect::<Vec<_>>(),
        ["  2x", "   ^"]
    );
    assert!(Target::parse("x", 0).is_err());
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().starts_with("column 8: missing operator"));
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(value_at("-x^2", &[3.0]), -9.0);
    assert_eq!(value_at("2^3^2", &[0.0]), 512.0);
    assert_eq!(value_at("1-2-3", &[0.0]), -4.0);
    assert_eq!(value_at("8/4/2", &[0.0]), 1.0);
    assert_eq!(value_at("2^-1", &[0.0]), 0.5);
    assert_eq!(value_at("-2^2", &[0.0]), -4.0);
    assert_eq!(value_at("(-2)^2", &[0.0]), 4.0);
    assert_eq!(value_at("2*3+4*5", &[0.0]), 26.0);
    assert_eq!(value_at("x1 - x2 * x3", &[1.0, 2.0, 3.0]), -5.0);
    assert_eq!(value_at("x - y * z", &[1.0, 2.0, 3.0]), -5.0);
    assert_eq!(value_at("min(3, x, 2) + max(x, -1, 0)", &[1.0]), 2.0);
    assert_eq!(value_at("--x", &[1.5]), 1.5);
    assert_eq!(value_at("ln(e)", &[0.0]), 1.0);
    assert_eq!(value_at("2.5E+2 + 1e-3 + .5", &[0.0]), 250.501);
    let pt = [const_interval!(0.0, 0.0)];
    let exact = |s: &str, v: f64| {
        let d = dec_over(s, &pt);
        assert_eq!(d.interval().unwrap(), iv(v, v), "{s}");
    };
    exact("2^3^2", 512.0);
    exact("8/4/2", 1.0);
    exact("-x^2 + 1", 1.0);
    exact("2^-1", 0.5);
    exact("(1/3)*3", 1.0);
    exact("abs(-0.25)", 0.25);
}

#[test]
fn literals_are_exact() {
    let pt = [const_interval!(0.0, 0.0)];
    let cases = [
        ("0.1*3", q(3, 10)),
        ("0.1", q(1, 10)),
        (".5", q(1, 2)),
        ("1e-3", q(1, 1000)),
        ("2.5E+2", q(250, 1)),
        ("1/3", q(1, 3)),
        ("0.1 + 0.2", q(3, 10)),
        ("-0.7", q(-7, 10)),
    ];
    for (s, r) in cases {
        let x = dec_over(s, &pt).interval().unwrap();
        assert!(contains_rational(x, &r), "{s}: {x}");
        assert!(x.wid() <= 2.0 * ulp(x.sup()), "{s}: {x} too wide");
    }
    // 0.1 is 1/10, not the f64 nearest to it.
    let x = dec_over("0.1", &pt).interval().unwrap();
    assert!(!x.is_singleton());
    // pi and e are enclosed.
    let x = dec_over("pi", &pt).interval().unwrap();
    assert!(x.contains(std::f64::consts::PI) && x.wid() > 0.0);
}

#[test]
fn integer_exponents_use_the_integer_power() {
    let b = unit_box(1);
    let dec = |s: &str| dec_over(s, &b).decoration();
    for s in [
        "(x-1)^2",
        "(x-1)^(4/2)",
        "(x-0.5)^3",
        "(x-1)^2.0",
        "(x-1)^(-(-2))",
        "x^0",
    ] {
        assert!(dec(s) >= Decoration::Dac, "{s}");
    }
    for s in ["(x-1)^2.5", "x^(-1)", "x^-2", "(x-0.5)^0.5", "x^(1/2-1)"] {
        assert!(dec(s) < Decoration::Dac, "{s}");
    }
    let away = [iv(0.5, 1.0)];
    assert_eq!(dec_over("x^(-1)", &away).interval().unwrap(), iv(1.0, 2.0));
    assert!(value_at("(x-1)^2", &[0.0]) == 1.0);
    assert!(value_at("(x-1)^2.5", &[0.0]).is_nan());
}

#[test]
fn decorations_over_the_unit_box() {
    let b1 = unit_box(1);
    for s in [
        "1/x",
        "log(x)",
        "sqrt(x-0.5)",
        "sin(1/x)",
        "tan(2*x)",
        "x^(x-0.5)",
        "x^x",
    ] {
        assert!(dec_over(s, &b1).decoration() < Decoration::Dac, "{s}");
    }
    for s in [
        "sqrt(x)",
        "abs(x-1/3)",
        "x^0.5",
        "x^(x+0.5)",
        "log(1+x)",
        "1/(1+x^2)",
        "tan(x)",
    ] {
        assert!(dec_over(s, &b1).decoration() >= Decoration::Dac, "{s}");
    }
    let b2 = unit_box(2);
    let d = dec_over("exp(-abs(x-0.3)-abs(y-0.6))", &b2);
    assert!(d.decoration() >= Decoration::Dac);
    let x = d.interval().unwrap();
    assert!(x.contains(1.0) && x.contains((-1.3f64).exp()));
}

#[test]
fn f64_is_nan_where_undefined() {
    for (s, x) in [
        ("1/x", 0.0),
        ("log(x)", 0.0),
        ("ln(x - 1)", 0.5),
        ("sqrt(x - 1)", 0.5),
        ("x^0.5", -1.0),
        ("x^(-1)", 0.0),
        ("x^(x-1)", 0.0),
        ("min(x, log(x))", 0.0),
    ] {
        assert!(value_at(s, &[x]).is_nan(), "{s} at {x}");
    }
    assert_eq!(value_at("x^0.5", &[0.0]), 0.0);
    assert_eq!(value_at("x^2", &[-3.0]), 9.0);
}

#[test]
fn gradient_enclosures() {
    let grad_of = |s: &str, x: &[Interval]| {
        let t = target(s, x.len());
        let mut g = vec![Interval::EMPTY; x.len()];
        let v = t.eval_with_gradient(x, &mut g, &mut t.scratch());
        assert_eq!(
            v.interval(),
            t.eval_dec(x, &mut t.scratch()).interval(),
            "{s}"
        );
        g
    };
    let g = grad_of("x^2 + 3*y", &[iv(0.5, 1.0), iv(0.0, 1.0)]);
    assert!(g[0].subset(iv(0.99, 2.01)) && g[0].contains(1.0) && g[0].contains(2.0));
    assert_eq!(g[1], iv(3.0, 3.0));
    // Clarke gradients of abs, min and max.
    assert_eq!(grad_of("abs(x-1/3)", &unit_box(1))[0], iv(-1.0, 1.0));
    assert_eq!(grad_of("abs(x-1/3)", &[iv(0.5, 1.0)])[0], iv(1.0, 1.0));
    assert_eq!(grad_of("abs(x-1/3)", &[iv(0.0, 0.25)])[0], iv(-1.0, -1.0));
    let g = grad_of("min(x, y)", &unit_box(2));
    assert_eq!(g, [iv(0.0, 1.0), iv(0.0, 1.0)]);
    let g = grad_of("max(x, 2*y)", &[iv(0.0, 0.5), iv(0.25, 1.0)]);
    assert_eq!(g, [iv(0.0, 0.0), iv(2.0, 2.0)]);
    let g = grad_of("min(x, 0.5)", &[iv(0.0, 0.5)]);
    assert_eq!(g, [iv(1.0, 1.0)]);
    // Unbounded derivatives give unbounded enclosures, never finite ones.
    for s in ["sqrt(x)", "x^0.5", "sqrt(abs(x-0.5))", "x^(x+0.5)"] {
        let g = grad_of(s, &unit_box(1));
        assert!(!g[0].is_common_interval(), "{s}: {}", g[0]);
    }
    // Undefined somewhere on the box: no gradient information at all.
    for s in ["log(x)", "1/x", "sqrt(x-0.5)"] {
        assert!(grad_of(s, &unit_box(1))[0].is_entire(), "{s}");
    }
    // A constant exponent contributes no term, even where the base touches 0.
    let g = grad_of("x^1.5", &unit_box(1));
    assert!(g[0].is_common_interval() && g[0].contains(0.0) && g[0].contains(1.5));
}

#[test]
fn f64_gradient_matches_finite_differences() {
    let t = target(
        "sin(3*x)*cos(y) + x^2*z/(1+y^2) + exp(-x*y) + sqrt(1+z) + x^y",
        3,
    );
    let mut s = t.scratch();
    let x = [0.3, 0.7, 0.2];
    let mut g = [0.0; 3];
    let v = t.gradient_f64(&x, &mut g, &mut s);
    assert!((v - t.eval_f64(&x)).abs() < 1e-14);
    for i in 0..3 {
        let h = 1e-6;
        let (mut p, mut m) = (x, x);
        p[i] += h;
        m[i] -= h;
        let fd = (t.eval_f64(&p) - t.eval_f64(&m)) / (2.0 * h);
        assert!((fd - g[i]).abs() < 1e-6, "component {i}: {fd} vs {}", g[i]);
    }
}

#[test]
fn targets_are_shareable() {
    fn check<T: Clone + std::fmt::Debug + Send + Sync>() {}
    check::<Target>();
    check::<Scratch>();
    let t = target("x + 1", 1);
    assert_eq!(t.source(), "x + 1");
    assert_eq!(t.dim(), 1);
    // A scratch made for a smaller target grows as needed.
    let big = target("sin(x) + cos(y) + exp(z) + x*y*z", 3);
    let mut s = t.scratch();
    let v = big.eval_dec(&unit_box(3), &mut s);
    assert!(v.decoration() >= Decoration::Dac);
    let mut g = [0.0; 3];
    big.gradient_f64(&[0.1, 0.2, 0.3], &mut g, &mut s);
}

/// Random well-formed expressions in `d` variables, built only from operations defined on
/// the whole cube.
fn expr_strategy(d: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => (1..=d).prop_map(|k| format!("x{k}")),
        2 => (1..=d).prop_map(|k| ["x", "y", "z"][k - 1].to_string()),
        1 => prop::sample::select(vec!["0.3", "2", ".5", "1e-1", "pi", "e", "1.75", "3"])
            .prop_map(String::from),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        let two = (inner.clone(), inner.clone());
        prop_oneof![
            two.clone().prop_map(|(a, b)| format!("({a} + {b})")),
            two.clone().prop_map(|(a, b)| format!("({a} - {b})")),
            two.clone().prop_map(|(a, b)| format!("{a} * {b}")),
            two.clone()
                .prop_map(|(a, b)| format!("{a} / (1 + ({b})^2)")),
            two.clone().prop_map(|(a, b)| format!("min({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("max({a}, {b}, {c})")),
            inner.clone().prop_map(|a| format!("exp(sin({a}))")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            inner.clone().prop_map(|a| format!("cos({a})")),
            inner.clone().prop_map(|a| format!("atan({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            inner.clone().prop_map(|a| format!("({a})^2")),
            inner.clone().prop_map(|a| format!("sqrt(1 + ({a})^2)")),
            inner.clone().prop_map(|a| format!("log(2 + sin({a}))")),
        ]
    })
}

/// A box inside the unit cube (from corners and width exponents) and two points in it.
#[derive(Clone, Debug)]
struct BoxCase {
    lo: Vec<f64>,
    width_exp: Vec<i32>,
    s: Vec<f64>,
    t: Vec<f64>,
}

impl BoxCase {
    fn strategy(d: usize) -> impl Strategy<Value = BoxCase> {
        (
            prop::collection::vec(0.0..=1.0f64, d),
            prop::collection::vec(0..12i32, d),
            prop::collection::vec(0.0..=1.0f64, d),
            prop::collection::vec(0.0..=1.0f64, d),
        )
            .prop_map(|(lo, width_exp, s, t)| BoxCase {
                lo,
                width_exp,
                s,
                t,
            })
    }

    fn make(&self) -> (Vec<Interval>, Vec<f64>, Vec<f64>) {
        let mut bx = Vec::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..self.lo.len() {
            let w = if self.width_exp[i] == 0 {
                1.0
            } else {
                2f64.powi(-self.width_exp[i] * 3)
            };
            let lo = self.lo[i];
            let hi = (lo + w).min(1.0);
            bx.push(iv(lo, hi));
            a.push((lo + self.s[i] * (hi - lo)).clamp(lo, hi));
            b.push((lo + self.t[i] * (hi - lo)).clamp(lo, hi));
        }
        (bx, a, b)
    }
}

/// Checks that the natural extension encloses the `f64` values at `a` and `b` and that
/// `f(b) - f(a)` lies in the mean-value form, both up to a relative slack of 1e-9 that
/// absorbs the rounding errors of the `f64` evaluation.
fn check_enclosures(source: &str, d: usize, case: &BoxCase) -> Result<(), TestCaseError> {
    let t = Target::parse(source, d).map_err(|e| TestCaseError::fail(e.render(source)))?;
    let (bx, a, b) = case.make();
    let mut s = t.scratch();
    let mut grad = vec![Interval::EMPTY; d];
    let v = t.eval_with_gradient(&bx, &mut grad, &mut s);
    let plain = t.eval_dec(&bx, &mut s);
    prop_assert_eq!(v.interval(), plain.interval());
    prop_assert_eq!(v.decoration(), plain.decoration());
    let range = v.interval().unwrap();
    let (fa, fb) = (t.eval_f64(&a), t.eval_f64(&b));
    for f in [fa, fb] {
        if f.is_finite() {
            let slack = 1e-9 * (1.0 + f.abs());
            prop_assert!(
                range.inf() - slack <= f && f <= range.sup() + slack,
                "{} = {} outside {}",
                source,
                f,
                range
            );
        }
    }
    if v.decoration() < Decoration::Dac {
        prop_assert!(grad.iter().all(|g| g.is_entire()));
        return Ok(());
    }
    if !(fa.is_finite() && fb.is_finite()) {
        return Ok(());
    }
    let mut sum = const_interval!(0.0, 0.0);
    for i in 0..d {
        let step = iv(b[i], b[i]) - iv(a[i], a[i]);
        sum += grad[i] * step;
    }
    let diff = fb - fa;
    let slack = 1e-9 * (1.0 + fa.abs() + fb.abs());
    prop_assert!(
        sum.inf() - slack <= diff && diff <= sum.sup() + slack,
        "{}: f(b) - f(a) = {} outside {} (grad {:?}, a {:?}, b {:?})",
        source,
        diff,
        sum,
        grad,
        a,
        b
    );
    Ok(())
}

fn random_case() -> impl Strategy<Value = (usize, String, BoxCase)> {
    (1usize..=3).prop_flat_map(|d| (Just(d), expr_strategy(d), BoxCase::strategy(d)))
}

const FIXED: &[(&str, usize)] = &[
    ("exp(-abs(x-0.3)-abs(y-0.6))", 2),
    ("sin(3*x)*cos(2*y) + z^2", 3),
    ("min(x, y, 1-z) / (1 + x^2)", 3),
    ("sqrt(x) + x^1.5 + y^0.5", 2),
    ("log(1 + x) - atan(x / (1 + y^2))", 2),
    ("(x - 0.5)^3 - (y - 0.25)^(-2)", 2),
    ("tan(x) + sinh(y) * cosh(x) - tanh(3*y)", 2),
    ("x^y + (0.5 + y)^x", 2),
    ("max(abs(x - 1/3), 0.2) * exp(x)", 1),
    ("sqrt(abs(x - 0.5)) + 1/x", 1),
    ("2^x1 * x2 / (x3 + 0.1)", 3),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_expressions_are_enclosed((d, source, case) in random_case()) {
        let t = Target::parse(&source, d).map_err(|e| TestCaseError::fail(e.render(&source)))?;
        // These expressions are defined and continuous on the whole cube.
        let v = t.eval_dec(&unit_box(d), &mut t.scratch());
        prop_assert!(v.decoration() >= Decoration::Dac, "{} is {:?}", source, v.decoration());
        check_enclosures(&source, d, &case)?;
    }

    #[test]
    fn fixed_expressions_are_enclosed(
        which in 0..FIXED.len(),
        case in BoxCase::strategy(3),
    ) {
        let (source, d) = FIXED[which];
        let case = BoxCase {
            lo: case.lo[..d].to_vec(),
            width_exp: case.width_exp[..d].to_vec(),
            s: case.s[..d].to_vec(),
            t: case.t[..d].to_vec(),
        };
        check_enclosures(source, d, &case)?;
    }
}

#[test]
fn long_sums_and_deep_nesting_do_not_exhaust_the_stack() {
    let n = 50_000;
    let t = target(&vec!["x^2"; n].join(" + "), 1);
    assert_eq!(t.eval_f64(&[1.0]), n as f64);
    let v = t.eval_dec(&[const_interval!(1.0, 1.0)], &mut t.scratch());
    assert_eq!(v.interval(), Some(iv(n as f64, n as f64)));
    let t = target(&format!("{}x{}", "sin(".repeat(99), ")".repeat(99)), 1);
    assert!(t.eval_f64(&[1.0]).is_finite());
}
