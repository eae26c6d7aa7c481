fn main() {
    for crd in kubectl_airforce::api::all_crds() {
        println!("---\n{}", serde_yaml_ng::to_string(&crd).unwrap());
    }
}
