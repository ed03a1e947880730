//! The report's plots: certified bounds against the grade (every dimension), sampled
//! residual curves with their certified band (1D), and sampled residual heat maps (2D).

use super::residuals;
use super::svg::{diverging, escape, Anchor, Frame, Scale, Stroke, Svg};
use super::table::{scientific, Round};
use crate::expr::Target;
use crate::grid::GradeSpec;
use crate::summary::Summary;

/// One plot: a file stem, a title and a caption that says what is certified.
#[derive(Clone, Debug)]
pub struct Plot {
    /// The file stem, e.g. `residual-3` (written as `residual-3.svg`).
    pub name: String,
    pub title: String,
    pub caption: String,
    pub svg: Svg,
}

/// Said in reports of certificates in three or more dimensions.
pub const NO_RESIDUAL_PLOTS: &str =
    "Residual plots are drawn for `d = 1` (curves) and `d = 2` (heat maps) only.";

/// At most this many heat maps: the first and last few grades beyond it.
const MAX_HEAT_MAPS: usize = 6;

/// Heat map resolution: samples per axis.
const HEAT_SAMPLES: usize = 96;

/// Colour levels of the heat maps (per sign); equal neighbours are merged into one
/// rectangle, which keeps the inlined SVG small.
const HEAT_LEVELS: f64 = 24.0;

const BLUE: &str = "#1f4e9c";
const GREY: &str = "#a8a8a8";
const GREEN: &str = "#2e7d32";
const PALETTE: [&str; 5] = ["#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d"];

/// A number for plot labels, rounded as asked: `3.334e-1`.
fn label(x: f64, round: Round) -> String {
    match scientific(x, 3, round) {
        Some((m, 0)) => m,
        Some((m, e)) => format!("{m}e{e}"),
        None => "n/a".into(),
    }
}

