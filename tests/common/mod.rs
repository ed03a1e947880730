//! Strategies shared by the integration tests: the library's own, which other crates use
//! through `multigrade::testing` too.

// Each test crate that includes this module uses only part of it.
#![allow(unused_imports)]

pub use multigrade::testing::strategies::{expression, generated, Generated};
