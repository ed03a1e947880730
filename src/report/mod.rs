//! Reports of a certificate for papers: the per-grade table and plots, written as Markdown,
//! as one self-contained HTML page, or as LaTeX.
//!
//! Two kinds of figures are kept apart, and every document says which is which:
//!
//! - **certified**: the table's numbers and the plots' bands, lines and marks labelled as
//!   such are the certificate's claims (`multigrade check` re-proves them); numbers are
//!   printed rounded outward so that a printed bound is still a bound;
//! - **illustrative**: the residual curves (1D) and heat maps (2D) are the residual sampled
//!   in `f64` at finitely many points, the target's `f64` value minus the grades' outputs.
//!
//! The report reads certificates only; the trusted kernel (`crate::check`) does not depend
//! on it.

pub mod plots;
pub mod svg;
pub mod table;

use crate::cert::{Certificate, FORMAT, FORMAT_VERSION};
use crate::check::boxes::MAX_DIM;
use crate::check::verify::decode_grade;
use crate::exact;
use crate::expr::Target;
use crate::grid::GradeSpec;
use crate::summary::Summary;

pub use plots::Plot;
use table::{tex_escape, Markup, Round};

/// The document formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `report.md` with the table, linking one `.svg` file per plot.
    Markdown,
    /// `report.html`: one page with the plots inlined and its style inline.
    Html,
    /// `table.tex` (a `tabular`), `report.tex` that inputs it, and the plots as `.svg`.
    Tex,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "tex" | "latex" => Ok(Format::Tex),
            _ => Err(format!("unknown report format {s:?} (md, html or tex)")),
        }
    }
}

/// One file of a report, named relative to the output directory.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputFile {
    pub name: String,
    pub contents: String,
}

/// What separates certified from illustrative figures; every document states it (prose with
/// formulas between backticks, see [`Markup::prose`]).
pub const STATEMENT: &str = "Certified: every number in the table (the sup bounds `L_n` \
    and `U_n`, the `L^p` enclosures, `eps`, `delta`, the witness boxes) and every band, line \
    or mark labelled certified in the plots is a claim of the certificate, proved with \
    outward-rounded interval arithmetic; `multigrade check CERT` re-proves them all \
    independently. Numbers are printed rounded outward (lower ends down, upper ends up), so \
    they remain bounds. Illustrative: the residual curves and heat maps are the residual \
    evaluated in floating point at finitely many sample points; they are not proofs and may \
    miss features between samples.";

/// A certificate's report: its summary and its plots, ready to be written in any format.
#[derive(Clone, Debug)]
pub struct Report {
    pub summary: Summary,
    /// The contraction factor `rho = theta (1 + kappa)`.
    pub rho: f64,
    pub plots: Vec<Plot>,
}

/// The residuals `r_0 = f, r_1, ..., r_K` at `x`, in `f64`, written to `out`.
///
/// Each grade's output is taken from its description ([`GradeSpec::output_f64`]), which
/// the compiled network realises exactly (every weight is dyadic); this is the same value
/// as `Network::eval_grades_f64` up to rounding, at a small fraction of the cost, which
/// matters for dense sampling of networks with many thousands of layers.
pub fn residuals(target: &Target, specs: &[GradeSpec], x: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut r = target.eval_f64(x);
    out.push(r);
    for spec in specs {
        r -= spec.output_f64(x);
        out.push(r);
    }
}

/// Builds the report of `cert`: decodes its grades, re-parses its target and samples the
/// residuals for the plots. The claims are not re-checked here.
///
/// # Errors
///
/// A message when the certificate is of another format version, of an unsupported
/// dimension, or its target or a grade cannot be decoded.
pub fn build(cert: &Certificate) -> Result<Report, String> {
    if cert.format != FORMAT || cert.format_version != FORMAT_VERSION {
        return Err(format!(
            "not a certificate of format {FORMAT:?} version {FORMAT_VERSION}"
        ));
    }
    let dim = cert.dim;
    if dim == 0 || dim > MAX_DIM {
        return Err(format!("certificate dimension {dim} is not supported"));
    }
    let target = Target::parse(&cert.target, dim)
        .map_err(|e| format!("target {:?}: {}", cert.target, e.message))?;
    let specs: Vec<GradeSpec> = cert
        .grades
        .iter()
        .map(|g| decode_grade(g, dim))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let rho = exact::parse(&cert.rho)
        .map(|r| exact::to_f64_nearest(&r))
        .map_err(|e| format!("rho: {e}"))?;
    let summary = Summary::of(cert);
    let lower_points: Vec<Vec<f64>> = cert
        .grades
        .iter()
        .map(|g| {
            g.bounds
                .sup_lower_point
                .iter()
                .map(|t| exact::parse(t).map_or(f64::NAN, |r| exact::to_f64_nearest(&r)))
                .collect()
        })
        .collect();
    let mut plots = vec![plots::bounds(&summary, rho)];
    match dim {
        1 => plots.extend(plots::residuals_1d(
            &target,
            &specs,
            &summary,
            &lower_points,
        )),
        2 => plots.extend(plots::heat_maps_2d(
            &target,
            &specs,
            &summary,
            &lower_points,
        )),
        _ => {}
    }
    Ok(Report {
        summary,
        rho,
        plots,
    })
}