/// Markup for `base` with a lowered `index`, e.g. `U` and `n`, followed by `rest`. Leading
/// spaces of `rest` become a horizontal offset, since renderers differ on whether they keep
/// white space at the edge of a `<tspan>`.
fn sub(base: &str, index: &str, rest: &str) -> String {
    let trimmed = rest.trim_start();
    let lead = rest.len() - trimmed.len();
    let dx = if lead > 0 {
        format!(" dx=\"{}\"", 4 * lead)
    } else {
        String::new()
    };
    format!(
        "{}<tspan dy=\"4\" font-size=\"75%\">{}</tspan><tspan dy=\"-4\"{dx}>{}</tspan>",
        escape(base),
        escape(index),
        escape(trimmed)
    )
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Key<'a> {
    Line(Stroke<'a>),
    Dot(&'a str),
    Ring(&'a str),
    Band(&'a str),
    Bar(&'a str),
    Box(Stroke<'a>),
}

/// Draws a legend entry: its key at `x`, its text after it on the baseline `y`.
fn legend_entry(svg: &mut Svg, x: f64, y: f64, key: Key, markup: &str) {
    let mid = y - 4.0;
    match key {
        Key::Line(s) => svg.line(x, mid, x + 24.0, mid, s),
        Key::Dot(c) => svg.circle(x + 12.0, mid, 3.5, c),
        Key::Ring(c) => svg.ring(x + 12.0, mid, 5.5, c),
        Key::Band(c) => svg.rect(x, mid - 6.0, 24.0, 12.0, c, 0.25),
        Key::Bar(c) => {
            svg.line(
                x + 12.0,
                mid - 7.0,
                x + 12.0,
                mid + 7.0,
                Stroke::solid(c, 2.0),
            );
            svg.line(
                x + 8.0,
                mid - 7.0,
                x + 16.0,
                mid - 7.0,
                Stroke::solid(c, 2.0),
            );
            svg.line(
                x + 8.0,
                mid + 7.0,
                x + 16.0,
                mid + 7.0,
                Stroke::solid(c, 2.0),
            );
        }
        Key::Box(s) => svg.outline(x + 4.0, mid - 6.0, 16.0, 12.0, s),
    }
    svg.text_markup(x + 32.0, y, markup, 12.0, Anchor::Start);
}

/// The certified bounds against the grade on a log scale: `U_n`, `L_n`, the `L^p`
/// enclosures and the contraction bound `rho^n U_0`.
pub fn bounds(s: &Summary, rho: f64) -> Plot {
    let k = s.grades.len();
    let mut upper = vec![s.initial_sup_upper];
    upper.extend(s.grades.iter().map(|g| g.sup_upper));
    let mut lower = vec![s.initial_sup_lower];
    lower.extend(s.grades.iter().map(|g| g.sup_lower));
    let mut lp = vec![s.initial_lp.clone()];
    lp.extend(s.grades.iter().map(|g| g.lp.clone()));
    let contraction: Vec<f64> = (0..=k)
        .map(|n| rho.powi(n as i32) * s.initial_sup_upper)
        .collect();

    let positive = upper
        .iter()
        .chain(&lower)
        .chain(&contraction)
        .chain(lp.iter().flatten().flat_map(|l| [&l.lower, &l.upper]))
        .copied()
        .filter(|v| *v > 0.0 && v.is_finite());
    let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.1, 1.0) };

    let mut svg = Svg::new(760.0, 450.0);
    let frame = Frame {
        left: 85.0,
        top: 45.0,
        width: 430.0,
        height: 330.0,
        x: Scale::Index {
            lo: -0.3,
            hi: k.max(1) as f64 + 0.45,
        },
        y: Scale::log_decades(lo, hi),
    };
    svg.text(
        frame.left,
        25.0,
        "Certified bounds against the grade n (log scale)",
        15.0,
        Anchor::Start,
    );
    frame.axes(&mut svg, "grade n", "bound");
    let xs: Vec<f64> = (0..=k).map(|n| n as f64).collect();
    let points = |values: &[f64], dx: f64| -> Vec<(f64, f64)> {
        xs.iter()
            .zip(values)
            .filter(|(_, v)| **v > 0.0)
            .map(|(x, v)| (frame.px(*x) + dx, frame.py(*v)))
            .collect()
    };
    svg.polyline(
        &points(&contraction, 0.0),
        Stroke::dashed("#555555", 1.5, "7 5"),
    );
    for (j, _) in s.initial_lp.iter().enumerate() {
        let colour = PALETTE[j % PALETTE.len()];
        // The bars sit right of their grade, within a third of the way to the next one.
        let unit = frame.width / (k.max(1) as f64 + 0.75);
        let step = (0.33 * unit / s.initial_lp.len() as f64).min(7.0);
        let dx = step * (j + 1) as f64;
        let tops: Vec<f64> = lp
            .iter()
            .map(|row| row.get(j).map_or(0.0, |l| l.upper))
            .collect();
        svg.polyline(&points(&tops, dx), Stroke::solid(colour, 1.0));
        for (n, row) in lp.iter().enumerate() {
            let Some(l) = row.get(j) else { continue };
            if !(l.lower > 0.0) {
                continue;
            }
            let x = frame.px(n as f64) + dx;
            let (y0, y1) = (frame.py(l.lower), frame.py(l.upper));
            let st = Stroke::solid(colour, 2.0);
            svg.line(x, y0, x, y1, st);
            svg.line(x - 3.0, y0, x + 3.0, y0, st);
            svg.line(x - 3.0, y1, x + 3.0, y1, st);
        }
    }
    svg.polyline(&points(&upper, 0.0), Stroke::solid(BLUE, 2.0));
    for (x, y) in points(&upper, 0.0) {
        svg.circle(x, y, 3.5, BLUE);
    }
    for (x, y) in points(&lower, 0.0) {
        svg.ring(x, y, 5.5, BLUE);
    }

    let lx = frame.right() + 20.0;
    let mut ly = frame.top + 14.0;
    let mut entry = |svg: &mut Svg, key: Key, markup: String| {
        legend_entry(svg, lx, ly, key, &markup);
        ly += 24.0;
    };
    entry(
        &mut svg,
        Key::Dot(BLUE),
        sub("U", "n", " certified sup bound"),
    );
    entry(
        &mut svg,
        Key::Ring(BLUE),
        sub("L", "n", " certified, attained"),
    );
    for (j, l) in s.initial_lp.iter().enumerate() {
        let name = format!(
            "L<tspan dy=\"-6\" font-size=\"75%\">{}</tspan><tspan dy=\"6\" dx=\"6\">certified \
             enclosure</tspan>",
            escape(&l.p.to_string())
        );
        entry(&mut svg, Key::Bar(PALETTE[j % PALETTE.len()]), name);
    }
    entry(
        &mut svg,
        Key::Line(Stroke::dashed("#555555", 1.5, "7 5")),
        format!(
            "&#961;<tspan dy=\"-6\" font-size=\"75%\">n</tspan><tspan dy=\"6\" dx=\"4\">{}</tspan>",
            sub("U", "0", &format!(", \u{3c1} = {}", rho))
        ),
    );
    svg.text(
        frame.left,
        frame.bottom() + 62.0,
        "Every point drawn is a certified bound (grade 0 is the target itself).",
        12.0,
        Anchor::Start,
    );

    let ratio = s
        .grades
        .last()
        .map(|g| g.sup_upper / s.initial_sup_upper)
        .unwrap_or(1.0);
    Plot {
        name: "bounds".into(),
        title: "Certified bounds against the grade".into(),
        caption: format!(
            "Certified: the sup bounds `U_n` (dots) and `L_n` (rings), the `L^p` enclosures \
             (bars; lines join their upper ends) and the contraction bound `rho^n U_0` with \
             `rho = {}` (dashed), for `n = 0..{k}`, on a log scale. `U_{k} / U_0` = {} against \
             `rho^{k}` = {}.",
            rho,
            label(ratio, Round::Nearest),
            label(rho.powi(k as i32), Round::Nearest)
        ),
        svg,
    }
}

/// The points of a polyline that shows the envelope of a densely sampled curve: per pixel
/// column, the least and the greatest sample, so that narrow peaks stay visible.
fn envelope(frame: &Frame, xs: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
    let columns = frame.width.max(1.0) as usize;
    let mut out = Vec::with_capacity(2 * columns);
    let n = xs.len();
    if n <= 2 * columns {
        return xs
            .iter()
            .zip(ys)
            .map(|(x, y)| (frame.px(*x), frame.py(*y)))
            .collect();
    }
    for c in 0..columns {
        let (a, b) = (
            c * n / columns,
            ((c + 1) * n / columns).max(c * n / columns + 1),
        );
        let chunk = &ys[a..b.min(n)];
        let (lo, hi) = chunk
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(*v), h.max(*v))
            });
        let x = frame.px(0.5 * (xs[a] + xs[b.min(n) - 1]));
        out.push((x, frame.py(lo)));
        if hi > lo {
            out.push((x, frame.py(hi)));
        }
    }
    out
}

/// One plot per grade of `|r_n|` and `|r_{n-1}|` sampled over `[0, 1]`, with the certified
/// band `[0, U_n]`, the certified point where `|r_n| >= L_n`, and the witness interval.
pub fn residuals_1d(
    target: &Target,
    specs: &[GradeSpec],
    s: &Summary,
    lower_points: &[Vec<f64>],
) -> Vec<Plot> {
    let finest = specs.iter().map(|g| g.grid.n as usize).max().unwrap_or(1);
    let samples = (8 * finest + 1).clamp(2001, 65537);
    let xs: Vec<f64> = (0..samples)
        .map(|i| i as f64 / (samples - 1) as f64)
        .collect();
    let mut values = vec![Vec::with_capacity(samples); specs.len() + 1];
    let mut r = Vec::new();
    for &x in &xs {
        residuals(target, specs, &[x], &mut r);
        for (n, v) in r.iter().enumerate() {
            values[n].push(v.abs());
        }
    }
    let mut plots = Vec::new();
    for (i, g) in s.grades.iter().enumerate() {
        let n = g.grade;
        let previous_upper = if i == 0 {
            s.initial_sup_upper
        } else {
            s.grades[i - 1].sup_upper
        };
        let mut svg = Svg::new(760.0, 450.0);
        let frame = Frame {
            left: 85.0,
            top: 45.0,
            width: 640.0,
            height: 300.0,
            x: Scale::Linear { lo: 0.0, hi: 1.0 },
            y: Scale::Linear {
                lo: 0.0,
                hi: 1.08 * previous_upper.max(g.sup_upper),
            },
        };
        svg.text(
            frame.left,
            25.0,
            &format!("Grade {n}: |r_{n}| on [0, 1], sampled at {samples} points"),
            15.0,
            Anchor::Start,
        );
        // The certified band and the witness interval lie under the curves.
        let band_top = frame.py(g.sup_upper);
        svg.rect(
            frame.left,
            band_top,
            frame.width,
            frame.bottom() - band_top,
            GREEN,
            0.10,
        );
        if let Some([a, b]) = g.strict_decay_witness.first() {
            let (xa, xb) = (frame.px(*a), frame.px(*b));
            svg.rect(
                xa,
                frame.top,
                (xb - xa).max(1.0),
                frame.height,
                "#f0a030",
                0.22,
            );
        }
        frame.axes(&mut svg, "x", "absolute residual");
        svg.polyline(&envelope(&frame, &xs, &values[i]), Stroke::solid(GREY, 1.2));
        svg.polyline(
            &envelope(&frame, &xs, &values[i + 1]),
            Stroke::solid(BLUE, 1.4),
        );
        svg.line(
            frame.left,
            band_top,
            frame.right(),
            band_top,
            Stroke::solid(GREEN, 2.0),
        );
        svg.text_markup(
            frame.right() - 6.0,
            band_top - 6.0,
            &format!(
                "certified {}",
                sub(
                    "U",
                    &n.to_string(),
                    &format!(" = {}", label(g.sup_upper, Round::Up))
                )
            ),
            12.0,
            Anchor::End,
        );
        let prev_y = frame.py(previous_upper);
        svg.line(
            frame.left,
            prev_y,
            frame.right(),
            prev_y,
            Stroke::dashed(GREY, 1.2, "5 4"),
        );
        svg.text_markup(
            frame.left + 6.0,
            prev_y - 5.0,
            &format!(
                "certified {}",
                sub(
                    "U",
                    &n.saturating_sub(1).to_string(),
                    &format!(" = {}", label(previous_upper, Round::Up))
                )
            ),
            12.0,
            Anchor::Start,
        );
        if let Some(&x) = lower_points.get(i).and_then(|p| p.first()) {
            svg.ring(frame.px(x), frame.py(g.sup_lower), 5.5, GREEN);
        }
        let ly = frame.bottom() + 66.0;
        legend_entry(
            &mut svg,
            frame.left - 60.0,
            ly,
            Key::Line(Stroke::solid(BLUE, 1.4)),
            &sub("|r", &n.to_string(), "| sampled"),
        );
        legend_entry(
            &mut svg,
            frame.left + 105.0,
            ly,
            Key::Line(Stroke::solid(GREY, 1.2)),
            &sub("|r", &n.saturating_sub(1).to_string(), "| sampled"),
        );
        legend_entry(
            &mut svg,
            frame.left + 270.0,
            ly,
            Key::Band(GREEN),
            &format!("certified band [0, {}", sub("U", &n.to_string(), "]")),
        );
        legend_entry(
            &mut svg,
            frame.left + 465.0,
            ly,
            Key::Ring(GREEN),
            &format!("certified {}", sub("L", &n.to_string(), " point")),
        );
        legend_entry(
            &mut svg,
            frame.left + 465.0,
            ly + 22.0,
            Key::Band("#f0a030"),
            "certified witness",
        );
        plots.push(Plot {
            name: format!("residual-{n}"),
            title: format!("Grade {n}: sampled residual and certified band"),
            caption: format!(
                "Illustrative: `|r_{n}|` (blue) and `|r_{p}|` (grey) sampled in floating point \
                 at {samples} equally spaced points. Certified: the band `[0, U_{n}]` with \
                 `U_{n}` = {} (green), the bound `U_{p}` = {} (dashed), the point where \
                 `|r_{n}| >= L_{n}` = {} (ring), and the witness interval (orange) where \
                 `inf |r_{p}| > sup |r_{n}|`.",
                label(g.sup_upper, Round::Up),
                label(previous_upper, Round::Up),
                label(g.sup_lower, Round::Down),
                p = n.saturating_sub(1)
            ),
            svg,
        });
    }
    plots
}

/// The grades given a heat map: all of them, or the first and last few when there are many.
fn shown_grades(k: usize) -> Vec<usize> {
    if k <= MAX_HEAT_MAPS {
        (0..k).collect()
    } else {
        let half = MAX_HEAT_MAPS / 2;
        (0..half).chain(k - half..k).collect()
    }
}

/// Heat maps of the signed residual `r_n` sampled on a grid, coloured on the certified
/// range `[-U_n, U_n]`, with the witness box and the certified lower-bound point marked.
pub fn heat_maps_2d(
    target: &Target,
    specs: &[GradeSpec],
    s: &Summary,
    lower_points: &[Vec<f64>],
) -> Vec<Plot> {
    let m = HEAT_SAMPLES;
    let centre = |i: usize| (i as f64 + 0.5) / m as f64;
    // values[n][j * m + i] = r_n at (centre(i), centre(j)).
    let mut values = vec![vec![0.0; m * m]; specs.len() + 1];
    let mut r = Vec::new();
    for j in 0..m {
        for i in 0..m {
            residuals(target, specs, &[centre(i), centre(j)], &mut r);
            for (n, v) in r.iter().enumerate() {
                values[n][j * m + i] = *v;
            }
        }
    }
    let mut plots = Vec::new();
    for i in shown_grades(s.grades.len()) {
        let g = &s.grades[i];
        let n = g.grade;
        let mut svg = Svg::new(560.0, 470.0);
        let frame = Frame {
            left: 75.0,
            top: 50.0,
            width: 340.0,
            height: 340.0,
            x: Scale::Linear { lo: 0.0, hi: 1.0 },
            y: Scale::Linear { lo: 0.0, hi: 1.0 },
        };
        svg.text(
            frame.left,
            22.0,
            &format!("Grade {n}: r_{n}(x, y), sampled at {m} x {m} points"),
            15.0,
            Anchor::Start,
        );
        let level = |v: f64| {
            (v / g.sup_upper * HEAT_LEVELS)
                .round()
                .clamp(-HEAT_LEVELS, HEAT_LEVELS)
        };
        let cell = frame.width / m as f64;
        svg.begin_crisp_group();
        for row in 0..m {
            let y = frame.py((row + 1) as f64 / m as f64);
            let mut start = 0;
            while start < m {
                let l = level(values[i + 1][row * m + start]);
                let mut end = start + 1;
                while end < m && level(values[i + 1][row * m + end]) == l {
                    end += 1;
                }
                if l != 0.0 {
                    // A little wider and taller than the run, so that renderers that
                    // ignore crispEdges show no hairline seams between rectangles.
                    svg.rect(
                        frame.left + start as f64 * cell,
                        y,
                        (end - start) as f64 * cell + 0.6,
                        cell + 0.6,
                        &diverging(l / HEAT_LEVELS),
                        1.0,
                    );
                }
                start = end;
            }
        }
        svg.end_group();
        frame.axes_without_grid(&mut svg, "x", "y");
        if g.strict_decay_witness.len() == 2 {
            let [[a, b], [c, d]] = [g.strict_decay_witness[0], g.strict_decay_witness[1]];
            let (x0, x1, y0, y1) = (frame.px(a), frame.px(b), frame.py(d), frame.py(c));
            svg.outline(
                x0,
                y0,
                (x1 - x0).max(1.0),
                (y1 - y0).max(1.0),
                Stroke::dashed("#000000", 1.5, "4 3"),
            );
        }
        if let Some(p) = lower_points.get(i).filter(|p| p.len() == 2) {
            svg.ring(frame.px(p[0]), frame.py(p[1]), 5.0, "#000000");
        }
        // The colour bar spans the certified range [-U_n, U_n].
        let bar_x = frame.right() + 22.0;
        let steps = 2 * HEAT_LEVELS as usize + 1;
        let step_h = frame.height / steps as f64;
        for k in 0..steps {
            let t = 1.0 - k as f64 / HEAT_LEVELS;
            svg.rect(
                bar_x,
                frame.top + k as f64 * step_h,
                16.0,
                step_h + 0.5,
                &diverging(t),
                1.0,
            );
        }
        svg.outline(
            bar_x,
            frame.top,
            16.0,
            frame.height,
            Stroke::solid("#333333", 1.0),
        );
        let text_x = bar_x + 22.0;
        let u = label(g.sup_upper, Round::Up);
        svg.text_markup(
            text_x,
            frame.top + 10.0,
            &sub("+U", &n.to_string(), ""),
            12.0,
            Anchor::Start,
        );
        svg.text(text_x, frame.top + 26.0, &u, 11.0, Anchor::Start);
        svg.text(
            text_x,
            frame.top + frame.height / 2.0 + 4.0,
            "0",
            12.0,
            Anchor::Start,
        );
        svg.text_markup(
            text_x,
            frame.bottom() - 18.0,
            &sub("-U", &n.to_string(), ""),
            12.0,
            Anchor::Start,
        );
        svg.text(
            text_x,
            frame.bottom() - 2.0,
            &format!("-{u}"),
            11.0,
            Anchor::Start,
        );
        svg.text(
            bar_x - 4.0,
            frame.bottom() + 40.0,
            "certified range",
            11.0,
            Anchor::Start,
        );
        let ly = frame.bottom() + 66.0;
        legend_entry(
            &mut svg,
            frame.left - 60.0,
            ly,
            Key::Box(Stroke::dashed("#000000", 1.5, "4 3")),
            "certified witness box",
        );
        legend_entry(
            &mut svg,
            frame.left + 130.0,
            ly,
            Key::Ring("#000000"),
            &format!(
                "certified {}{}",
                sub("|r", &n.to_string(), "| \u{2265} L"),
                sub("", &n.to_string(), " here")
            ),
        );
        plots.push(Plot {
            name: format!("residual-{n}"),
            title: format!("Grade {n}: sampled residual heat map"),
            caption: format!(
                "Illustrative: `r_{n}` sampled in floating point at the centres of a `{m} x {m}` \
                 grid (blue negative, red positive). Certified: the colour range \
                 `[-U_{n}, U_{n}]` with `U_{n}` = {} (every value of `r_{n}` lies in it), the \
                 point (ring) where `|r_{n}| >= L_{n}` = {}, and the witness box (dashed) where \
                 `inf |r_{p}| > sup |r_{n}|`.",
                label(g.sup_upper, Round::Up),
                label(g.sup_lower, Round::Down),
                p = n.saturating_sub(1)
            ),
            svg,
        });
    }
    plots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::{GradeRow, LpRow};

    #[test]
    fn shown_grades_keep_first_and_last() {
        assert_eq!(shown_grades(4), vec![0, 1, 2, 3]);
        assert_eq!(shown_grades(10), vec![0, 1, 2, 7, 8, 9]);
    }

    #[test]
    fn envelope_keeps_narrow_peaks() {
        let frame = Frame {
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 100.0,
            x: Scale::Linear { lo: 0.0, hi: 1.0 },
            y: Scale::Linear { lo: 0.0, hi: 1.0 },
        };
        let xs: Vec<f64> = (0..1001).map(|i| i as f64 / 1000.0).collect();
        let ys: Vec<f64> = (0..1001)
            .map(|i| if i == 503 { 1.0 } else { 0.0 })
            .collect();
        let pts = envelope(&frame, &xs, &ys);
        assert!(pts.len() <= 20);
        assert!(
            pts.iter().any(|p| p.1 == 0.0),
            "the peak (y = 1 at the top) is kept"
        );
    }

    #[test]
    fn bounds_plot_has_every_grade() {
        let lp = vec![LpRow {
            p: 1.0,
            lower: 0.1,
            upper: 0.11,
        }];
        let row = |n: usize, u: f64| GradeRow {
            grade: n,
            grid: 4,
            hats: 5,
            depth: 11,
            params: 100,
            eps: u,
            delta: u / 4.0,
            sup_upper: u,
            sup_lower: u * 0.99,
            lp: lp.clone(),
            monotone_certified: true,
            strict_decay_witness: vec![[0.25, 0.5]],
            leaves: 10,
        };
        let s = Summary {
            target: "x".into(),
            dim: 1,
            width: 4,
            theta: 0.5,
            kappa: 0.5,
            stopped_by: "grades".into(),
            complete: true,
            initial_sup_upper: 1.0,
            initial_sup_lower: 1.0,
            initial_lp: lp.clone(),
            final_sup_upper: 0.3,
            total_hats: 10,
            total_depth: 22,
            total_params: 200,
            grades: vec![row(1, 0.6), row(2, 0.3)],
        };
        let plot = bounds(&s, 0.75);
        let doc = plot.svg.finish(true);
        // Filled dots for U_0..U_2 and the legend's; rings for L_0..L_2 and the legend's.
        assert_eq!(doc.matches(&format!("fill=\"{BLUE}\"/>")).count(), 3 + 1);
        assert_eq!(
            doc.matches(&format!("stroke=\"{BLUE}\" stroke-width=\"1.5\"/>"))
                .count(),
            3 + 1
        );
        assert!(plot.caption.contains("Certified"));
    }
}
