//! `kubectl airforce weapon check`: can this weapon be carried — by an aircraft
//! type and hardpoint, by a named node, or by every task of a mission file?

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use comfy_table::{Cell, Color};
use k8s_openapi::api::core::v1::Node;
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::armoury;
use crate::api::{Mission, Weapon, WeaponRef};
use crate::cli::GlobalArgs;
use crate::cli::armoury_arg::ArmouryArg;
use crate::cli::report_format::ReportFormat;
use crate::compat::{self, Verdict};
use crate::kube_client::Cluster;
use crate::output::color::Palette;
use crate::output::{diagnostics, table};
use crate::validate;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The weapon (a Weapon's name); with --node, every known weapon when left out
    #[arg(add = crate::cli::complete_names::weapons())]
    pub weapon: Option<String>,
    /// Check against this aircraft type (the node label aircraft.mil/type, e.g. j20)
    #[arg(long, value_name = "TYPE", conflicts_with = "node")]
    pub aircraft_type: Option<String>,
    /// With --aircraft-type: the hardpoint type it would hang on (internal-bay, side-bay, wing, …)
    #[arg(long, value_name = "TYPE", requires = "aircraft_type")]
    pub hardpoint: Option<String>,
    /// Check against this node's aircraft.mil/type label and compatible-weapons annotation
    #[arg(long, value_name = "NODE", add = crate::cli::complete_names::aircraft())]
    pub node: Option<String>,
    /// Files with Weapons to use before the cluster's, and Missions whose every task is checked
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
    #[command(flatten)]
    pub armoury: ArmouryArg,
}

