//! A small SVG writer for the report's plots: a canvas of primitives, linear and logarithmic
//! axes with ticks, and a diverging colour map.
//!
//! Written by hand rather than with a plotting crate so that the report costs no
//! dependency and needs no fonts: text is left to the viewer's generic `sans-serif` family.
//! Every document is self-contained (no external references); [`Svg::finish`] can omit the
//! namespace attribute for inlining in HTML, where it is implied.

use std::fmt::Write;

/// Escapes `&`, `<`, `>` and `"` for XML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Stroke style of a line or polyline.
#[derive(Clone, Copy, Debug)]
pub struct Stroke<'a> {
    pub colour: &'a str,
    pub width: f64,
    /// An SVG `stroke-dasharray`, e.g. `"6 4"`; `None` for a solid line.
    pub dash: Option<&'a str>,
}

impl<'a> Stroke<'a> {
    pub fn solid(colour: &'a str, width: f64) -> Self {
        Stroke {
            colour,
            width,
            dash: None,
        }
    }

    pub fn dashed(colour: &'a str, width: f64, dash: &'a str) -> Self {
        Stroke {
            colour,
            width,
            dash: Some(dash),
        }
    }

    fn attributes(&self) -> String {
        let mut s = format!(
            "stroke=\"{}\" stroke-width=\"{}\"",
            self.colour,
            short(self.width)
        );
        if let Some(d) = self.dash {
            let _ = write!(s, " stroke-dasharray=\"{d}\"");
        }
        s
    }
}

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A coordinate with two decimals, without trailing zeros (keeps files small).
fn short(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// An SVG document under construction, in pixel coordinates (y downwards).
#[derive(Clone, Debug)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// An empty canvas of `width` by `height` pixels with a white background.
    pub fn new(width: f64, height: f64) -> Self {
        let mut svg = Svg {
            width,
            height,
            body: String::new(),
        };
        svg.rect(0.0, 0.0, width, height, "#ffffff", 1.0);
        svg
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: Stroke) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            short(x1),
            short(y1),
            short(x2),
            short(y2),
            stroke.attributes()
        );
    }

    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, opacity: f64) {
        let _ = write!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"",
            short(x),
            short(y),
            short(w),
            short(h)
        );
        if opacity < 1.0 {
            let _ = write!(self.body, " fill-opacity=\"{}\"", short(opacity));
        }
        self.body.push_str("/>\n");
    }

    /// An unfilled rectangle.
    pub fn outline(&mut self, x: f64, y: f64, w: f64, h: f64, stroke: Stroke) {
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" {}/>",
            short(x),
            short(y),
            short(w),
            short(h),
            stroke.attributes()
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke) {
        if points.is_empty() {
            return;
        }
        self.body
            .push_str("<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"");
        for (i, (x, y)) in points.iter().enumerate() {
            if i > 0 {
                self.body.push(' ');
            }
            let _ = write!(self.body, "{},{}", short(*x), short(*y));
        }
        let _ = writeln!(self.body, "\" {}/>", stroke.attributes());
    }

    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>",
            short(cx),
            short(cy),
            short(r)
        );
    }

    /// An unfilled circle (a ring marker).
    pub fn ring(&mut self, cx: f64, cy: f64, r: f64, colour: &str) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"{colour}\" \
             stroke-width=\"1.5\"/>",
            short(cx),
            short(cy),
            short(r)
        );
    }

    /// A text; `markup` is already escaped and may hold `<tspan>` elements.
    pub fn text_markup(&mut self, x: f64, y: f64, markup: &str, size: f64, anchor: Anchor) {
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\">{markup}</text>",
            short(x),
            short(y),
            short(size),
            anchor.name()
        );
    }

    /// A plain text, escaped here.
    pub fn text(&mut self, x: f64, y: f64, text: &str, size: f64, anchor: Anchor) {
        self.text_markup(x, y, &escape(text), size, anchor);
    }

    /// A plain text turned 90 degrees counter-clockwise about its anchor (a y-axis label).
    pub fn text_vertical(&mut self, x: f64, y: f64, text: &str, size: f64) {
        let _ = writeln!(
            self.body,
            "<text x=\"{0}\" y=\"{1}\" font-size=\"{2}\" text-anchor=\"middle\" \
             transform=\"rotate(-90 {0} {1})\">{3}</text>",
            short(x),
            short(y),
            short(size),
            escape(text)
        );
    }

    /// Opens a group whose shapes are drawn without anti-aliased edges, so that adjacent
    /// rectangles (a heat map) show no seams; close it with [`Svg::end_group`].
    pub fn begin_crisp_group(&mut self) {
        self.body.push_str("<g shape-rendering=\"crispEdges\">\n");
    }

    pub fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The canvas width in pixels.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// The document. With `standalone`, it carries the SVG namespace, as a `.svg` file
    /// needs; without, it is meant to be inlined in HTML, where the namespace is implied.
    pub fn finish(&self, standalone: bool) -> String {
        let ns = if standalone {
            " xmlns=\"http://www.w3.org/2000/svg\""
        } else {
            ""
        };
        format!(
            "<svg{ns} width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"sans-serif\">\n{}</svg>\n",
            self.body,
            w = short(self.width),
            h = short(self.height)
        )
    }
}