impl Report {
    /// The files of the report in `format`, named relative to the output directory.
    pub fn files(&self, format: Format) -> Vec<OutputFile> {
        let svg_files = || {
            self.plots.iter().map(|p| OutputFile {
                name: format!("{}.svg", p.name),
                contents: p.svg.finish(true),
            })
        };
        match format {
            Format::Markdown => {
                let mut files = vec![OutputFile {
                    name: "report.md".into(),
                    contents: self.markdown(),
                }];
                files.extend(svg_files());
                files
            }
            Format::Html => vec![OutputFile {
                name: "report.html".into(),
                contents: self.html(),
            }],
            Format::Tex => {
                let mut files = vec![
                    OutputFile {
                        name: "table.tex".into(),
                        contents: table::tex(&self.summary),
                    },
                    OutputFile {
                        name: "report.tex".into(),
                        contents: self.tex(),
                    },
                ];
                files.extend(svg_files());
                files
            }
        }
    }

    /// One sentence on the run: target, parameters, grades, how it stopped.
    fn overview(&self, markup: Markup) -> String {
        let s = &self.summary;
        let stopped = if s.complete {
            format!("stopped by {}", s.stopped_by)
        } else {
            format!("STOPPED EARLY ({}): the request was not met", s.stopped_by)
        };
        let final_bound = markup.number(s.final_sup_upper, 3, Round::Up);
        let (d, w) = (s.dim, s.width);
        let (cube, width, params) = match markup {
            Markup::Markdown => (
                format!("[0,1]^{d}"),
                format!("W({d}) = {w}"),
                format!(
                    "theta = {}, kappa = {}, rho = {}",
                    s.theta, s.kappa, self.rho
                ),
            ),
            Markup::Html => (
                format!("[0,1]<sup>{d}</sup>"),
                format!("W({d}) = {w}"),
                format!(
                    "&theta; = {}, &kappa; = {}, &rho; = {}",
                    s.theta, s.kappa, self.rho
                ),
            ),
            Markup::Tex => (
                format!("$[0,1]^{{{d}}}$"),
                format!("$W({d}) = {w}$"),
                format!(
                    "$\\theta = {}$, $\\kappa = {}$, $\\rho = {}$",
                    s.theta, s.kappa, self.rho
                ),
            ),
        };
        format!(
            "{} grades of width {width} on {cube}; {params}; {} hats, depth {}, {} parameters \
             in all; final certified sup bound {final_bound}; {}.",
            s.grades.len(),
            s.total_hats,
            s.total_depth,
            s.total_params,
            markup.text(&stopped)
        )
    }

