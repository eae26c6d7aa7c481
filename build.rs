//! Compiles the Weapon Interface Protocol into Rust. The `.proto` is parsed by
//! protox, in Rust, so a build needs no `protoc` on the machine.

fn main() {
    const PROTO: &str = "proto/airforce/weapon/v1/weapon.proto";
    println!("cargo:rerun-if-changed={PROTO}");
    let descriptors = match protox::compile([PROTO], ["proto"]) {
        Ok(descriptors) => descriptors,
        Err(error) => panic!("{PROTO} does not compile: {error}"),
    };
    if let Err(error) = tonic_prost_build::configure().compile_fds(descriptors) {
        panic!("cannot generate the Rust code of {PROTO}: {error}");
    }
}