/// A map from data values to `[0, 1]` along one axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    Linear {
        lo: f64,
        hi: f64,
    },
    /// Linear, with ticks at whole numbers only (an axis of grades).
    Index {
        lo: f64,
        hi: f64,
    },
    /// Both ends positive; values are placed by their logarithm.
    Log {
        lo: f64,
        hi: f64,
    },
}

impl Scale {
    /// A logarithmic scale from whole decades around `[lo, hi]` (both positive).
    pub fn log_decades(lo: f64, hi: f64) -> Self {
        let lo = 10f64.powf(lo.log10().floor());
        let mut hi = 10f64.powf(hi.log10().ceil());
        if hi <= lo {
            hi = lo * 10.0;
        }
        Scale::Log { lo, hi }
    }

    /// The position of `v` in `[0, 1]` (outside for values out of range; non-positive
    /// values on a log scale go to minus infinity).
    pub fn fraction(&self, v: f64) -> f64 {
        match *self {
            Scale::Linear { lo, hi } | Scale::Index { lo, hi } => (v - lo) / (hi - lo),
            Scale::Log { lo, hi } => (v.ln() - lo.ln()) / (hi.ln() - lo.ln()),
        }
    }

    /// Tick positions with their labels as SVG text markup.
    pub fn ticks(&self) -> Vec<(f64, String)> {
        match *self {
            Scale::Linear { lo, hi } => {
                let step = nice_step((hi - lo) / 5.0);
                let first = (lo / step).ceil() as i64;
                let last = (hi / step + 1e-9).floor() as i64;
                (first..=last)
                    .map(|k| {
                        let v = k as f64 * step;
                        (v, escape(&format_tick(v, step)))
                    })
                    .collect()
            }
            Scale::Index { lo, hi } => {
                let step = nice_step((hi - lo) / 8.0).max(1.0) as i64;
                let first = lo.ceil() as i64;
                let last = hi.floor() as i64;
                (first..=last)
                    .filter(|k| k % step == 0)
                    .map(|k| (k as f64, k.to_string()))
                    .collect()
            }
            Scale::Log { lo, hi } => {
                let a = lo.log10().round() as i32;
                let b = hi.log10().round() as i32;
                let every = ((b - a) / 8 + 1).max(1);
                let mut ticks: Vec<(f64, String)> = (a..=b)
                    .filter(|e| (e - a) % every == 0)
                    .map(|e| (10f64.powi(e), power_of_ten(e)))
                    .collect();
                if b - a <= 2 {
                    // Few decades: label 2 and 5 times each power as well.
                    for e in a..b {
                        for m in [2.0, 5.0] {
                            let v = m * 10f64.powi(e);
                            ticks.push((v, format!("{m}&#215;{}", power_of_ten(e))));
                        }
                    }
                    ticks.sort_by(|x, y| x.0.total_cmp(&y.0));
                }
                ticks
            }
        }
    }
}

/// `10^e` as SVG text with a raised exponent.
pub fn power_of_ten(e: i32) -> String {
    format!("10<tspan dy=\"-6\" font-size=\"75%\">{e}</tspan>")
}

/// The step among `1, 2, 5` times a power of ten nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw > 0.0) || !raw.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A tick label with as many decimals as the step needs.
fn format_tick(v: f64, step: f64) -> String {
    if step >= 1.0 || v == 0.0 {
        return format!("{}", v.round());
    }
    if step < 1e-3 {
        return format!("{v:.1e}");
    }
    let decimals = (-step.log10()).ceil().max(0.0) as usize;
    format!("{v:.decimals$}")
}

/// A plotting area inside a canvas: its pixel rectangle and its two scales.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub x: Scale,
    pub y: Scale,
}

impl Frame {
    /// The pixel abscissa of `x`.
    pub fn px(&self, x: f64) -> f64 {
        self.left + self.x.fraction(x) * self.width
    }

    /// The pixel ordinate of `y` (upwards in data, downwards in pixels).
    pub fn py(&self, y: f64) -> f64 {
        self.top + (1.0 - self.y.fraction(y)) * self.height
    }

    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// Draws the box, grid lines, ticks with labels, and the axis labels.
    pub fn axes(&self, svg: &mut Svg, x_label: &str, y_label: &str) {
        self.draw_axes(svg, x_label, y_label, true);
    }

    /// As [`Frame::axes`], without grid lines (over a heat map).
    pub fn axes_without_grid(&self, svg: &mut Svg, x_label: &str, y_label: &str) {
        self.draw_axes(svg, x_label, y_label, false);
    }