    /// `report.md`.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# multigrade report: `{}`\n\n",
            self.summary.target.replace('`', "'")
        );
        out.push_str(&self.overview(Markup::Markdown));
        out.push_str(&format!(
            "\n\n> **Certified and illustrative.** {}\n\n",
            Markup::Markdown.prose(STATEMENT)
        ));
        out.push_str("## Per-grade table\n\n");
        out.push_str(&table::markdown(&self.summary));
        out.push_str("\n## Plots\n\n");
        for p in &self.plots {
            out.push_str(&format!(
                "### {}\n\n![{}]({}.svg)\n\n{}\n\n",
                p.title,
                p.title,
                p.name,
                Markup::Markdown.prose(&p.caption)
            ));
        }
        if self.summary.dim > 2 {
            out.push_str(&format!(
                "{}\n",
                Markup::Markdown.prose(plots::NO_RESIDUAL_PLOTS)
            ));
        }
        out
    }

    /// `report.html`: no external resource, every plot inlined.
    pub fn html(&self) -> String {
        let esc = svg::escape;
        let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
        out.push_str("<meta charset=\"utf-8\">\n");
        out.push_str(&format!(
            "<title>multigrade report: {}</title>\n",
            esc(&self.summary.target)
        ));
        out.push_str(STYLE);
        out.push_str("</head>\n<body>\n");
        out.push_str(&format!(
            "<h1>multigrade report: <code>{}</code></h1>\n",
            esc(&self.summary.target)
        ));
        out.push_str(&format!("<p>{}</p>\n", self.overview(Markup::Html)));
        out.push_str(&format!(
            "<p class=\"statement\"><strong>Certified and illustrative.</strong> {}</p>\n",
            Markup::Html.prose(STATEMENT)
        ));
        out.push_str("<h2>Per-grade table</h2>\n<div class=\"scroll\">\n");
        out.push_str(&table::html(&self.summary));
        out.push_str("</div>\n<h2>Plots</h2>\n<div class=\"plots\">\n");
        for p in &self.plots {
            out.push_str(&format!(
                "<figure style=\"width: {}px\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                p.svg.width(),
                p.svg.finish(false),
                Markup::Html.prose(&p.caption)
            ));
        }
        out.push_str("</div>\n");
        if self.summary.dim > 2 {
            out.push_str(&format!(
                "<p>{}</p>\n",
                Markup::Html.prose(plots::NO_RESIDUAL_PLOTS)
            ));
        }
        out.push_str("</body>\n</html>\n");
        out
    }

    /// `report.tex`: a plain `article` (only `graphicx`, part of every LaTeX installation)
    /// that inputs `table.tex` and includes each plot as a PDF when one has been made from
    /// its SVG file, and otherwise says how to make it.
    pub fn tex(&self) -> String {
        let mut out = String::from(
            "% A multigrade report. The plots are SVG files, which pdflatex cannot include:\n\
             % convert each to PDF beside it (e.g. rsvg-convert -f pdf -o bounds.pdf \
             bounds.svg)\n% and they are included; until then a box names the file.\n",
        );
        out.push_str("\\documentclass{article}\n\\usepackage{graphicx}\n");
        // A wider text block (plain lengths, no package) leaves the table more room.
        out.push_str(
            "\\setlength{\\textwidth}{16cm}\n\\setlength{\\oddsidemargin}{0cm}\n\
             \\setlength{\\evensidemargin}{0cm}\n\\begin{document}\n",
        );
        out.push_str(&format!(
            "\\section*{{multigrade report: \\texttt{{{}}}}}\n\n",
            tex_escape(&self.summary.target)
        ));
        out.push_str(&format!("{}\n\n", self.overview(Markup::Tex)));
        out.push_str(&format!(
            "\\paragraph{{Certified and illustrative.}} {}\n\n",
            Markup::Tex.prose(STATEMENT)
        ));
        out.push_str(
            "\\begin{center}\n\\resizebox{\\textwidth}{!}{\\input{table.tex}}\n\\end{center}\n",
        );
        out.push_str(&format!("{{\\small {}}}\n\n", table::tex_legend()));
        for p in &self.plots {
            out.push_str(&format!(
                "\\begin{{center}}\n\\IfFileExists{{{n}.pdf}}{{\\includegraphics[width=0.8\
                 \\textwidth]{{{n}.pdf}}}}{{\\fbox{{\\parbox{{0.8\\textwidth}}{{Plot \
                 \\texttt{{{n}.svg}}: convert it to \\texttt{{{n}.pdf}} to include it \
                 here.}}}}}}\\\\[1ex]\n\\parbox{{0.9\\textwidth}}{{\\small \\textbf{{{t}.}} \
                 {c}}}\n\\end{{center}}\n\n",
                n = p.name,
                t = tex_escape(&p.title),
                c = Markup::Tex.prose(&p.caption)
            ));
        }
        if self.summary.dim > 2 {
            out.push_str(&format!(
                "{}\n\n",
                Markup::Tex.prose(plots::NO_RESIDUAL_PLOTS)
            ));
        }
        out.push_str("\\end{document}\n");
        out
    }
}

const STYLE: &str = "<style>
body { font-family: sans-serif; margin: 24px auto; max-width: 1180px; color: #222;
  line-height: 1.4; padding: 0 12px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; }
