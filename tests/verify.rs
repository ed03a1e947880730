//! Integration tests of `multigrade export --json` and `multigrade verify`: a certified
//! network round-trips and verifies, an overshooting network is refuted at a point checked
//! here exactly, and malformed network files are usage errors (exit 2).

use std::fs;
use std::path::Path;
use std::process::Command;

use num_rational::BigRational;
use num_traits::Signed;
use serde_json::Value;
use tempfile::TempDir;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_multigrade"))
        .args(args)
        .output()
        .expect("the binary runs");
    let code = out.status.code().expect("an exit code");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (code, stdout, stderr)
}

fn path(dir: &TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

const OVERSHOOT: &str = r#"{"format": "multigrade-network", "version": 1, "input_dim": 1,
  "grades": [
    {"activation": "relu", "layers": [{"weight": [[1.0]], "bias": [0.0]},
                                      {"weight": [[0.5]], "bias": [0.0]}]},
    {"activation": "relu", "layers": [{"weight": [[1.0]], "bias": [-0.5]},
                                      {"weight": [[3.0]], "bias": [0.0]}]}]}"#;

fn rational(v: &Value) -> BigRational {
    BigRational::from_float(v.as_f64().expect("a number")).expect("finite")
}

#[test]
fn an_overshooting_grade_is_refuted_at_a_point_that_holds_exactly() {
    let dir = TempDir::new().unwrap();
    let file = path(&dir, "over.json");
    fs::write(&file, OVERSHOOT).unwrap();
    let args = [
        "verify",
        "--network",
        &file,
        "--target",
        "x",
        "--dim",
        "1",
        "--json",
    ];
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 1, "{stdout}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["verdict"], "refuted");
    let grades = json["grades"].as_array().unwrap();
    assert_eq!(grades[0]["monotone"], "certified");
    assert_eq!(grades[1]["monotone"], "refuted");
    // Recompute r_1 = x - x/2 and r_2 = r_1 - 3 relu(x - 1/2) exactly at the point.
    let x = rational(&grades[1]["violation"]["x"][0]);
    let half = BigRational::new(1.into(), 2.into());
    let three = BigRational::from_integer(3.into());
    let r1 = &x - &x * &half;
    let shifted = &x - &half;
    let relu = if shifted.is_negative() {
        BigRational::from_integer(0.into())
    } else {
        shifted
    };
    let r2 = &r1 - three * relu;
    assert!(
        r2.abs() > r1.abs(),
        "x = {x}: |r_2| = {} <= |r_1| = {}",
        r2,
        r1
    );
    // The failure set is (3/4, 1]: its measure 1/4 lies in the stated bounds.
    let measure = grades[1]["failure_measure"].as_array().unwrap();
    assert!(measure[0].as_f64().unwrap() <= 0.25 && 0.25 <= measure[1].as_f64().unwrap());
    // The text form names the point and the verdict.
    let (code, stdout, _) = run(&args[..7]);
    assert_eq!(code, 1);
    assert!(stdout.contains("grade 2: refuted at x = ("), "{stdout}");
    assert!(stdout.contains("grade 1: monotone: certified"), "{stdout}");
}

fn certify_export_verify(target: &str, dim: &str, grades: &str) {
    let dir = TempDir::new().unwrap();
    let cert = path(&dir, "cert.json");
    let net = path(&dir, "net.json");
    let args = [
        "certify", "--target", target, "--dim", dim, "--grades", grades, "--out", &cert, "-q",
    ];
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&["export", &cert, "--json", &net]);
    assert_eq!(code, 0, "{stderr}");
    let text = fs::read_to_string(&net).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["format"], "multigrade-network");
    assert_eq!(json["grades"].as_array().unwrap().len().to_string(), grades);
    let args = [
        "verify",
        "--network",
        &net,
        "--target",
        target,
        "--dim",
        dim,
        "--json",
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["verdict"], "certified");
    for g in json["grades"].as_array().unwrap() {
        assert_eq!(g["monotone"], "certified");
        assert!(g["sup_upper"].as_f64().unwrap() < 1.0);
    }
}

#[test]
fn a_certified_network_exported_as_json_verifies_as_monotone_1d() {
    certify_export_verify("sin(2*pi*x)", "1", "3");
}

#[test]
fn a_certified_network_exported_as_json_verifies_as_monotone_2d() {
    certify_export_verify("abs(x - y)", "2", "2");
}

#[test]
fn a_tiny_budget_is_undecided() {
    let dir = TempDir::new().unwrap();
    let file = path(&dir, "over.json");
    fs::write(&file, OVERSHOOT).unwrap();
    let args = ["verify", "--network", &file, "--target", "x", "--dim", "1"];
    let (code, stdout, _) = run(&[&args[..], &["--max-boxes", "1"]].concat());
    assert_eq!(code, 4, "{stdout}");
}

