use super::*;
use crate::network::external::{Activation, DenseLayer, ExternalGrade, ExternalNetwork};

fn layer(weight: Vec<Vec<f64>>, bias: Vec<f64>) -> DenseLayer {
    DenseLayer { weight, bias }
}

fn network(dim: usize, grades: Vec<(Activation, Vec<DenseLayer>)>) -> ExternalNetwork {
    let net = ExternalNetwork {
        format: crate::network::external::FORMAT.into(),
        version: crate::network::external::VERSION,
        input_dim: dim,
        grades: grades
            .into_iter()
            .map(|(activation, layers)| ExternalGrade { activation, layers })
            .collect(),
    };
    net.validate().unwrap();
    net
}

/// `q_1 = x / 2` and `q_2 = k relu(x - 1/2)` against `f = x`: grade 2 overshoots on
/// `(1/2 + 1/(2(k-1)) ... ]` when `k > 2`, and is monotone for `k <= 2`.
fn two_grades(k: f64) -> ExternalNetwork {
    network(
        1,
        vec![
            (
                Activation::Relu,
                vec![
                    layer(vec![vec![1.0]], vec![0.0]),
                    layer(vec![vec![0.5]], vec![0.0]),
                ],
            ),
            (
                Activation::Relu,
                vec![
                    layer(vec![vec![1.0]], vec![-0.5]),
                    layer(vec![vec![k]], vec![0.0]),
                ],
            ),
        ],
    )
}

#[test]
fn an_overshooting_grade_is_refuted_with_its_failure_measure() {
    let target = Target::parse("x", 1).unwrap();
    let reports = verify(&two_grades(3.0), &target, &Options::default()).unwrap();
    assert_eq!(reports[0].monotone, Monotone::Certified);
    let Monotone::Refuted(v) = &reports[1].monotone else {
        panic!("grade 2 not refuted: {:?}", reports[1]);
    };
    assert!(v.exact);
    let x = v.x[0];
    let (f1, f2) = (0.5 * x, 0.5 * x + 3.0 * (x - 0.5).max(0.0));
    assert!((x - f2).abs() > (x - f1).abs());
    // |1.5 - 2.5 x| > x / 2 exactly on (3/4, 1].
    assert!(reports[1].failure_lower <= 0.25 && 0.25 <= reports[1].failure_upper);
    assert!(reports[1].failure_upper - reports[1].failure_lower < 1e-3);
}

#[test]
fn a_monotone_pair_of_grades_is_certified() {
    let target = Target::parse("x", 1).unwrap();
    let reports = verify(&two_grades(1.0), &target, &Options::default()).unwrap();
    for r in &reports {
        assert_eq!(r.monotone, Monotone::Certified, "{r:?}");
        assert_eq!((r.failure_lower, r.failure_upper), (0.0, 0.0));
    }
    // r_2 = x/2 - relu(x - 1/2) has sup 1/4 at x = 1/2.
    assert!(reports[1].sup_upper >= 0.25 && reports[1].sup_upper <= 0.26);
    assert!(reports[1].strict_lp_decay());
}

#[test]
fn smooth_activations_are_refuted_by_interval_point_evaluation() {
    // q_1 = 3 sin(x) overshoots f = x everywhere but at 0: 3 sin x - x > x for 0 < x <= 1.
    let net = network(
        1,
        vec![(
            Activation::Sin,
            vec![
                layer(vec![vec![1.0]], vec![0.0]),
                layer(vec![vec![3.0]], vec![0.0]),
            ],
        )],
    );
    let target = Target::parse("x", 1).unwrap();
    let reports = verify(&net, &target, &Options { max_boxes: 2000 }).unwrap();
    let Monotone::Refuted(v) = &reports[0].monotone else {
        panic!("not refuted: {:?}", reports[0]);
    };
    assert!(!v.exact && v.residual.0 > v.previous.1);
    assert!(reports[0].failure_lower > 0.9);
}

#[test]
fn smooth_activations_can_be_certified() {
    // q_1 = tanh(x) / 2 against f = x + 1/4: 0 <= tanh(x)/2 <= 2 f, so |f - q_1| <= |f|.
    let net = network(
        1,
        vec![(
            Activation::Tanh,
            vec![
                layer(vec![vec![1.0]], vec![0.0]),
                layer(vec![vec![0.5]], vec![0.0]),
            ],
        )],
    );
    let target = Target::parse("x + 1/4", 1).unwrap();
    let reports = verify(&net, &target, &Options::default()).unwrap();
    assert_eq!(reports[0].monotone, Monotone::Certified, "{:?}", reports[0]);
}

#[test]
fn a_small_budget_leaves_the_claim_undecided() {
    let target = Target::parse("x", 1).unwrap();
    let reports = verify(&two_grades(3.0), &target, &Options { max_boxes: 1 }).unwrap();
    assert_eq!(reports[1].monotone, Monotone::Undecided);
    assert_eq!(reports[1].failure_upper, 1.0);
}

#[test]
fn dimensions_must_agree() {
    let target = Target::parse("x + y", 2).unwrap();
    assert!(verify(&two_grades(1.0), &target, &Options::default()).is_err());
}
