//! `kubectl airforce weapon serve` as a process: it prints where it listens,
//! answers the protocol, logs each call without `-v`, and stops on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use kubectl_airforce::weapon_protocol::v1::weapon_service_client::WeaponServiceClient;
use kubectl_airforce::weapon_protocol::v1::{AbortRequest, InitRequest, StatusRequest};

/// Starts the simulator on free ports and returns it with its gRPC address,
/// read from the line it prints at start.
fn serve(extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
        .args([
            "weapon",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--metrics-addr",
            "off",
        ])
        .args(["--weapon-type", "air-to-air-missile", "--quantity", "4"])
        .args([
            "--mount-points",
            "internal-bay-1,internal-bay-2",
            "--warm-up",
            "0s",
        ])
        .args(extra)
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl-airforce starts");
    let stderr = child.stderr.as_mut().unwrap();
    let mut first = String::new();
    let mut reader = BufReader::new(stderr);
    reader.read_line(&mut first).unwrap();
    let addr = first
        .split_whitespace()
        .skip_while(|word| *word != "on")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .trim_end_matches(';')
        .to_string();
    (child, addr)
}

fn stop(mut child: Child) -> String {
    let pid = child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let mut rest = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit {exit:?}, stderr:\n{rest}");
    rest
}

#[tokio::test]
async fn the_simulator_serves_logs_its_calls_and_stops_on_sigterm() {
    let (child, addr) = serve(&[]);
    let mut weapon = WeaponServiceClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let status = weapon
        .initialize(InitRequest::default())
        .await
        .unwrap()
        .into_inner()
        .status
        .unwrap();
    assert_eq!(status.remaining_count, 4);
    assert_eq!(status.mount_points, ["internal-bay-1", "internal-bay-2"]);
    let status = weapon
        .get_status(StatusRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.weapon_type, "air-to-air-missile");
    weapon
        .abort(AbortRequest {
            reason: "mission cancelled".into(),
        })
        .await
        .unwrap();
    // The connection stays open and, with this test's runtime blocked in `stop`,
    // never answers the server's goodbye: the simulator must still stop.
    let log = stop(child);
    drop(weapon);
    assert!(log.contains("Initialize"), "{log}");
    assert!(log.contains("Abort"), "{log}");
    assert!(log.contains("mission cancelled"), "{log}");
    assert!(log.trim_end().ends_with("stopped"), "{log}");
}

#[test]
fn a_bad_duration_names_the_flag_and_exits_non_zero() {
    let output = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
        .args(["weapon", "serve", "--weapon-type", "x", "--warm-up", "soon"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--warm-up"), "{stderr}");
    assert!(stderr.contains("soon"), "{stderr}");
}
