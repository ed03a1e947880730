//! Integration tests of the `multigrade` binary: its outputs, its files, and its exit codes
//! (0 ok, 1 check rejected, 2 usage/input/IO error, 3 target refused, 4 stopped early).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use num_rational::BigRational;
use serde_json::Value;
use tempfile::TempDir;

/// No command in these tests should come near this; past it the child is killed and the
/// test fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(60);

const OK: i32 = 0;
const USAGE: i32 = 2;
const REFUSED: i32 = 3;
const STOPPED: i32 = 4;

/// What one run of the binary did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    seconds: f64,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the exit code, showing the output otherwise.
    fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, code, "{}", self.describe());
        self
    }

    /// Asserts a failure as a user should see it: the given exit code, a message on stderr
    /// from the program or from clap (after any progress lines), and no panic.
    fn expect_error(self, code: i32) -> Run {
        let run = self.expect(code);
        assert!(!run.stderr.contains("panicked"), "{}", run.describe());
        let message = run
            .stderr
            .lines()
            .any(|l| l.starts_with("multigrade:") || l.starts_with("error:"));
        assert!(message, "no clear message: {}", run.describe());
        run
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// Runs `multigrade args...` in `dir`.
fn multigrade_in(dir: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_multigrade"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let out = reader(child.stdout.take().expect("piped stdout"));
    let err = reader(child.stderr.take().expect("piped stderr"));
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on the child") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("multigrade {args:?} still ran after {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status
            .code()
            .expect("the child exited normally, not by a signal"),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        seconds: start.elapsed().as_secs_f64(),
    }
}

fn multigrade(dir: &TempDir, args: &[&str]) -> Run {
    multigrade_in(dir.path(), args)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// Every entry of `dir`, hidden ones included.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn exact(text: &str) -> BigRational {
    multigrade::exact::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn nearest(text: &str) -> f64 {
    multigrade::exact::to_f64_nearest(&exact(text))
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not a list in {v}"))
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("the certificate exists");
    serde_json::from_str(&text).expect("the certificate is JSON")
}

/// `a <= b` up to rounding of both to the nearest `f64` (the summary's numbers are the
/// nearest `f64` to exact rationals).
fn le(a: f64, b: f64) -> bool {
    a <= b + 1e-12 * b.abs().max(1e-300)
}

/// Certifies `target` in a fresh directory, writing `cert.json`; returns the directory, the
/// certificate's path and the run.
fn certify(target: &str, dim: &str, extra: &[&str]) -> (TempDir, PathBuf, Run) {
    let dir = TempDir::new().expect("a temporary directory");
    let cert = dir.path().join("cert.json");
    let mut args = vec![
        "certify",
        "--target",
        target,
        "--dim",
        dim,
        "--out",
        path_str(&cert),
    ];
    args.extend_from_slice(extra);
    let run = multigrade(&dir, &args);
    (dir, cert, run)
}

/// `check` accepts the certificate and says so on a line starting with "accepted".
fn assert_accepted(dir: &TempDir, cert: &Path) {
    let run = multigrade(dir, &["check", path_str(cert)]).expect(OK);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("accepted")),
        "{}",
        run.describe()
    );
}

// ---------------------------------------------------------------------------------------
// certify
// ---------------------------------------------------------------------------------------

