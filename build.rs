//! Tells the tests which database they run on, so that a test that needs one of them is
//! reported as *ignored* on the other instead of passing without testing anything:
//! `TEST_DATABASE_URL=postgres://…` at build time sets `cfg(test_db_postgres)`.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(test_db_postgres)");
    println!("cargo::rerun-if-env-changed=TEST_DATABASE_URL");
    let postgres = std::env::var("TEST_DATABASE_URL")
        .is_ok_and(|url| url.starts_with("postgres://") || url.starts_with("postgresql://"));
    if postgres {
        println!("cargo::rustc-cfg=test_db_postgres");
    }
}
