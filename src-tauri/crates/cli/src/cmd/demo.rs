use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct DemoArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Keep the simulated targets running until Ctrl-C (to point other SCIM clients at them).
    #[arg(long)]
    serve: bool,
}

pub async fn run(args: DemoArgs) -> engine::Result<ExitCode> {
    let workspace = ::demo::workspace()?;
    let summary = workspace.directory_summary();
    let mut checks = Vec::new();
    for target in workspace.targets() {
        let check = async {
            engine::TargetWork::new(&workspace, &target.id)?
                .test_connection()
                .await
        }
        .await;
        checks.push((target, check));
    }
    let all_ok = checks.iter().all(|(_, c)| c.is_ok());

    if args.json {
        let targets: Vec<_> = checks
            .iter()
            .map(|(t, c)| {
                serde_json::json!({
                    "id": t.id, "name": t.name, "kind": t.kind.id(), "baseUrl": t.base_url,
                    "ok": c.is_ok(),
                    "users": c.as_ref().ok().and_then(|r| r.user_count),
                    "groups": c.as_ref().ok().and_then(|r| r.group_count),
                    "error": c.as_ref().err().map(|e| e.to_string()),
                })
            })
            .collect();
        let out = serde_json::json!({
            "directory": {
                "source": summary.source, "users": summary.users, "groups": summary.groups,
                "suspendedUsers": summary.suspended_users, "applications": summary.applications,
            },
            "targets": targets,
        });
        println!("{}", serde_json::to_string_pretty(&out).expect("JSON"));
    } else {
        println!("{}", summary.source);
        println!(
            "  {} users ({} suspended), {} groups, {} applications",
            summary.users, summary.suspended_users, summary.groups, summary.applications
        );
        println!("Targets");
        for (target, check) in &checks {
            match check {
                Ok(report) => println!(
                    "  OK     {:<28} {}  {}",
                    target.name,
                    target.base_url,
                    report.summary()
                ),
                Err(e) => {
                    println!("  ERROR  {:<28} {}  {e}", target.name, target.base_url);
                    if let Some(hint) = e.hint() {
                        println!("         hint: {hint}");
                    }
                }
            }
        }
    }

    if args.serve {
        eprintln!("serving the demo targets; press Ctrl-C to stop");
        let _ = tokio::signal::ctrl_c().await;
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
