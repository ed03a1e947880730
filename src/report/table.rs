//! The per-grade table of a report in Markdown, HTML and plain LaTeX, with numbers rounded
//! outward so that a printed bound is still a bound.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::exact;
use crate::summary::{GradeRow, LpRow, Summary};

/// Which way a printed number may move from the exact one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// For lower bounds: the printed value is at most the exact one.
    Down,
    /// For upper bounds: the printed value is at least the exact one.
    Up,
    /// For parameters, which are not bounds.
    Nearest,
}

/// `x` as a mantissa with `decimals` digits after the point and a power of ten, rounded as
/// asked; `None` for NaN and infinities. Zero is `("0", 0)`.
pub fn scientific(x: f64, decimals: usize, round: Round) -> Option<(String, i32)> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some(("0".to_string(), 0));
    }
    let text = format!("{x:.decimals$e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let mut e: i32 = exponent.parse().ok()?;
    let mut m: i64 = mantissa.replace('.', "").parse().ok()?;
    let exact = exact::from_f64(x)?;
    let value = |m: i64, e: i32| {
        let k = e - decimals as i32;
        let ten = BigInt::from(10);
        let scale = num_traits::pow(ten, k.unsigned_abs() as usize);
        if k >= 0 {
            BigRational::from_integer(BigInt::from(m) * scale)
        } else {
            BigRational::new(BigInt::from(m), scale)
        }
    };
    let top = 10i64.pow(decimals as u32 + 1);
    match round {
        Round::Up if value(m, e) < exact => m += 1,
        Round::Down if value(m, e) > exact => m -= 1,
        _ => {}
    }
    if m.abs() >= top {
        // 9.99..9 + one unit: 10.00..0 is exact as 1.00..0 times the next power.
        m /= 10;
        e += 1;
    } else if m != 0 && m.abs() < top / 10 {
        // 1.00..0 - one unit: scale up one digit, the same value.
        m *= 10;
        e -= 1;
    }
    let digits = m.abs().to_string();
    let sign = if m < 0 { "-" } else { "" };
    let (head, tail) = digits.split_at(1);
    let mantissa = if tail.is_empty() {
        format!("{sign}{head}")
    } else {
        format!("{sign}{head}.{tail}")
    };
    debug_assert!(
        match round {
            Round::Up => value(m, e) >= exact,
            Round::Down => value(m, e) <= exact,
            Round::Nearest => true,
        } || exact.is_zero()
            || exact.is_negative()
    );
    Some((mantissa, e))
}

/// The markup a table is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Html,
    Tex,
}

impl Markup {
    /// A number in scientific notation: `3.333e-1` (Markdown), `3.333×10<sup>-1</sup>`
    /// (HTML), `$3.333\times10^{-1}$` (LaTeX).
    pub fn number(self, x: f64, decimals: usize, round: Round) -> String {
        let Some((m, e)) = scientific(x, decimals, round) else {
            return match self {
                Markup::Tex => "---".to_string(),
                _ => "n/a".to_string(),
            };
        };
        match self {
            Markup::Markdown => format!("{m}e{e}"),
            Markup::Html if e == 0 => m,
            Markup::Html => format!("{m}&times;10<sup>{e}</sup>"),
            Markup::Tex if e == 0 => format!("${m}$"),
            Markup::Tex => format!("${m}\\times10^{{{e}}}$"),
        }
    }

    /// An enclosure `[lower, upper]`, rounded outward.
    pub fn enclosure(self, lower: f64, upper: f64) -> String {
        let lo = self.number(lower, 3, Round::Down);
        let hi = self.number(upper, 3, Round::Up);
        match self {
            Markup::Tex => format!("$[${lo}$,\\,${hi}$]$").replace("$$", ""),
            _ => format!("[{lo}, {hi}]"),
        }
    }

    /// Plain text, escaped for this markup.
    pub fn text(self, text: &str) -> String {
        match self {
            Markup::Markdown => text.replace('|', "\\|"),
            Markup::Html => super::svg::escape(text),
            Markup::Tex => tex_escape(text),
        }
    }

