//! Re-checks every certificate of the catalogue in `proofs/catalogue/`: the committed
//! certificates must stay valid under the current checker.

use std::fs;
use std::path::Path;

use multigrade::cert::Certificate;
use multigrade::check::check;

#[test]
fn every_catalogue_certificate_is_accepted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs/catalogue");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("proofs/catalogue exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 10,
        "the catalogue holds {} certificates",
        names.len()
    );

    let mut dims = Vec::new();
    for path in &names {
        let text = fs::read_to_string(path).expect("readable certificate");
        let cert: Certificate = serde_json::from_str(&text).expect("well-formed certificate");
        let verdict = check(&cert);
        assert!(verdict.is_ok(), "{}: {:?}", path.display(), verdict.err());
        assert!(
            verdict.unwrap().complete,
            "{} is a partial run",
            path.display()
        );
        dims.push(cert.dim);
    }
    for d in 1..=3 {
        assert!(dims.contains(&d), "no certificate in dimension {d}");
    }
}