#[test]
fn bad_network_files_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let layer = |w: &str, b: &str| format!(r#"{{"weight": {w}, "bias": {b}}}"#);
    let net = |act: &str, layers: &[String]| {
        format!(
            r#"{{"format": "multigrade-network", "version": 1, "input_dim": 1,
            "grades": [{{"activation": "{act}", "layers": [{}]}}]}}"#,
            layers.join(",")
        )
    };
    let cases = [
        net("relu", &[layer("[[1, 2]]", "[0]")]),
        net("relu", &[layer("[[1]]", "[0, 1]")]),
        net("relu", &[layer("[[1], [2]]", "[0, 1]")]),
        net("relu", &[layer("[[NaN]]", "[0]")]),
        net("relu", &[layer("[[\"NaN\"]]", "[0]")]),
        net("gelu", &[layer("[[1]]", "[0]")]),
        net("relu", &[]),
        "garbage".to_string(),
        String::new(),
    ];
    for (i, text) in cases.iter().enumerate() {
        let file = path(&dir, &format!("bad{i}.json"));
        fs::write(&file, text).unwrap();
        let (code, _, stderr) = run(&["verify", "--network", &file, "--target", "x", "--dim", "1"]);
        assert_eq!(code, 2, "{text}: {stderr}");
        assert!(stderr.starts_with("multigrade:"), "{stderr}");
    }
    let good = path(&dir, "good.json");
    fs::write(&good, net("relu", &[layer("[[1]]", "[0]")])).unwrap();
    let missing = dir.path().join("missing.json");
    assert!(!Path::new(&missing).exists());
    let missing = missing.to_string_lossy().into_owned();
    for args in [
        vec![
            "verify",
            "--network",
            &missing,
            "--target",
            "x",
            "--dim",
            "1",
        ],
        vec![
            "verify",
            "--network",
            &good,
            "--target",
            "x +",
            "--dim",
            "1",
        ],
        vec![
            "verify",
            "--network",
            &good,
            "--target",
            "x + y",
            "--dim",
            "2",
        ],
        vec!["verify", "--network", &good, "--target", "x", "--dim", "0"],
        vec!["export", &missing, "--json", &good],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    // A good one-grade file is accepted: q_1 = x against f = x is exact, hence monotone.
    let (code, stdout, _) = run(&["verify", "--network", &good, "--target", "x", "--dim", "1"]);
    assert_eq!(code, 0, "{stdout}");
}

/// `examples/numpy_to_json.py` converts an `np.savez` file into a network that `verify`
/// reads; skipped (passing) when Python or NumPy is not installed.
#[test]
fn the_numpy_converter_writes_a_verifiable_network() {
    let has_numpy = Command::new("python3")
        .args(["-c", "import numpy"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_numpy {
        eprintln!("skipped: python3 with numpy is not available");
        return;
    }
    let dir = TempDir::new().unwrap();
    let npz = path(&dir, "over.npz");
    let json = path(&dir, "over.json");
    let make = format!(
        "import numpy as np\nnp.savez({npz:?}, grade1_W1=np.array([[1.0]], dtype=np.float32), \
         grade1_b1=np.zeros(1), grade1_W2=np.array([[0.5]]), grade1_b2=np.zeros(1), \
         grade1_activation='relu', grade2_W1=np.array([[1.0]]), grade2_b1=np.array([-0.5]), \
         grade2_W2=np.array([[3.0]]), grade2_b2=np.zeros(1), grade2_activation='relu')\n"
    );
    let status = Command::new("python3")
        .args(["-c", &make])
        .status()
        .unwrap();
    assert!(status.success());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/numpy_to_json.py");
    let status = Command::new("python3")
        .args([script, &npz, &json])
        .status()
        .unwrap();
    assert!(status.success());
    let written: Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    let expected: Value = serde_json::from_str(OVERSHOOT).unwrap();
    assert_eq!(written, expected);
    let (code, stdout, _) = run(&["verify", "--network", &json, "--target", "x", "--dim", "1"]);
    assert_eq!(code, 1, "{stdout}");
}

/// Whether `python3` can import every module named.
fn python_has(modules: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Certifies a target, exports its network as ONNX, verifies the ONNX file as monotone,
/// and, when onnxruntime is installed, compares onnxruntime's outputs with the exact values
/// of `multigrade eval` at 1,000 random points (`tests/external/onnx_roundtrip.py`).
fn onnx_round_trip(target: &str, dim: &str, grades: &str) {
    let dir = TempDir::new().unwrap();
    let cert = path(&dir, "cert.json");
    let model = path(&dir, "net.onnx");
    let args = [
        "certify", "--target", target, "--dim", dim, "--grades", grades, "--out", &cert, "-q",
    ];
    assert_eq!(run(&args).0, 0);
    let (code, _, stderr) = run(&["export", &cert, "--onnx", &model]);
    assert_eq!(code, 0, "{stderr}");
    let args = [
        "verify",
        "--network",
        &model,
        "--target",
        target,
        "--dim",
        dim,
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    if !python_has("numpy, onnxruntime") {
        eprintln!("skipped the onnxruntime comparison: python3 with onnxruntime is not available");
        return;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/external/onnx_roundtrip.py"
    );
    let out = Command::new("python3")
        .args([script, env!("CARGO_BIN_EXE_multigrade"), &cert, &model, dim])
        .output()
        .unwrap();
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("1000 points"), "{report}");
}

#[test]
fn onnx_exports_agree_with_onnxruntime_1d() {
    onnx_round_trip("abs(x - 1/3)", "1", "4");
}

#[test]
fn onnx_exports_agree_with_onnxruntime_2d() {
    onnx_round_trip("sin(pi*x)*sin(pi*y)", "2", "1");
}

#[test]
fn a_malformed_onnx_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let file = path(&dir, "bad.onnx");
    fs::write(&file, b"\x08\x07\x3a\xff\xff garbage").unwrap();
    let (code, _, stderr) = run(&["verify", "--network", &file, "--target", "x", "--dim", "1"]);
    assert_eq!(code, 2, "{stderr}");
}