    /// A box `[a, b] x [c, d]`; the corners are dyadic and printed exactly as the shortest
    /// decimal that reads back as the same `f64`.
    pub fn interval_box(self, corners: &[[f64; 2]]) -> String {
        if corners.is_empty() {
            return match self {
                Markup::Tex => "---".to_string(),
                _ => "none".to_string(),
            };
        }
        let parts: Vec<String> = corners
            .iter()
            .map(|[a, b]| match self {
                Markup::Tex => format!("[{a},\\,{b}]"),
                _ => format!("[{a}, {b}]"),
            })
            .collect();
        match self {
            Markup::Markdown => parts.join(" × "),
            Markup::Html => parts.join(" &times; "),
            Markup::Tex => format!("${}$", parts.join("\\times")),
        }
    }

    /// Prose whose spans between backticks are formulas (`|r_n| <= U_n`), or commands when
    /// they start with `multigrade`: in Markdown the spans stay code spans, in HTML they
    /// become `<code>`, in LaTeX inline math (or `\texttt`), with `rho`, `eps`, `delta`,
    /// `inf`, `sup`, `<=`, `>=` and `..` turned into their symbols.
    pub fn prose(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        for (i, part) in text.split('`').enumerate() {
            let span = i % 2 == 1;
            let command = part.starts_with("multigrade");
            match (self, span) {
                (Markup::Markdown, true) => out.push_str(&format!("`{part}`")),
                (Markup::Html, true) => {
                    out.push_str(&format!("<code>{}</code>", super::svg::escape(part)))
                }
                (Markup::Tex, true) if command => {
                    out.push_str(&format!("\\texttt{{{}}}", tex_escape(part)))
                }
                (Markup::Tex, true) => out.push_str(&format!("${}$", tex_math(part))),
                (_, false) => out.push_str(&self.text(part)),
            }
        }
        out
    }

    /// The exponent name `L^p`.
    pub fn lp_name(self, p: f64) -> String {
        match self {
            Markup::Markdown => format!("L^{p}"),
            Markup::Html => format!("L<sup>{p}</sup>"),
            Markup::Tex => format!("$L^{{{p}}}$"),
        }
    }
}

/// A plain formula such as `|r_10| >= L_10` or `rho^n U_{n-1}` as LaTeX math: multi-character
/// sub- and superscripts are braced, and a few names become symbols.
pub fn tex_math(formula: &str) -> String {
    let chars: Vec<char> = formula.chars().collect();
    let mut out = String::with_capacity(formula.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '_' | '^' if next.is_some_and(|n| n.is_ascii_alphanumeric()) => {
                let end = (i + 1..chars.len())
                    .find(|&j| !chars[j].is_ascii_alphanumeric())
                    .unwrap_or(chars.len());
                let run: String = chars[i + 1..end].iter().collect();
                out.push_str(&format!("{c}{{{run}}}"));
                i = end;
                continue;
            }
            '>' | '<' if next == Some('=') => {
                out.push_str(if c == '>' { "\\ge" } else { "\\le" });
                i += 2;
                separate(&mut out, chars.get(i));
                continue;
            }
            '.' if next == Some('.') => {
                out.push_str("\\dots");
                i += 2;
                separate(&mut out, chars.get(i));
                continue;
            }
            c if c.is_ascii_alphabetic() => {
                let end = (i..chars.len())
                    .find(|&j| !chars[j].is_ascii_alphabetic())
                    .unwrap_or(chars.len());
                let word: String = chars[i..end].iter().collect();
                let symbol = match word.as_str() {
                    "rho" => "\\rho",
                    "eps" => "\\varepsilon",
                    "delta" => "\\delta",
                    "inf" => "\\inf",
                    "sup" => "\\sup",
                    "x" if chars.get(end) == Some(&' ') && i > 0 && chars[i - 1] == ' ' => {
                        "\\times"
                    }
                    _ => "",
                };
                if symbol.is_empty() {
                    out.push_str(&word);
                } else {
                    out.push_str(symbol);
                    separate(&mut out, chars.get(end));
                }
                i = end;
                continue;
            }
            '%' | '#' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// After a control word, a space when the next character would otherwise extend its name.
fn separate(out: &mut String, next: Option<&char>) {
    if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        out.push(' ');
    }
}

/// Escapes the characters LaTeX treats specially, for text mode.
pub fn tex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            _ => out.push(c),
        }
    }
    out
}