code { background: #f2f2f2; padding: 1px 4px; border-radius: 3px; }
.statement { background: #f5f8ec; border-left: 4px solid #6a9a23; padding: 8px 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; white-space: nowrap; }
th { background: #eef1f6; } td.int { text-align: right; }
tbody tr:nth-child(even) { background: #fafafa; }
.legend { font-size: 13px; color: #444; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; border: 1px solid #ddd; padding: 8px; }
figcaption { font-size: 13px; color: #444; }
</style>
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prover::{prove, Config};
    use std::sync::atomic::AtomicBool;

    fn certificate(target: &str, dim: usize, grades: usize) -> Certificate {
        let target = Target::parse(target, dim).unwrap();
        let config = Config {
            grades: Some(grades),
            ..Config::default()
        };
        prove(&target, &config, &AtomicBool::new(false), &mut |_| {})
            .unwrap()
            .certificate
    }

    #[test]
    fn sampled_residuals_match_the_network() {
        let cert = certificate("abs(x - 1/3)", 1, 2);
        let specs: Vec<GradeSpec> = cert
            .grades
            .iter()
            .map(|g| decode_grade(g, 1).unwrap())
            .collect();
        let target = Target::parse(&cert.target, 1).unwrap();
        let network = crate::network::Network::new(&specs);
        let mut r = Vec::new();
        for x in [0.0, 0.1, 0.3, 0.77, 1.0] {
            residuals(&target, &specs, &[x], &mut r);
            let q = network.eval_grades_f64(&[x]);
            let mut expected = target.eval_f64(&[x]);
            for (n, qn) in q.iter().enumerate() {
                expected -= qn;
                assert!(
                    (r[n + 1] - expected).abs() < 1e-12,
                    "x = {x}, grade {}",
                    n + 1
                );
            }
        }
    }

    #[test]
    fn html_is_self_contained_with_one_svg_per_plot() {
        let cert = certificate("sin(pi*x)*sin(pi*y)", 2, 2);
        let report = build(&cert).unwrap();
        assert_eq!(report.plots.len(), 1 + 2);
        let files = report.files(Format::Html);
        assert_eq!(files.len(), 1);
        let html = &files[0].contents;
        assert_eq!(html.matches("<svg").count(), report.plots.len());
        assert_eq!(html.matches("</svg>").count(), report.plots.len());
        for reference in [
            "http:", "https:", "src=", "href=", "url(", "@import", "<link",
        ] {
            assert!(!html.contains(reference), "{reference}");
        }
        assert!(html.contains("Illustrative"));
        assert!(html.contains("certified"));
    }

    #[test]
    fn markdown_and_tex_files() {
        let cert = certificate("abs(x - 1/3)", 1, 2);
        let report = build(&cert).unwrap();
        assert_eq!(report.plots.len(), 1 + 2);
        let md = report.files(Format::Markdown);
        let names: Vec<&str> = md.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "report.md",
                "bounds.svg",
                "residual-1.svg",
                "residual-2.svg"
            ]
        );
        for name in &names[1..] {
            assert!(md[0].contents.contains(&format!("]({name})")));
        }
        let tex = report.files(Format::Tex);
        let report_tex = &tex[1].contents;
        assert_eq!(tex[0].name, "table.tex");
        assert!(report_tex.contains("\\input{table.tex}"));
        for env in ["document", "center"] {
            let begins = report_tex.matches(&format!("\\begin{{{env}}}")).count();
            assert_eq!(
                begins,
                report_tex.matches(&format!("\\end{{{env}}}")).count()
            );
        }
        let braces = |t: &str| {
            let mut depth = 0i64;
            let mut previous = ' ';
            for c in t.chars() {
                if previous != '\\' {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    assert!(depth >= 0);
                }
                previous = if previous == '\\' { ' ' } else { c };
            }
            depth
        };
        assert_eq!(braces(report_tex), 0);
        assert_eq!(braces(&tex[0].contents), 0);
        // Outside math mode, ^ and _ appear only escaped; $ signs pair up.
        for t in [report_tex, &tex[0].contents] {
            let mut math = false;
            let mut previous = ' ';
            for c in t
                .lines()
                .filter(|l| !l.starts_with('%'))
                .flat_map(|l| l.chars())
            {
                match c {
                    '$' if previous != '\\' => math = !math,
                    '^' | '_' if !math => assert_eq!(previous, '\\', "bare {c} in text mode"),
                    _ => {}
                }
                previous = c;
            }
            assert!(!math, "unbalanced $");
        }
    }

    #[test]
    fn formats_parse() {
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("html".parse::<Format>(), Ok(Format::Html));
        assert_eq!("tex".parse::<Format>(), Ok(Format::Tex));
        assert!("pdf".parse::<Format>().is_err());
    }
}
