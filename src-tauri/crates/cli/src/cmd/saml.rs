//! `scim-companion saml`: the AWS IAM Identity Center `AccessControl` attribute statement for
//! the chosen JumpCloud attributes, the JumpCloud "User Attribute Mapping" rows to type in, and
//! a value check over the whole directory.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use engine::saml as builder;
use saml::{Issue, Mapping, RenderOptions, Severity, ValueProblem};

use crate::error::{CliError, CliResult};
use crate::source;

/// Problem users listed per mapping by `--check` (the counts are always complete).
const MAX_LISTED_PROBLEMS: usize = 20;

#[derive(Args)]
#[command(after_long_help = "\
Examples:
  scim-companion saml --map CostCenter=costCenter --map Email=email --user ann.lee
  scim-companion saml --map Department=department --mapping-table
  scim-companion saml --map Team=const:platform --map Department=department --check
  scim-companion saml --directory users.csv --map Department=department --user bob

Without --user the statement shows placeholders (${jumpcloud:department}) instead of values.
Validation findings go to stderr; any error (AWS would reject the assertion) exits with 1 and
prints no XML.

Before AWS reads these tags (AWS's JumpCloud guide):
  1. Enable \"Attributes for access control\" in the IAM Identity Center console (Settings).
  2. Create a permission set whose policy uses the tags (aws:PrincipalTag/<TagKey>) and assign it.
A key also configured on that console page takes the identity-store value and the SAML one is
ignored: name those keys with --console-key to be warned.")]
pub struct SamlArgs {
    /// A session tag: TAG_KEY=ATTRIBUTE (a JumpCloud user field or custom attribute, e.g.
    /// CostCenter=costCenter) or TAG_KEY=const:TEXT for the same value for every user. Repeat
    /// for each tag; the order is kept.
    #[arg(long = "map", value_name = "TAG_KEY=SOURCE", required = true)]
    maps: Vec<String>,

    /// The user whose values fill the statement: username (case-insensitive) or JumpCloud id.
    #[arg(long, value_name = "NAME")]
    user: Option<String>,

    /// Print the rows for JumpCloud's "User Attribute Mapping" (SSO tab of the IAM Identity
    /// Center connector) as tab-separated text, instead of the XML.
    #[arg(long, conflicts_with = "check")]
    mapping_table: bool,

    /// Check every user's value for every tag (missing, empty, too long, invalid characters)
    /// instead of printing the XML. Exits with 1 when a value would make AWS reject a sign-in.
    #[arg(long)]
    check: bool,

    /// A complete XML document: XML declaration and the saml namespace declared on the
    /// statement. Without it, a fragment to paste inside an assertion.
    #[arg(long)]
    standalone: bool,

    /// Add NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" to each attribute.
    #[arg(long)]
    name_format: bool,

    /// Read users from this file: a JSON snapshot (`jumpcloud snapshot --out`) or the JumpCloud
    /// admin console's CSV user export. Default: the demo directory.
    #[arg(long, value_name = "FILE", conflicts_with = "demo")]
    directory: Option<PathBuf>,

    /// Use the demo directory (the default when --directory is not given).
    #[arg(long)]
    demo: bool,

    /// A key already configured on IAM Identity Center's "Attributes for access control" page
    /// (repeat for each). AWS uses that identity-store value and ignores the SAML one, so a
    /// mapping with the same key (compared ignoring case) gets a warning.
    #[arg(long = "console-key", value_name = "TAG_KEY")]
    console_keys: Vec<String>,
}

/// Parses one `--map` value.
pub fn parse_mapping(raw: &str) -> CliResult<Mapping> {
    let (key, source) = raw.split_once('=').ok_or_else(|| {
        CliError::new(format!(
            "--map {raw:?}: expected TAG_KEY=ATTRIBUTE or TAG_KEY=const:TEXT"
        ))
        .with_hint("For example: --map CostCenter=costCenter --map Team=const:platform")
    })?;
    Ok(match source.strip_prefix("const:") {
        Some(text) => Mapping::literal(key, text),
        None => Mapping::attribute(key, source),
    })
}

pub fn run(args: SamlArgs) -> CliResult<ExitCode> {
    let mappings = args
        .maps
        .iter()
        .map(|m| parse_mapping(m))
        .collect::<CliResult<Vec<_>>>()?;
    let options = RenderOptions {
        standalone: args.standalone,
        name_format: args.name_format,
        ..RenderOptions::default()
    };

    let overridden = saml::console_overrides(&mappings, &args.console_keys);
    if args.mapping_table {
        let mut issues = saml::validate_mappings(&mappings);
        issues.extend(overridden);
        if print_issues(&issues) {
            return Ok(ExitCode::FAILURE);
        }
        print!("{}", saml::mapping_rows_tsv(&mappings).map_err(saml_error)?);
        return Ok(ExitCode::SUCCESS);
    }

    let loaded = source::load(args.directory.as_ref())?;
    eprintln!("directory: {}", loaded.source);
    let directory = &loaded.directory;

    if args.check {
        let mut issues = saml::validate_mappings(&mappings);
        issues.extend(overridden);
        if print_issues(&issues) {
            return Ok(ExitCode::FAILURE);
        }
        return Ok(check(&mappings, directory));
    }

    let (xml, mut issues) = match &args.user {
        Some(name) => {
            let user =
                builder::find_user(directory, name).ok_or_else(|| unknown_user(directory, name))?;
            let values = builder::user_values(user);
            eprintln!("user: {} ({})", user.username, user.id);
            (
                saml::render_for_user(&mappings, &values, &options),
                saml::validate_for_user(&mappings, &values),
            )
        }
        None => (
            saml::render_template(&mappings, &options),
            saml::validate_mappings(&mappings),
        ),
    };
    issues.extend(overridden);
    if print_issues(&issues) {
        return Ok(ExitCode::FAILURE);
    }
    print!("{}", xml.map_err(saml_error)?);
    Ok(ExitCode::SUCCESS)
}

/// Writes each finding to stderr; true when one of them is an error.
fn print_issues(issues: &[Issue]) -> bool {
    for issue in issues {
        let level = match issue.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        match &issue.tag_key {
            Some(key) => eprintln!("{level}: [{key}] {}", issue.message),
            None => eprintln!("{level}: {}", issue.message),
        }
    }
    let errors = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!("error: {errors} validation error(s); no XML written");
    }
    errors > 0
}