/// The verdicts a certified grade carries, as short codes explained by [`LEGEND`].
pub fn verdicts(row: &GradeRow) -> Vec<&'static str> {
    let mut v = Vec::new();
    if row.monotone_certified {
        v.push("M");
    }
    // Every grade of a certificate states U_n <= rho U_{n-1}.
    v.push("C");
    if !row.strict_decay_witness.is_empty() {
        v.push("S");
    }
    v
}

/// The meaning of the verdict codes (prose with formulas between backticks).
pub const LEGEND: &str = "M: monotone, `|r_n| <= |r_{n-1}|` on the whole cube; C: \
    contracting, `U_n <= rho U_{n-1}`; S: strict `L^p` decay for every `p >= 1`, by the \
    witness box where `inf |r_{n-1}| > sup |r_n|`.";

/// The column headings.
fn headings(markup: Markup, exponents: &[f64]) -> Vec<String> {
    let (l, u) = match markup {
        Markup::Markdown => ("L_n", "U_n"),
        Markup::Html => ("L<sub>n</sub>", "U<sub>n</sub>"),
        Markup::Tex => ("$L_n$", "$U_n$"),
    };
    let (eps, delta) = match markup {
        Markup::Markdown => ("eps", "delta"),
        Markup::Html => ("&epsilon;", "&delta;"),
        Markup::Tex => ("$\\varepsilon_n$", "$\\delta_n$"),
    };
    let mut h: Vec<String> = ["n", "grid", "hats", "depth", "params", eps, delta, l, u]
        .iter()
        .map(|s| s.to_string())
        .collect();
    h.extend(exponents.iter().map(|&p| markup.lp_name(p)));
    h.push("witness box".to_string());
    h.push("verdict".to_string());
    h
}

/// The cells of grade 0 (the target itself: only its bounds).
fn target_cells(markup: Markup, s: &Summary) -> Vec<String> {
    let dash = match markup {
        Markup::Tex => "---",
        _ => "–",
    };
    let mut c: Vec<String> = vec!["0".to_string()];
    c.extend((0..6).map(|_| dash.to_string()));
    c.push(markup.number(s.initial_sup_lower, 3, Round::Down));
    c.push(markup.number(s.initial_sup_upper, 3, Round::Up));
    c.extend(lp_cells(markup, &s.initial_lp));
    c.push(dash.to_string());
    c.push("target".to_string());
    c
}

fn lp_cells(markup: Markup, lp: &[LpRow]) -> Vec<String> {
    lp.iter()
        .map(|l| markup.enclosure(l.lower, l.upper))
        .collect()
}

fn grade_cells(markup: Markup, g: &GradeRow) -> Vec<String> {
    let mut c = vec![
        g.grade.to_string(),
        g.grid.to_string(),
        g.hats.to_string(),
        g.depth.to_string(),
        g.params.to_string(),
        markup.number(g.eps, 3, Round::Nearest),
        markup.number(g.delta, 3, Round::Up),
        markup.number(g.sup_lower, 3, Round::Down),
        markup.number(g.sup_upper, 3, Round::Up),
    ];
    c.extend(lp_cells(markup, &g.lp));
    c.push(markup.interval_box(&g.strict_decay_witness));
    c.push(verdicts(g).join(" "));
    c
}

/// Every row of the table: grade 0 (the target), then one per certified grade.
fn rows(markup: Markup, s: &Summary) -> Vec<Vec<String>> {
    let mut rows = vec![target_cells(markup, s)];
    rows.extend(s.grades.iter().map(|g| grade_cells(markup, g)));
    rows
}

fn exponents(s: &Summary) -> Vec<f64> {
    s.initial_lp.iter().map(|l| l.p).collect()
}