/// The JSON summary of a 1D run has every documented field, its numbers satisfy the
/// documented relations (tight sup bounds, tight L^p enclosures, contraction by
/// rho = 3/4 from the target's own bound on), and the certificate it wrote is accepted.
#[test]
fn certify_json_summary_is_complete_and_consistent() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "3", "--json"]);
    let run = run.expect(OK);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one JSON object expected: {}",
        run.describe()
    );
    let summary: Value = serde_json::from_str(lines[0]).expect("stdout is JSON");
    assert!(summary.is_object());
    assert_eq!(summary["dim"], 1);
    assert_eq!(summary["width"], 4, "W(1) = 1 + 3");

    let file = read_json(&cert);
    let initial = exact(
        file["initial"]["sup_upper"]
            .as_str()
            .expect("a rational string"),
    );
    let grades = list(&summary, "grades");
    assert_eq!(grades.len(), 3);
    let mut previous = multigrade::exact::to_f64_nearest(&initial);
    for (i, g) in grades.iter().enumerate() {
        assert_eq!(g["grade"], i + 1);
        for key in ["grid", "hats", "depth", "params"] {
            assert!(g[key].as_u64().is_some(), "{key} missing in {g}");
        }
        for key in ["eps", "delta"] {
            assert!(number(g, key) > 0.0, "{key} in {g}");
        }
        let (lower, upper) = (number(g, "sup_lower"), number(g, "sup_upper"));
        assert!(0.0 < lower && le(lower, upper), "{g}");
        assert!(le(upper, 1.01 * lower), "sup bounds not within 1%: {g}");
        assert!(le(upper, 0.75 * previous), "no contraction by 3/4: {g}");
        previous = upper;

        let lp = list(g, "lp");
        let ps: Vec<f64> = lp.iter().map(|l| number(l, "p")).collect();
        assert_eq!(ps, [1.0, 2.0]);
        for l in lp {
            let (lo, hi) = (number(l, "lower"), number(l, "upper"));
            assert!(
                0.0 < lo && le(lo, hi) && le(hi, 1.01 * lo),
                "L^p not within 1%: {l}"
            );
            assert!(le(lo, upper), "an L^p norm above the sup norm: {l}");
        }
        assert_eq!(g["monotone_certified"], true);
        let witness = list(g, "strict_decay_witness");
        assert_eq!(witness.len(), 1, "one side per dimension");
        for side in witness {
            let side = side.as_array().expect("a [lo, hi] pair");
            assert_eq!(side.len(), 2);
            let (a, b) = (side[0].as_f64().unwrap(), side[1].as_f64().unwrap());
            assert!(0.0 <= a && a < b && b <= 1.0, "witness side {a} {b}");
        }
    }
    assert_eq!(number(&summary, "final_sup_upper"), previous);

    // The file states the same contraction exactly.
    let mut previous = initial;
    let rho = BigRational::new(3.into(), 4.into());
    for g in file["grades"].as_array().expect("grades") {
        let sup = exact(
            g["bounds"]["sup_upper"]
                .as_str()
                .expect("a rational string"),
        );
        assert!(sup <= &rho * &previous, "U_n > rho U_(n-1) in the file");
        previous = sup;
    }
    assert_accepted(&dir, &cert);
}

/// The table output names every grade, the width W(1) = 4 and the final bound.
#[test]
fn certify_table_lists_every_grade_and_the_width() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "3"]);
    let run = run.expect(OK);
    assert!(run.stdout.contains("W(1) = 4"), "{}", run.describe());
    for grade in 1..=3 {
        let listed = run
            .stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some(&grade.to_string()));
        assert!(listed, "grade {grade} missing: {}", run.describe());
    }
    assert!(run.stdout.contains("3 grades"), "{}", run.describe());
    assert_accepted(&dir, &cert);
}

/// `--tolerance` runs until the certified sup bound is at most the tolerance, and the
/// certificate records that it stopped for that reason.
#[test]
fn certify_reaches_the_tolerance() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--tolerance", "1e-2", "--json"]);
    let summary: Value = serde_json::from_str(run.expect(OK).stdout.trim()).expect("JSON");
    assert!(number(&summary, "final_sup_upper") <= 1e-2, "{summary}");
    let file = read_json(&cert);
    assert_eq!(file["stopped_by"], "tolerance");
    let last = file["grades"]
        .as_array()
        .expect("grades")
        .last()
        .expect("a grade")
        .clone();
    let sup = exact(
        last["bounds"]["sup_upper"]
            .as_str()
            .expect("a rational string"),
    );
    assert!(sup <= BigRational::new(1.into(), 100.into()));
    assert_accepted(&dir, &cert);
}

/// `--p` chooses the exponents of the L^p enclosures, fractional ones included.
#[test]
fn certify_reports_each_requested_exponent() {
    let extra = ["--grades", "1", "--p", "1,1.5,3", "--json"];
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &extra);
    let summary: Value = serde_json::from_str(run.expect(OK).stdout.trim()).expect("JSON");
    for g in list(&summary, "grades") {
        let ps: Vec<f64> = list(g, "lp").iter().map(|l| number(l, "p")).collect();
        assert_eq!(ps, [1.0, 1.5, 3.0]);
    }
    assert_eq!(
        read_json(&cert)["exponents"],
        serde_json::json!(["1", "3/2", "3"])
    );
    assert_accepted(&dir, &cert);
}

