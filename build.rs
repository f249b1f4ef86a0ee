fn main() {
    // Migrations are embedded with include_str!; rebuild when they change.
    println!("cargo:rerun-if-changed=migrations");
    // Store tests on PostgreSQL run when a server is promised (scripts/test starts one and
    // sets CALLPLANE_REQUIRE_POSTGRES=1); otherwise they are reported as ignored, never
    // counted as passed.
    println!("cargo::rustc-check-cfg=cfg(callplane_postgres)");
    println!("cargo:rerun-if-env-changed=CALLPLANE_REQUIRE_POSTGRES");
    if std::env::var("CALLPLANE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        println!("cargo:rustc-cfg=callplane_postgres");
    }
}