/// A Markdown (pipe) table followed by the verdict legend.
pub fn markdown(s: &Summary) -> String {
    let m = Markup::Markdown;
    let head = headings(m, &exponents(s));
    let mut out = format!("| {} |\n", head.join(" | "));
    out.push_str(&format!(
        "|{}\n",
        head.iter()
            .enumerate()
            .map(|(i, _)| if i < 5 { "---:|" } else { ":---|" })
            .collect::<String>()
    ));
    for row in rows(m, s) {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push_str(&format!("\nVerdicts: {}\n", m.prose(LEGEND)));
    out
}

/// An HTML `<table>` followed by the verdict legend.
pub fn html(s: &Summary) -> String {
    let m = Markup::Html;
    let mut out = String::from("<table>\n<thead><tr>");
    for h in headings(m, &exponents(s)) {
        out.push_str(&format!("<th>{h}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows(m, s) {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i < 5 { " class=\"int\"" } else { "" };
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(&format!(
        "<p class=\"legend\">Verdicts: {}</p>\n",
        m.prose(LEGEND)
    ));
    out
}

/// A plain-LaTeX `tabular` (no packages needed), one row per grade, meant to be `\input`;
/// the verdict legend follows as a comment (see [`tex_legend`]).
pub fn tex(s: &Summary) -> String {
    let m = Markup::Tex;
    let head = headings(m, &exponents(s));
    let columns = head.len();
    let mut out = String::from(
        "% The certified figures of a multigrade certificate; bounds are rounded outward.\n",
    );
    out.push_str(&format!(
        "\\begin{{tabular}}{{{}}}\n\\hline\n",
        "r".repeat(5) + &"l".repeat(columns - 5)
    ));
    out.push_str(&format!("{} \\\\\n\\hline\n", head.join(" & ")));
    for row in rows(m, s) {
        out.push_str(&format!("{} \\\\\n", row.join(" & ")));
    }
    out.push_str("\\hline\n\\end{tabular}\n");
    out.push_str(&format!("% Verdicts: {}\n", LEGEND.replace('`', "")));
    out
}

/// The verdict legend for LaTeX text mode (set beside the table, which it would widen).
pub fn tex_legend() -> String {
    format!("Verdicts: {}", Markup::Tex.prose(LEGEND))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directed_rounding_keeps_bounds() {
        assert_eq!(
            scientific(1.0 / 3.0, 3, Round::Up),
            Some(("3.334".into(), -1))
        );
        assert_eq!(
            scientific(1.0 / 3.0, 3, Round::Down),
            Some(("3.333".into(), -1))
        );
        assert_eq!(
            scientific(1.0 / 3.0, 3, Round::Nearest),
            Some(("3.333".into(), -1))
        );
        // 0.1 in f64 is slightly above 1/10: rounding up must not print 1.000e-1.
        assert_eq!(scientific(0.1, 3, Round::Up), Some(("1.001".into(), -1)));
        assert_eq!(scientific(0.1, 3, Round::Down), Some(("1.000".into(), -1)));
        // Exact values print as they are; carries move to the next power.
        assert_eq!(scientific(0.25, 2, Round::Up), Some(("2.50".into(), -1)));
        assert_eq!(scientific(0.99999, 2, Round::Up), Some(("1.00".into(), 0)));
        assert_eq!(scientific(0.0, 2, Round::Up), Some(("0".into(), 0)));
        assert_eq!(scientific(f64::NAN, 2, Round::Up), None);
    }

    #[test]
    fn numbers_in_each_markup() {
        assert_eq!(
            Markup::Tex.number(1.0 / 3.0, 2, Round::Nearest),
            "$3.33\\times10^{-1}$"
        );
        assert_eq!(
            Markup::Markdown.number(1.0 / 3.0, 2, Round::Nearest),
            "3.33e-1"
        );
        assert_eq!(
            Markup::Html.number(1.0 / 3.0, 2, Round::Nearest),
            "3.33&times;10<sup>-1</sup>"
        );
        assert_eq!(Markup::Tex.number(2.5, 1, Round::Nearest), "$2.5$");
        assert_eq!(
            Markup::Tex.enclosure(0.25, 0.5),
            "$[2.500\\times10^{-1},\\,5.000\\times10^{-1}]$"
        );
        assert_eq!(
            Markup::Tex.interval_box(&[[0.25, 0.5], [0.0, 1.0]]),
            "$[0.25,\\,0.5]\\times[0,\\,1]$"
        );
    }

    #[test]
    fn formulas_in_prose() {
        assert_eq!(
            tex_math("|r_10| >= L_10 = 0.5, rho^n U_{n-1}, inf |r_0| > sup |r_1|, n = 0..4"),
            "|r_{10}| \\ge L_{10} = 0.5, \\rho^{n} U_{n-1}, \\inf |r_{0}| > \\sup |r_{1}|, \
             n = 0\\dots 4"
        );
        assert_eq!(tex_math("96 x 96"), "96 \\times 96");
        assert_eq!(tex_math("rho eps<=delta"), "\\rho \\varepsilon\\le \\delta");
        let text = "the band `[0, U_n]`; run `multigrade check CERT`.";
        assert_eq!(
            Markup::Tex.prose(text),
            "the band $[0, U_{n}]$; run \\texttt{multigrade check CERT}."
        );
        assert_eq!(
            Markup::Html.prose(text),
            "the band <code>[0, U_n]</code>; run <code>multigrade check CERT</code>."
        );
        assert_eq!(Markup::Markdown.prose(text), text);
    }

    #[test]
    fn tex_escaping() {
        assert_eq!(
            tex_escape("x^2 & 50% #_{}~\\"),
            "x\\textasciicircum{}2 \\& 50\\% \\#\\_\\{\\}\\textasciitilde{}\\textbackslash{}"
        );
    }

    pub(crate) fn summary() -> Summary {
        let lp = |p: f64, lower: f64, upper: f64| LpRow { p, lower, upper };
        let grade = |n: usize, u: f64| GradeRow {
            grade: n,
            grid: 4 << n,
            hats: 5 << n,
            depth: 11 << n,
            params: 100 << n,
            eps: u,
            delta: u / 4.0,
            sup_upper: u,
            sup_lower: u * 0.75,
            lp: vec![lp(1.0, u / 3.0, u / 2.9), lp(2.5, u / 2.0, u / 1.9)],
            monotone_certified: true,
            strict_decay_witness: vec![[0.25, 0.5]],
            leaves: 10,
        };
        Summary {
            target: "abs(x - 1/3)^2 & 50% _#".into(),
            dim: 1,
            width: 4,
            theta: 0.5,
            kappa: 0.5,
            stopped_by: "grades".into(),
            complete: true,
            initial_sup_upper: 0.7,
            initial_sup_lower: 0.69,
            initial_lp: vec![lp(1.0, 0.2, 0.21), lp(2.5, 0.3, 0.31)],
            final_sup_upper: 0.1,
            total_hats: 15,
            total_depth: 33,
            total_params: 300,
            grades: vec![grade(1, 0.5), grade(2, 0.25), grade(3, 0.125)],
        }
    }

    #[test]
    fn tex_table_has_a_row_per_grade_and_balanced_markup() {
        let s = summary();
        let t = tex(&s);
        assert_eq!(t.matches("\\begin{tabular}").count(), 1);
        assert_eq!(t.matches("\\end{tabular}").count(), 1);
        // Heading, grade 0 and one row per grade.
        let body_rows = t.lines().filter(|l| l.trim_end().ends_with("\\\\")).count();
        assert_eq!(body_rows, 1 + 1 + s.grades.len());
        let columns = 9 + 2 + 2;
        for line in t.lines().filter(|l| l.ends_with("\\\\")) {
            assert_eq!(line.matches(" & ").count(), columns - 1, "{line}");
        }
        assert_eq!(t.matches('{').count(), t.matches('}').count());
        assert_eq!(t.matches('$').count() % 2, 0);
        // Dyadic bounds print exactly: L_1 = 0.375, U_1 = 0.5.
        assert!(t.contains("$3.750\\times10^{-1}$ & $5.000\\times10^{-1}$"));
        assert!(!t.contains("e-1"));
    }

    #[test]
    fn markdown_and_html_tables() {
        let s = summary();
        let md = markdown(&s);
        let lines: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(lines.len(), 2 + 1 + s.grades.len());
        let bars = lines[0].matches('|').count();
        assert!(lines.iter().all(|l| l.matches('|').count() == bars));
        let h = html(&s);
        assert_eq!(h.matches("<tr>").count(), 1 + 1 + s.grades.len());
        assert_eq!(h.matches("<tr>").count(), h.matches("</tr>").count());
        assert!(h.contains("<th>L<sup>2.5</sup></th>"));
    }
}