/// Runs in two and three dimensions succeed, use the width d + 3, and check.
#[test]
fn certify_works_in_two_and_three_dimensions() {
    for (target, dim, grades, width) in [
        ("sin(pi*x)*sin(pi*y)", "2", "2", 5),
        ("exp(-(x^2+y^2+z^2))", "3", "1", 6),
    ] {
        let extra = ["--grades", grades, "--json", "--quiet"];
        let (dir, cert, run) = certify(target, dim, &extra);
        let summary: Value = serde_json::from_str(run.expect(OK).stdout.trim()).expect("JSON");
        assert_eq!(summary["width"], width);
        let listed = list(&summary, "grades");
        assert_eq!(listed.len().to_string(), grades);
        for g in listed {
            assert_eq!(list(g, "strict_decay_witness").len().to_string(), dim);
            let (lower, upper) = (number(g, "sup_lower"), number(g, "sup_upper"));
            assert!(
                0.0 < lower && le(lower, upper) && le(upper, 1.01 * lower),
                "{g}"
            );
        }
        assert_accepted(&dir, &cert);
    }
}

// ---------------------------------------------------------------------------------------
// eval
// ---------------------------------------------------------------------------------------

/// `eval --json` prints one `{"x": .., "approx": [F_1 .. F_K]}` line per point, blank and
/// comment lines skipped, and each F_n is within the certified U_n of the target.
#[test]
fn eval_approximations_are_within_the_certified_bounds() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "3", "--quiet"]);
    run.expect(OK);
    let file = read_json(&cert);
    let sups: Vec<f64> = file["grades"]
        .as_array()
        .expect("grades")
        .iter()
        .map(|g| {
            nearest(
                g["bounds"]["sup_upper"]
                    .as_str()
                    .expect("a rational string"),
            )
        })
        .collect();

    let mut text = String::from("# points in [0,1]\n0\n1\n\n1/3\n0.1\n");
    for k in 0..40 {
        text.push_str(&format!(
            "{}\n",
            f64::from(k) / 40.0 + 0.0001 * f64::from(k % 3)
        ));
    }
    let points = dir.path().join("points.txt");
    fs::write(&points, &text).expect("writing the points");
    let count = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .count();

    let run = multigrade(
        &dir,
        &[
            "eval",
            path_str(&cert),
            "--points",
            path_str(&points),
            "--json",
        ],
    )
    .expect(OK);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), count, "{}", run.describe());
    for line in lines {
        assert!(line.starts_with("{\"x\""), "x comes first: {line}");
        let v: Value = serde_json::from_str(line).expect("one JSON object per line");
        let x = list(&v, "x");
        assert_eq!(x.len(), 1);
        let x = x[0].as_f64().expect("a coordinate");
        let approx: Vec<f64> = list(&v, "approx")
            .iter()
            .map(|a| a.as_f64().unwrap())
            .collect();
        assert_eq!(approx.len(), sups.len(), "{line}");
        let f = (2.0 * std::f64::consts::PI * x).sin();
        for (n, (fx, sup)) in approx.iter().zip(&sups).enumerate() {
            assert!(
                (f - fx).abs() <= sup + 1e-12,
                "|f - F_{}| = {} > U = {sup} at x = {x}",
                n + 1,
                (f - fx).abs()
            );
        }
    }

    let run = multigrade(
        &dir,
        &["eval", path_str(&cert), "--points", path_str(&points)],
    )
    .expect(OK);
    assert_eq!(run.stdout.lines().count(), count, "{}", run.describe());
    assert!(run
        .stdout
        .lines()
        .all(|l| l.contains("F_1") && l.contains("F_3")));
}

/// A bad points file is an input error (exit 2) whose message names the offending line,
/// counting blank and comment lines.
#[test]
fn eval_rejects_bad_points_naming_the_line() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "1", "--quiet"]);
    run.expect(OK);
    for bad in ["1.5", "-0.25", "0.5 0.5", "0.5,0.25", "abc", "1/0", "0x1"] {
        let points = dir.path().join("points.txt");
        fs::write(&points, format!("0.25\n# a comment\n\n{bad}\n0.5\n")).expect("writing");
        let run = multigrade(
            &dir,
            &["eval", path_str(&cert), "--points", path_str(&points)],
        )
        .expect_error(USAGE);
        assert!(
            run.stderr.contains("line 4"),
            "point {bad:?}: {}",
            run.describe()
        );
        assert!(
            run.stdout.is_empty(),
            "no output before a bad point: {}",
            run.describe()
        );
    }
    let missing = dir.path().join("missing.txt");
    multigrade(
        &dir,
        &["eval", path_str(&cert), "--points", path_str(&missing)],
    )
    .expect_error(USAGE);
}

