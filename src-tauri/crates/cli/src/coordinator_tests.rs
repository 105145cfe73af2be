//! Tests of `vpr coordinator` (the scripted workflow and its refusals).

use clap::Parser;

use super::*;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: Args,
}

fn run_args(db: &Path, var: &str, rest: &[&str]) -> Result<(), CoordinatorError> {
    let mut argv = vec![
        "vpr".to_string(),
        "--db".into(),
        db.display().to_string(),
        "--password-env".into(),
        var.into(),
    ];
    argv.extend(rest.iter().map(|s| s.to_string()));
    run_inner(Cli::try_parse_from(argv).unwrap().args)
}

#[test]
fn scripted_workflow_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let var = "VPR_CLI_TEST_COORDINATOR_PASSWORD";
    // A missing password is an error, not a panic.
    assert!(run_args(&db, "VPR_CLI_TEST_UNSET_VARIABLE", &["init"]).is_err());
    std::env::set_var(var, "пароль-для-теста");
    run_args(&db, var, &["init"]).unwrap();
    run_args(&db, var, &["school", "--name", "Школа", "--login", "sch1"]).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../audio-fixtures/rosters");
    let bad = run_args(
        &db,
        var,
        &["roster", fixtures.join("bad.csv").to_str().unwrap()],
    );
    assert!(matches!(bad, Err(CoordinatorError::Roster(_))));
    run_args(
        &db,
        var,
        &["roster", fixtures.join("roster.csv").to_str().unwrap()],
    )
    .unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        include_str!("../../coordinator/tests/data/grade7.json"),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let add = ["work-add", "--date", "2026-04-14"];
    run_args(
        &db,
        var,
        &[
            &add[..],
            &[
                "--deadline",
                "2026-04-18",
                "--spec",
                spec,
                "--subject",
                "Английский язык",
                "--grade",
                "7",
            ],
        ]
        .concat(),
    )
    .unwrap();
    let pdf = dir.path().join("codes.pdf");
    run_args(
        &db,
        var,
        &[
            "print",
            "codes",
            "--work",
            "1",
            "--out",
            pdf.to_str().unwrap(),
        ],
    )
    .unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let out = |n: &str| dir.path().join(n).display().to_string();
    let form = run_args(
        &db,
        var,
        &[
            "form",
            "--work",
            "1",
            "--xlsx",
            &out("f.xlsx"),
            "--csv",
            &out("f.csv"),
        ],
    );
    assert!(
        matches!(form, Err(CoordinatorError::FormBlocked(ref m)) if m.len() == 21),
        "{form:?}"
    );
    run_args(&db, var, &["application", &out("z.xlsx")]).unwrap();
    run_args(&db, var, &["stats", "--work", "1"]).unwrap();
    // The same work twice is refused by name; a work with nothing in it goes.
    let again = run_args(
        &db,
        var,
        &[
            &add[..],
            &[
                "--deadline",
                "2026-04-18",
                "--spec",
                spec,
                "--subject",
                "Английский язык",
                "--grade",
                "7",
            ],
        ]
        .concat(),
    );
    assert!(
        matches!(again, Err(CoordinatorError::WorkInUse(_))),
        "{again:?}"
    );
    run_args(&db, var, &["work-remove", "1"]).unwrap();
    assert!(run_args(&db, var, &["stats", "--work", "1"]).is_err());
    std::env::set_var(var, "не-тот-пароль");
    assert!(matches!(
        run_args(&db, var, &["works"]),
        Err(CoordinatorError::WrongPassword)
    ));
}