fn check(mappings: &[Mapping], directory: &jumpcloud::Directory) -> ExitCode {
    let report = builder::check_directory_values(mappings, directory, MAX_LISTED_PROBLEMS);
    println!(
        "{} users checked, {} with a problem in at least one tag",
        report.total_users,
        report.users_with_problems()
    );
    let mut rejected = 0;
    for m in &report.mappings {
        let c = &m.counts;
        let source = match &m.source {
            saml::Source::Attribute(name) => name.clone(),
            saml::Source::Literal(text) => format!("const:{text}"),
        };
        println!("\n{} <- {source}", m.tag_key);
        println!(
            "  {} ok ({} distinct values); missing {}, empty {}, too long {}, invalid char {}, control char {}",
            c.ok,
            m.distinct_values,
            c.missing,
            c.empty,
            c.too_long,
            c.invalid_char,
            c.forbidden_control_char
        );
        rejected += c.too_long + c.invalid_char + c.forbidden_control_char;
        let listed = m.problems.len();
        let total = c.missing + c.empty + c.too_long + c.invalid_char + c.forbidden_control_char;
        for p in &m.problems {
            println!("  {:<40} {}", p.username, describe(&p.problem));
        }
        if total > listed {
            println!("  ... and {} more", total - listed);
        }
    }
    if rejected > 0 {
        eprintln!("error: {rejected} value(s) would make AWS reject the sign-in of their user");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn describe(problem: &ValueProblem) -> String {
    match problem {
        ValueProblem::Missing => "missing: the tag is not sent".to_owned(),
        ValueProblem::Empty => "empty: AWS drops the tag".to_owned(),
        ValueProblem::TooLong { len } => {
            format!(
                "too long: {len} characters (AWS allows {})",
                saml::MAX_VALUE_CHARS
            )
        }
        ValueProblem::InvalidChar { ch } => {
            format!(
                "invalid character U+{:04X} {ch:?}: sign-in fails",
                u32::from(*ch)
            )
        }
        ValueProblem::ForbiddenControlChar { ch } => {
            format!(
                "control character U+{:04X}: XML cannot carry it",
                u32::from(*ch)
            )
        }
    }
}

fn unknown_user(directory: &jumpcloud::Directory, name: &str) -> CliError {
    let similar: Vec<String> = builder::search_users(directory, name, 5)
        .into_iter()
        .map(|u| u.username.clone())
        .collect();
    let err = CliError::new(format!("no user {name:?} in the directory"));
    if similar.is_empty() {
        err.with_hint(
            "Give a username or JumpCloud user id; `scim-companion jumpcloud users` lists them.",
        )
    } else {
        err.with_hint(format!("Did you mean: {}?", similar.join(", ")))
    }
}

fn saml_error(e: saml::Error) -> CliError {
    CliError::new(e.to_string())
}