// ---------------------------------------------------------------------------------------
// Bad input to certify
// ---------------------------------------------------------------------------------------

/// Runs `certify` with `--out` in a fresh directory and asserts a clean failure with
/// `code` that leaves the directory empty.
fn certify_fails(target: &str, dim: &str, extra: &[&str], code: i32) -> Run {
    let (dir, _, run) = certify(target, dim, extra);
    let run = run.expect_error(code);
    assert_eq!(
        entries(dir.path()),
        Vec::<String>::new(),
        "a failed run left files: {}",
        run.describe()
    );
    run
}

/// Malformed expressions are usage errors that point at a column.
#[test]
fn certify_rejects_malformed_targets_with_a_column() {
    for target in ["sin(x", "2x", "x +", "y", "", "sin()", "foo(x)", "min(x)"] {
        let run = certify_fails(target, "1", &["--grades", "1"], USAGE);
        assert!(
            run.stderr.contains("column"),
            "{target:?}: {}",
            run.describe()
        );
    }
}

/// Targets that are not defined and continuous on the whole cube are refused (exit 3),
/// and the message names a box where that fails.
#[test]
fn certify_refuses_targets_undefined_somewhere_on_the_cube() {
    for target in ["1/x", "log(x)", "sin(1/x)", "1/(x - 0.5)", "sqrt(x)/x"] {
        let run = certify_fails(target, "1", &["--grades", "1"], REFUSED);
        assert!(run.stderr.contains('['), "{target:?}: {}", run.describe());
    }
}

/// A target undefined on a whole interval of the cube must be refused as well, and
/// promptly: the limits given here are only a guard against a runaway search.
#[test]
fn certify_refuses_a_target_undefined_on_an_interval() {
    let extra = [
        "--grades",
        "1",
        "--max-leaves",
        "100000",
        "--time-limit",
        "20",
    ];
    for target in ["sqrt(x - 0.5)", "log(0.5 - x)"] {
        let run = certify_fails(target, "1", &extra, REFUSED);
        assert!(run.stderr.contains('['), "{target:?}: {}", run.describe());
    }
}

/// Dimensions outside 1..=6 are usage errors.
#[test]
fn certify_rejects_unsupported_dimensions() {
    certify_fails("x", "0", &["--grades", "1"], USAGE);
    certify_fails("x1", "7", &["--grades", "1"], USAGE);
    certify_fails("x", "7", &["--grades", "1"], USAGE);
    certify_fails("x", "-1", &["--grades", "1"], USAGE);
}

/// theta and kappa must lie in (0, 1), every p must be at least 1, the tolerance must be
/// positive, and a stopping rule must be given.
#[test]
fn certify_rejects_impossible_parameters() {
    let cases: &[&[&str]] = &[
        &["--grades", "1", "--theta", "0"],
        &["--grades", "1", "--theta", "1"],
        &["--grades", "1", "--theta", "1.5"],
        &["--grades", "1", "--theta", "abc"],
        &["--grades", "1", "--kappa", "0"],
        &["--grades", "1", "--kappa", "1"],
        &["--grades", "1", "--p", "0.5"],
        &["--grades", "1", "--p", "1,,2"],
        &["--grades", "0"],
        &["--tolerance", "0"],
        &["--tolerance", "-1"],
        &["--tolerance=-1"],
        &["--tolerance", "1/0"],
        &["--grades", "1", "--time-limit", "0"],
        &[],
    ];
    for extra in cases {
        let run = certify_fails("sin(2*pi*x)", "1", extra, USAGE);
        assert!(
            !run.stderr.contains("bounding the target"),
            "{extra:?} started work: {}",
            run.describe()
        );
    }
}

