fn main() {
    // Migrations are embedded with include_str!; rebuild when they change.
    println!("cargo:rerun-if-changed=migrations");
}
