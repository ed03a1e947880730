//! multigrade: certified fixed-width multigrade ReLU networks.
//!
//! For a continuous target `f` on `[0,1]^d`, the crate builds grade after grade of a
//! multigrade ReLU network whose every hidden layer has the same width `W(d) = d + 3`, and
//! proves with interval arithmetic, for each grade, that the residual shrinks pointwise,
//! that its sup norm contracts, and that every `L^p` norm strictly decreases.
//!
//! Layout, from the trusted base outwards:
//! - [`exact`]: exact rationals and their text form;
//! - [`expr`]: target expressions, evaluated in `f64` and in decorated intervals;
//! - [`grid`]: grids, the Kuhn interpolant and a grade's compact description;
//! - [`network`]: the fixed-width ReLU network compiled from grade descriptions;
//! - [`cert`]: the certificate schema;
//! - [`check`]: the trusted kernel: enclosures, partitions and the checker;
//! - [`prover`]: the untrusted search that builds grades and partitions;
//! - [`parallel`]: work split over the cores;
//! - [`summary`]: a certificate's figures as plain numbers, for tables and JSON;
//! - [`verify_network`]: monotonicity of networks trained elsewhere, certified or refuted;
//! - [`report`]: Markdown, HTML and LaTeX reports of a certificate, with SVG plots;
//! - [`testing`]: proptest strategies and assertions for other crates' tests.

// Comparisons such as `!(bound <= limit)` are deliberate: they fail when either side is NaN,
// which is the safe outcome for every check in this crate.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod cert;
pub mod check;
pub mod exact;
pub mod expr;
pub mod grid;
pub mod network;
pub mod parallel;
pub mod prover;
pub mod report;
pub mod summary;
pub mod testing;
pub mod verify_network;