    fn draw_axes(&self, svg: &mut Svg, x_label: &str, y_label: &str, grid_lines: bool) {
        let grid = Stroke::solid("#e4e4e4", 1.0);
        let tick = Stroke::solid("#333333", 1.0);
        for (v, label) in self.x.ticks() {
            let x = self.px(v);
            if grid_lines {
                svg.line(x, self.top, x, self.bottom(), grid);
            }
            svg.line(x, self.bottom(), x, self.bottom() + 5.0, tick);
            svg.text_markup(x, self.bottom() + 19.0, &label, 12.0, Anchor::Middle);
        }
        for (v, label) in self.y.ticks() {
            let y = self.py(v);
            if grid_lines {
                svg.line(self.left, y, self.right(), y, grid);
            }
            svg.line(self.left - 5.0, y, self.left, y, tick);
            svg.text_markup(self.left - 8.0, y + 4.0, &label, 12.0, Anchor::End);
        }
        svg.outline(self.left, self.top, self.width, self.height, tick);
        svg.text(
            self.left + self.width / 2.0,
            self.bottom() + 40.0,
            x_label,
            13.0,
            Anchor::Middle,
        );
        svg.text_vertical(
            self.left - 58.0,
            self.top + self.height / 2.0,
            y_label,
            13.0,
        );
    }
}

/// A diverging colour map: `t = -1` blue, `0` white, `1` red (`t` is clamped), as a
/// `#rrggbb` string.
pub fn diverging(t: f64) -> String {
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let (end, s) = if t < 0.0 {
        ([33.0, 102.0, 172.0], -t)
    } else {
        ([178.0, 24.0, 43.0], t)
    };
    let channel = |c: f64| (255.0 + (c - 255.0) * s).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(end[0]),
        channel(end[1]),
        channel(end[2])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn linear_ticks_are_round_and_in_range() {
        let ticks = Scale::Linear { lo: 0.0, hi: 1.0 }.ticks();
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let ticks = Scale::Linear { lo: -0.3, hi: 0.3 }.ticks();
        assert!(ticks.iter().all(|t| (-0.3..=0.3).contains(&t.0)));
        assert!(ticks.len() >= 3);
    }

    #[test]
    fn log_scale_places_decades_evenly() {
        let s = Scale::log_decades(3e-3, 0.7);
        assert_eq!(s, Scale::Log { lo: 1e-3, hi: 1.0 });
        assert!((s.fraction(1e-2) - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.fraction(0.1) - 2.0 / 3.0).abs() < 1e-12);
        let ticks = s.ticks();
        assert_eq!(ticks.len(), 4);
        assert_eq!(ticks[0].1, power_of_ten(-3));
        // One or two decades: 2 and 5 times each power are labelled too.
        let narrow = Scale::log_decades(0.15, 0.9).ticks();
        let values: Vec<f64> = narrow.iter().map(|t| t.0).collect();
        assert_eq!(values, [0.1, 0.2, 0.5, 1.0]);
        // Many decades: labels are thinned out but still include the first.
        assert!(Scale::log_decades(1e-30, 1.0).ticks().len() <= 10);
    }

    #[test]
    fn index_ticks_are_whole_numbers() {
        let ticks = Scale::Index { lo: -0.3, hi: 2.3 }.ticks();
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["0", "1", "2"]);
        let ticks = Scale::Index { lo: -0.3, hi: 40.3 }.ticks();
        assert!(ticks.len() <= 9 && ticks[0].1 == "0");
    }

    #[test]
    fn frame_maps_corners() {
        let f = Frame {
            left: 10.0,
            top: 20.0,
            width: 100.0,
            height: 50.0,
            x: Scale::Linear { lo: 0.0, hi: 1.0 },
            y: Scale::Linear { lo: 0.0, hi: 2.0 },
        };
        assert_eq!((f.px(0.0), f.py(0.0)), (10.0, 70.0));
        assert_eq!((f.px(1.0), f.py(2.0)), (110.0, 20.0));
    }

    #[test]
    fn documents_are_well_formed_and_self_contained() {
        let mut svg = Svg::new(200.0, 100.0);
        svg.line(0.0, 0.0, 10.0, 10.0, Stroke::dashed("#000", 1.0, "4 2"));
        svg.polyline(&[(0.0, 1.0), (2.5, 3.25)], Stroke::solid("red", 1.5));
        svg.text(5.0, 5.0, "|r_n| <= U_n", 10.0, Anchor::Start);
        svg.circle(1.0, 1.0, 2.0, "blue");
        let inline = svg.finish(false);
        assert!(inline.starts_with("<svg width=\"200\""));
        assert!(inline.trim_end().ends_with("</svg>"));
        assert!(!inline.contains("http"));
        assert!(inline.contains("|r_n| &lt;= U_n"));
        assert!(inline.contains("points=\"0,1 2.5,3.25\""));
        assert!(inline.contains("stroke-dasharray=\"4 2\""));
        assert_eq!(
            inline.matches("<text").count(),
            inline.matches("</text>").count()
        );
        let file = svg.finish(true);
        assert!(file.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn diverging_map_ends_and_middle() {
        assert_eq!(diverging(0.0), "#ffffff");
        assert_eq!(diverging(-1.0), "#2166ac");
        assert_eq!(diverging(1.0), "#b2182b");
        assert_eq!(diverging(7.0), diverging(1.0));
        assert_eq!(diverging(f64::NAN), "#ffffff");
    }
}