/// An unwritable `--out` is refused before any work starts, and a directory is not a
/// file to write.
#[test]
fn certify_refuses_unwritable_output_before_working() {
    let dir = TempDir::new().expect("a temporary directory");
    // Many grades in 3D would take long: the error must come first.
    let slow = [
        "certify",
        "--target",
        "exp(-(x^2+y^2+z^2))",
        "--dim",
        "3",
        "--grades",
        "50",
    ];
    let mut args = slow.to_vec();
    args.extend(["--out", "/nonexistent-dir/x.json"]);
    let run = multigrade(&dir, &args).expect_error(USAGE);
    assert!(
        !run.stderr.contains("bounding the target"),
        "{}",
        run.describe()
    );
    assert!(run.seconds < 10.0, "took {} s", run.seconds);

    let sub = dir.path().join("sub");
    fs::create_dir(&sub).expect("a subdirectory");
    let mut args = slow.to_vec();
    args.extend(["--out", path_str(&sub)]);
    let run = multigrade(&dir, &args).expect_error(USAGE);
    assert!(
        !run.stderr.contains("bounding the target"),
        "{}",
        run.describe()
    );
    assert!(sub.is_dir());
    assert_eq!(entries(&sub), Vec::<String>::new());
    assert_eq!(entries(dir.path()), ["sub"]);
}

// ---------------------------------------------------------------------------------------
// Corrupt certificates
// ---------------------------------------------------------------------------------------

/// Variants of a valid certificate that no reader may accept.
fn corrupt_certificates(dir: &Path, valid: &Path) -> Vec<(&'static str, PathBuf)> {
    let text = fs::read_to_string(valid).expect("the certificate");
    let mut cases = Vec::new();
    let mut write = |name: &'static str, bytes: &[u8]| {
        let path = dir.join(format!("{}.json", name.replace(' ', "-")));
        fs::write(&path, bytes).expect("writing a variant");
        cases.push((name, path));
    };
    let garbage: Vec<u8> = (0..512u32).map(|i| (i * 167 + 13) as u8).collect();
    write("garbage bytes", &garbage);
    write("empty file", b"");
    write("truncated", &text.as_bytes()[..text.len() / 2]);
    write(
        "another shape",
        br#"{"grades": [1, 2, 3], "name": "not a certificate"}"#,
    );
    write("a JSON list", b"[1, 2, 3]");
    let mut value: Value = serde_json::from_str(&text).expect("JSON");
    value["format_version"] = Value::from(99);
    write("format version 99", value.to_string().as_bytes());
    cases
}

/// `check` and `eval` refuse corrupt certificates as input errors (exit 2).
#[test]
fn corrupt_certificates_are_input_errors() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "2", "--quiet"]);
    run.expect(OK);
    let points = dir.path().join("points.txt");
    fs::write(&points, "0.25\n").expect("writing the points");
    for (what, path) in corrupt_certificates(dir.path(), &cert) {
        let run = multigrade(&dir, &["check", path_str(&path)]).expect_error(USAGE);
        assert!(run.stdout.is_empty(), "check, {what}: {}", run.describe());
        if what == "format version 99" {
            continue; // `eval` is tested on this one below.
        }
        let run = multigrade(
            &dir,
            &["eval", path_str(&path), "--points", path_str(&points)],
        )
        .expect_error(USAGE);
        assert!(run.stdout.is_empty(), "eval, {what}: {}", run.describe());
    }
    let missing = dir.path().join("missing.json");
    multigrade(&dir, &["check", path_str(&missing)]).expect_error(USAGE);
}

/// `eval`, like `check`, must not read a certificate of an unknown format or format
/// version: its numbers could mean something else.
#[test]
fn eval_refuses_an_unknown_format_version() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "1", "--quiet"]);
    run.expect(OK);
    let points = dir.path().join("points.txt");
    fs::write(&points, "0.25\n").expect("writing the points");
    for (key, value) in [
        ("format_version", Value::from(99)),
        ("format", Value::from("another-format")),
    ] {
        let mut changed = read_json(&cert);
        changed[key] = value;
        let path = dir.path().join("changed.json");
        fs::write(&path, changed.to_string()).expect("writing");
        multigrade(&dir, &["check", path_str(&path)]).expect_error(USAGE);
        multigrade(
            &dir,
            &["eval", path_str(&path), "--points", path_str(&points)],
        )
        .expect_error(USAGE);
    }
}