pub async fn run(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let loaded = load_files(&args.files)?;
    let armoury = args.armoury.namespace();
    let verdicts = if let Some(aircraft_type) = &args.aircraft_type {
        let name = args
            .weapon
            .as_deref()
            .context("name the weapon to check against --aircraft-type, e.g. `weapon check pl-15 --aircraft-type j20`")?;
        let weapons = Weapons::new(loaded.weapons, global, armoury);
        let weapon = weapons.named(name).await?;
        vec![compat::for_aircraft_type(
            &weapon,
            aircraft_type,
            args.hardpoint.as_deref(),
        )]
    } else if let Some(node_name) = &args.node {
        let weapons = Weapons::new(loaded.weapons, global, armoury);
        check_node(node_name, args.weapon.as_deref(), &weapons).await?
    } else if !loaded.missions.is_empty() {
        let weapons = Weapons::new(loaded.weapons, global, armoury);
        check_missions(&loaded.missions, &weapons).await?
    } else {
        anyhow::bail!(
            "nothing to check against: give --aircraft-type TYPE, --node NODE, or a mission file with -f"
        );
    };
    print(&verdicts, args.output)?;
    Ok(if verdicts.iter().all(|v| v.compatible) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

struct Loaded {
    missions: Vec<Mission>,
    weapons: Vec<Weapon>,
}

fn load_files(files: &[PathBuf]) -> anyhow::Result<Loaded> {
    if files.is_empty() {
        return Ok(Loaded {
            missions: Vec::new(),
            weapons: Vec::new(),
        });
    }
    let sources = validate::read_sources(files)?;
    let parsed = validate::parse(&sources);
    if parsed.has_errors() {
        eprint!(
            "{}",
            diagnostics::render(&parsed.diagnostics, Palette::for_stderr())
        );
        anyhow::bail!("the files given with -f cannot be read as Missions and Weapons (see above)");
    }
    Ok(Loaded {
        missions: parsed.missions().cloned().collect(),
        weapons: parsed.weapons().cloned().collect(),
    })
}

async fn check_node(
    node_name: &str,
    weapon: Option<&str>,
    weapons: &Weapons<'_>,
) -> anyhow::Result<Vec<Verdict>> {
    let cluster = weapons.cluster().await?;
    let node = Api::<Node>::all(cluster.client.clone())
        .get(node_name)
        .await
        .with_context(|| format!("cannot read node {node_name} from {}", cluster.server))?;
    let candidates = match weapon {
        Some(name) => vec![weapons.named(name).await?],
        None => weapons.all().await?,
    };
    if candidates.is_empty() {
        anyhow::bail!(
            "no weapons to check in namespace {}{}: name one, pass weapon files with -f, or create Weapons",
            cluster.namespace,
            weapons
                .armoury
                .as_deref()
                .map(|a| format!(" or the armoury {a}"))
                .unwrap_or_default()
        );
    }
    Ok(candidates
        .iter()
        .map(|w| compat::for_node(w, &node))
        .collect())
}

async fn check_missions(
    missions: &[Mission],
    weapons: &Weapons<'_>,
) -> anyhow::Result<Vec<Verdict>> {
    let mut verdicts = Vec::new();
    for mission in missions {
        let mut resolved = Vec::new();
        for reference in references(mission) {
            if let Some(weapon) = weapons
                .find(&reference, mission.namespace().as_deref())
                .await?
            {
                resolved.push((reference, weapon));
            }
        }
        verdicts.extend(compat::for_mission(mission, |wanted| {
            resolved.iter().find(|(r, _)| r == wanted).map(|(_, w)| w)
        }));
    }
    Ok(verdicts)
}

fn references(mission: &Mission) -> Vec<WeaponRef> {
    let mut references: Vec<WeaponRef> = mission
        .spec
        .stages
        .iter()
        .flat_map(|s| &s.flight_tasks)
        .flat_map(|t| &t.template.weapon_loadout)
        .map(|l| l.weapon_ref.clone())
        .collect();
    references.sort();
    references.dedup();
    references
}

/// Weapons from -f files first, then from the cluster, connected on first
/// need; a reference resolves as the operator resolves it (its namespace, or
/// the mission's and then the armoury).
struct Weapons<'g> {
    from_files: Vec<Weapon>,
    global: &'g GlobalArgs,
    armoury: Option<String>,
    cluster: tokio::sync::OnceCell<Cluster>,
}

impl<'g> Weapons<'g> {
    fn new(
        from_files: Vec<Weapon>,
        global: &'g GlobalArgs,
        armoury: Option<String>,
    ) -> Weapons<'g> {
        Weapons {
            from_files,
            global,
            armoury,
            cluster: tokio::sync::OnceCell::new(),
        }
    }

    async fn cluster(&self) -> anyhow::Result<&Cluster> {
        self.cluster
            .get_or_try_init(|| crate::cli::connect(self.global))
            .await
    }

    async fn find(
        &self,
        reference: &WeaponRef,
        mission_namespace: Option<&str>,
    ) -> anyhow::Result<Option<Weapon>> {
        let armoury = self.armoury.as_deref();
        // A weapon named on the command line (no mission) is taken from the
        // files whatever their namespace.
        let from_file = match mission_namespace {
            Some(home) => armoury::resolve(reference, home, armoury, &self.from_files),
            None => (self.from_files.iter()).find(|w| {
                w.name_any() == reference.name
                    && (reference.namespace.is_none() || w.namespace() == reference.namespace)
            }),
        };
        if let Some(weapon) = from_file {
            return Ok(Some(weapon.clone()));
        }
        let cluster = self.cluster().await?;
        let home = mission_namespace.unwrap_or(&cluster.namespace);
        for namespace in armoury::search_order(reference, home, armoury) {
            let found = Api::<Weapon>::namespaced(cluster.client.clone(), namespace)
                .get_opt(&reference.name)
                .await
                .with_context(|| {
                    format!(
                        "cannot read weapon {} in namespace {namespace}",
                        reference.name
                    )
                })?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    async fn named(&self, name: &str) -> anyhow::Result<Weapon> {
        let reference = WeaponRef {
            name: name.to_string(),
            namespace: None,
        };
        self.find(&reference, None).await?.with_context(|| {
            format!("weapon {name} not found: pass its file with -f, or create it (kubectl get weapons lists them)")
        })
    }

    async fn all(&self) -> anyhow::Result<Vec<Weapon>> {
        if !self.from_files.is_empty() {
            return Ok(self.from_files.clone());
        }
        let cluster = self.cluster().await?;
        let home = cluster.namespace.as_str();
        let places = [Some(home), self.armoury.as_deref().filter(|a| *a != home)];
        let mut weapons: Vec<Weapon> = Vec::new();
        for namespace in places.into_iter().flatten() {
            let list = Api::<Weapon>::namespaced(cluster.client.clone(), namespace)
                .list(&ListParams::default())
                .await
                .with_context(|| format!("cannot list weapons in namespace {namespace}"))?;
            // A weapon at home hides its namesake in the armoury.
            let shadowed = |w: &Weapon| weapons.iter().any(|have| have.name_any() == w.name_any());
            let new: Vec<Weapon> = list.items.into_iter().filter(|w| !shadowed(w)).collect();
            weapons.extend(new);
        }
        Ok(weapons)
    }
}

fn print(verdicts: &[Verdict], format: ReportFormat) -> anyhow::Result<()> {
    format.print(verdicts, || render_table(verdicts, Palette::for_stdout()))
}

/// The verdicts as a kubectl-style table; the TASK column only when checking missions.
pub fn render_table(verdicts: &[Verdict], palette: Palette) -> String {
    let with_task = verdicts.iter().any(|v| v.task.is_some());
    let mut headers = vec!["WEAPON", "AIRCRAFT", "HARDPOINT", "RESULT", "REASON"];
    if with_task {
        headers.insert(0, "TASK");
    }
    let mut out = table::new(headers, palette);
    for verdict in verdicts {
        let result = if verdict.compatible {
            table::colored("pass", Color::Green, palette)
        } else {
            table::colored("FAIL", Color::Red, palette)
        };
        let mut row = vec![
            Cell::new(&verdict.weapon),
            Cell::new(&verdict.aircraft),
            Cell::new(verdict.hardpoint.as_deref().unwrap_or("-")),
            result,
            Cell::new(&verdict.reason),
        ];
        if with_task {
            row.insert(0, Cell::new(verdict.task.as_deref().unwrap_or_default()));
        }
        out.add_row(row);
    }
    table::render(&out)
}
