//! `mission diff` and `mission resubmit` against the local cluster: diff exits 0
//! when a submit would change nothing, 1 with a unified diff when it would, 2
//! when it cannot be made; resubmit starts a fresh run that the operator flies
//! to the end beside the old one.

mod support;

use std::time::Duration;

use kube::Api;
use kube::api::{Patch, PatchParams};
use kubectl_airforce::api::{Mission, MissionPhase};
use support::{Operator, airforce, text};

fn recon(duration: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: recon
spec:
  stages:
  - name: sweep
    type: parallel
    flightTasks:
    - name: look
      aircraftRequirement: {{type: j20}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: {duration}}}
"#
    )
}

#[tokio::test]
async fn diff_exits_0_unchanged_1_changed_and_2_when_it_cannot_diff() {
    support::with_namespace("mission-diff", |client, ns| async move {
        support::ensure_crds(&client).await;
        let file = std::env::temp_dir().join(format!("{ns}-recon.yaml"));
        let path = file.to_str().expect("a UTF-8 path");
        let diff = || airforce(&["-n", &ns, "mission", "diff", "-f", path]);

        std::fs::write(&file, recon("200ms")).expect("written");
        let new = diff();
        assert_eq!(new.status.code(), Some(1), "{}", text(&new.stderr));
        let shown = text(&new.stdout);
        assert!(
            shown.contains("+++ merged/mission.airforce.mil/recon"),
            "{shown}"
        );
        assert!(shown.contains("+  name: recon"), "{shown}");

        support::submit_yaml(&ns, &recon("200ms"));
        let same = diff();
        assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
        assert_eq!(text(&same.stdout), "");

        std::fs::write(&file, recon("2s")).expect("written");
        let changed = diff();
        assert_eq!(changed.status.code(), Some(1), "{}", text(&changed.stderr));
        let shown = text(&changed.stdout);
        assert!(
            shown.contains("--- live/mission.airforce.mil/recon"),
            "{shown}"
        );
        let line = |sign: char, text: &str| {
            (shown.lines()).any(|line| line.starts_with(sign) && line[1..].trim() == text)
        };
        assert!(
            line('-', "sim.airforce.mil/duration: 200ms")
                && line('+', "sim.airforce.mil/duration: 2s"),
            "{shown}"
        );
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let live = missions.get("recon").await.expect("the mission");
        assert_eq!(live.metadata.generation, Some(1), "a diff writes nothing");

        std::fs::write(
            &file,
            recon("2s").replace("type: parallel", "type: sideways"),
        )
        .expect("written");
        let broken = diff();
        assert_eq!(broken.status.code(), Some(2), "{}", text(&broken.stdout));
        assert!(
            text(&broken.stderr).contains("type"),
            "{}",
            text(&broken.stderr)
        );
        let _ = std::fs::remove_file(&file);
    })
    .await;
}

#[tokio::test]
async fn resubmit_starts_a_fresh_run_beside_the_old_one() {
    support::with_namespace("mission-resubmit", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, &recon("200ms"));
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let finished = |name: &str| {
            let (missions, name) = (missions.clone(), name.to_string());
            async move { support::finished_mission(&missions, &name, Duration::from_secs(90)).await }
        };
        let old = finished("recon").await;
        // A request made to the old run, which the new one must not inherit.
        let request = serde_json::json!({"metadata": {"annotations": {"airforce.mil/cancel": "true"}}});
        (missions.patch("recon", &PatchParams::default(), &Patch::Merge(&request)).await)
            .expect("annotated");

        let resubmitted =
            support::airforce_ok(&["-n", &ns, "mission", "resubmit", "mission/recon", "-o", "name"]);
        let name = (resubmitted.trim().strip_prefix("mission.airforce.mil/"))
            .unwrap_or_else(|| panic!("a name: {resubmitted}"))
            .to_string();
        assert!(name.starts_with("recon-") && name.len() == "recon-".len() + 5, "{name}");
        let fresh = finished(&name).await;
        let status = fresh.status.clone().expect("a status");
        assert_eq!(status.phase, Some(MissionPhase::Succeeded), "{:?}", status.message);
        assert_eq!(fresh.spec, old.spec);
        let annotations = fresh.metadata.annotations.unwrap_or_default();
        assert!(
            !annotations.contains_key("airforce.mil/cancel"),
            "the old run's cancel stays with it: {annotations:?}"
        );
        let again = missions.get("recon").await.expect("the old mission stays");
        assert_eq!(again.metadata.uid, old.metadata.uid);
    })
    .await;
}
