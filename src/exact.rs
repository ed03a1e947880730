//! Exact rationals: conversions between `f64` and `BigRational`, and the text form used in
//! certificates.
//!
//! Every number that enters a proof is either an `f64` read exactly (a dyadic rational) or an
//! interval endpoint. These helpers never round: a conversion that cannot be exact fails.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

/// The exact value of a finite `f64`; `None` for NaN and infinities.
pub fn from_f64(x: f64) -> Option<BigRational> {
    BigRational::from_float(x)
}

/// The `f64` equal to `r`, if `r` is exactly representable; `None` otherwise.
pub fn to_f64_exact(r: &BigRational) -> Option<f64> {
    let x = r.to_f64()?;
    if !x.is_finite() {
        return None;
    }
    (from_f64(x)? == *r).then_some(x)
}

/// The `f64` nearest to `r` (ties and rounding as `ToPrimitive` does; not for proofs).
pub fn to_f64_nearest(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or(f64::NAN)
}

/// Text form `"p/q"` in lowest terms, or `"p"` when the denominator is 1.
pub fn format(r: &BigRational) -> String {
    if r.denom().is_one() {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// Text form of a finite `f64`, exact.
pub fn format_f64(x: f64) -> String {
    from_f64(x)
        .map(|r| format(&r))
        .unwrap_or_else(|| "NaN".to_string())
}

/// Parses `"p/q"`, `"p"`, or a decimal such as `"-0.125"` or `"1e-3"`, exactly.
///
/// # Errors
///
/// A message naming what is wrong: an empty string, a zero denominator, or stray characters.
pub fn parse(text: &str) -> Result<BigRational, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty number".to_string());
    }
    if let Some((p, q)) = s.split_once('/') {
        let p: BigInt = parse_integer(p).ok_or_else(|| format!("bad numerator in {s:?}"))?;
        let q: BigInt = parse_integer(q).ok_or_else(|| format!("bad denominator in {s:?}"))?;
        if q.is_zero() {
            return Err(format!("zero denominator in {s:?}"));
        }
        return Ok(BigRational::new(p, q));
    }
    parse_decimal(s).ok_or_else(|| format!("not a number: {s:?}"))
}

fn parse_integer(s: &str) -> Option<BigInt> {
    let s = s.trim();
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Exact value of a decimal literal: optional sign, digits with at most one point, optional
/// exponent `e` or `E` with an optional sign and at most four digits (a longer exponent
/// would make a huge rational from a short text, and no bound needs one).
pub fn parse_decimal(s: &str) -> Option<BigRational> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !all_digits(frac_part) {
        return None;
    }
    let mut exp: i64 = match exponent {
        Some(e) => {
            let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
            if digits.is_empty() || !all_digits(digits) || digits.len() > 4 {
                return None;
            }
            e.parse().ok()?
        }
        None => 0,
    };
    exp -= frac_part.len() as i64;
    let digits = format!("{int_part}{frac_part}");
    let mut value = BigRational::from_integer(digits.parse::<BigInt>().ok()?);
    let ten = BigRational::from_integer(BigInt::from(10));
    let scale = num_traits::pow(ten, exp.unsigned_abs() as usize);
    if exp >= 0 {
        value *= scale;
    } else {
        value /= scale;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(p: i64, d: i64) -> BigRational {
        BigRational::new(p.into(), d.into())
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(parse("0.1").unwrap(), q(1, 10));
        assert_eq!(parse("-1.25e-2").unwrap(), q(-1, 80));
        assert_eq!(parse("3/8").unwrap(), q(3, 8));
        assert_eq!(parse("6/-16").unwrap(), q(-3, 8));
        assert_eq!(parse("2E3").unwrap(), q(2000, 1));
        assert_eq!(parse(".5").unwrap(), q(1, 2));
    }

    #[test]
    fn bad_numbers_are_refused() {
        for s in ["", "1/0", "abc", "1.2.3", "1e", "--1", "1/2/3", "0x10", "."] {
            assert!(parse(s).is_err(), "{s} accepted");
        }
    }

    #[test]
    fn f64_round_trip_is_exact() {
        for x in [0.1, -3.5, 1e-300, 5e-324, 123456789.125] {
            let r = from_f64(x).unwrap();
            assert_eq!(to_f64_exact(&r), Some(x));
            assert_eq!(parse(&format(&r)).unwrap(), r);
        }
        assert_eq!(to_f64_exact(&q(1, 3)), None);
        assert_eq!(from_f64(f64::NAN), None);
    }
}