/// A certificate whose target is already within the tolerance has no grades; it is a
/// valid certificate, and `eval` must answer for it without panicking: either with empty
/// approximation lists or with an input error.
#[test]
fn eval_of_a_certificate_without_grades_does_not_panic() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--tolerance", "2", "--quiet"]);
    run.expect(OK);
    assert!(read_json(&cert)["grades"]
        .as_array()
        .expect("grades")
        .is_empty());
    assert_accepted(&dir, &cert);
    let points = dir.path().join("points.txt");
    fs::write(&points, "0.25\n0.5\n").expect("writing the points");
    let args = [
        "eval",
        path_str(&cert),
        "--points",
        path_str(&points),
        "--json",
    ];
    let run = multigrade(&dir, &args);
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    if run.code == OK {
        assert_eq!(run.stdout.lines().count(), 2, "{}", run.describe());
        for line in run.stdout.lines() {
            let v: Value = serde_json::from_str(line).expect("JSON");
            assert!(list(&v, "approx").is_empty(), "{line}");
        }
    } else {
        run.expect_error(USAGE);
    }
}

/// `check` rejects a certificate whose claim is false with exit 1 and names the claim.
#[test]
fn check_rejects_a_false_sup_bound() {
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &["--grades", "2", "--quiet"]);
    run.expect(OK);
    let mut value = read_json(&cert);
    let bounds = &mut value["grades"][1]["bounds"];
    // Half the lower bound: |r_2| certainly exceeds it somewhere.
    let lower = exact(bounds["sup_lower"].as_str().expect("a rational string"));
    let false_bound = lower / BigRational::from_integer(2.into());
    bounds["sup_upper"] = Value::from(multigrade::exact::format(&false_bound));
    let forged = dir.path().join("forged.json");
    fs::write(&forged, value.to_string()).expect("writing");
    let run = multigrade(&dir, &["check", path_str(&forged)]).expect(1);
    assert!(run.stdout.starts_with("rejected"), "{}", run.describe());
    assert!(run.stdout.contains("grade 2"), "{}", run.describe());
}

// ---------------------------------------------------------------------------------------
// Early stop, demo, help
// ---------------------------------------------------------------------------------------

/// A run cut by its time limit exits 4, says so, and still writes a partial certificate
/// that records why it stopped and that the checker accepts.
#[test]
fn time_limit_keeps_a_valid_partial_certificate() {
    let extra = ["--tolerance", "1e-9", "--time-limit", "2"];
    let (dir, cert, run) = certify("sin(2*pi*x)", "1", &extra);
    let run = run.expect(STOPPED);
    assert!(run.stderr.contains("stopped early"), "{}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    assert!(run.seconds < 30.0, "a 2 s limit took {} s", run.seconds);
    let file = read_json(&cert);
    assert_eq!(file["stopped_by"], "time limit");
    assert!(!file["grades"].as_array().expect("grades").is_empty());
    assert_eq!(
        entries(dir.path()),
        ["cert.json"],
        "no temporary file is left"
    );
    assert_accepted(&dir, &cert);
}

/// Time limits too long to represent are either refused as usage errors or treated as no
/// limit; they must not crash the program.
#[test]
fn huge_time_limits_do_not_panic() {
    for limit in ["1e20", "1.5e19"] {
        let extra = ["--grades", "1", "--time-limit", limit, "--quiet"];
        let (_dir, _cert, run) = certify("sin(2*pi*x)", "1", &extra);
        assert!(
            !run.stderr.contains("panicked"),
            "{limit}: {}",
            run.describe()
        );
        assert!(
            run.code == OK || run.code == USAGE,
            "{limit}: {}",
            run.describe()
        );
    }
}

/// The demo certifies its built-in target and re-checks it.
#[test]
fn demo_prints_a_table_and_its_own_check() {
    let dir = TempDir::new().expect("a temporary directory");
    let run = multigrade(&dir, &["demo"]).expect(OK);
    let grades = run
        .stdout
        .lines()
        .filter(|l| l.contains("monotone, contracting"))
        .count();
    assert!(grades >= 1, "{}", run.describe());
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("independent check: every claim holds")),
        "{}",
        run.describe()
    );
}

/// Every subcommand documents itself.
#[test]
fn help_of_every_subcommand_succeeds() {
    let dir = TempDir::new().expect("a temporary directory");
    for command in ["certify", "eval", "check", "demo"] {
        let run = multigrade(&dir, &[command, "--help"]).expect(OK);
        assert!(
            run.stdout.contains("Usage"),
            "{command}: {}",
            run.describe()
        );
    }
    multigrade(&dir, &["--help"]).expect(OK);
    let run = multigrade(&dir, &[]).expect(USAGE);
    assert!(run.stderr.contains("Usage"), "{}", run.describe());
    multigrade(&dir, &["frobnicate"]).expect_error(USAGE);
}
