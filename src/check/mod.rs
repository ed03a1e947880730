//! The trusted kernel: enclosures over boxes, partition trees, and the certificate checker.
//!
//! The prover (`crate::prover`) uses [`enclose`] and [`leaf`] to compute the bounds it
//! states, so that the checker's recomputation gives the same bits; the kernel never uses
//! the prover.

pub mod boxes;
pub mod enclose;
pub mod leaf;
pub mod verify;

pub use verify::{check, check_with, CheckError, CheckOptions, CheckSummary};
