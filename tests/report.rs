//! Integration test of `multigrade report`: the three formats written from a small 1D
//! certificate, and the usage errors (exit 2) for an unwritable directory or a bad input.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

fn multigrade(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_multigrade"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn report_in_three_formats_and_refusals() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    let out = multigrade(
        dir,
        &[
            "certify",
            "--target",
            "abs(x - 1/3)",
            "--dim",
            "1",
            "--grades",
            "2",
            "--out",
            "c.json",
            "-q",
        ],
    );
    assert_eq!(code(&out), 0, "{}", describe(&out));

    // Markdown: the page and one SVG per plot (the bounds and one per grade), all linked.
    let out = multigrade(dir, &["report", "c.json", "--format", "md", "--out", "md"]);
    assert_eq!(code(&out), 0, "{}", describe(&out));
    assert_eq!(
        names(&dir.join("md")),
        [
            "bounds.svg",
            "report.md",
            "residual-1.svg",
            "residual-2.svg"
        ]
    );
    let md = fs::read_to_string(dir.join("md/report.md")).unwrap();
    for svg in ["bounds.svg", "residual-1.svg", "residual-2.svg"] {
        assert!(md.contains(&format!("]({svg})")), "{svg} not linked");
        let doc = fs::read_to_string(dir.join("md").join(svg)).unwrap();
        assert!(doc.starts_with("<svg xmlns=") && doc.trim_end().ends_with("</svg>"));
    }
    assert!(md.contains("Illustrative") && md.contains("certified"));

    // HTML: one page, nested directories created, every plot inlined, nothing external.
    let out = multigrade(
        dir,
        &[
            "report", "c.json", "--format", "html", "--out", "a/b", "--json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", describe(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["plots"], 3);
    assert_eq!(json["grades"], 2);
    assert_eq!(names(&dir.join("a/b")), ["report.html"]);
    let html = fs::read_to_string(dir.join("a/b/report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 3);
    assert!(!html.contains("http") && !html.contains("src=") && !html.contains("href="));

    // LaTeX: the table, the document that inputs it, and the plots.
    let out = multigrade(
        dir,
        &["report", "c.json", "--format", "tex", "--out", "tex"],
    );
    assert_eq!(code(&out), 0, "{}", describe(&out));
    assert_eq!(
        names(&dir.join("tex")),
        [
            "bounds.svg",
            "report.tex",
            "residual-1.svg",
            "residual-2.svg",
            "table.tex"
        ]
    );
    let table = fs::read_to_string(dir.join("tex/table.tex")).unwrap();
    let rows = table.lines().filter(|l| l.ends_with("\\\\")).count();
    assert_eq!(
        rows,
        1 + 1 + 2,
        "heading, the target and two grades:\n{table}"
    );
    let report = fs::read_to_string(dir.join("tex/report.tex")).unwrap();
    assert!(report.contains("\\input{table.tex}"));

    // A file where the directory should be, an uncreatable directory, a missing certificate
    // and an unknown format are usage errors, and nothing is written.
    fs::write(dir.join("plain"), "x").unwrap();
    for (args, what) in [
        (
            vec!["c.json", "--format", "md", "--out", "plain"],
            "a file as DIR",
        ),
        (
            vec!["c.json", "--format", "md", "--out", "plain/sub"],
            "DIR under a file",
        ),
        (
            vec!["none.json", "--format", "md", "--out", "x"],
            "a missing certificate",
        ),
        (
            vec!["c.json", "--format", "pdf", "--out", "x"],
            "an unknown format",
        ),
    ] {
        let mut all = vec!["report"];
        all.extend(args);
        let out = multigrade(dir, &all);
        assert_eq!(code(&out), 2, "{what}: {}", describe(&out));
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert!(!dir.join("x").exists());
    assert_eq!(fs::read_to_string(dir.join("plain")).unwrap(), "x");
}
