//! The content security policy WebKit enforces on the app page, and injected script that does
//! not run under it (see the module documentation of `security`).

use super::*;
use scim_companion_tests::ids;

/// Parses a policy string into directive -> sources.
fn parse_policy(policy: &str) -> BTreeMap<String, BTreeSet<String>> {
    policy
        .split(';')
        .filter_map(|directive| {
            let mut parts = directive.split_whitespace();
            let name = parts.next()?.to_ascii_lowercase();
            Some((name, parts.map(str::to_owned).collect()))
        })
        .collect()
}

const INJECT_SCRIPTS: &str = r#"
const done = arguments[arguments.length - 1];
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push({
  directive: e.effectiveDirective, blocked: e.blockedURI, disposition: e.disposition, policy: e.originalPolicy,
}));
const added = [];
const add = (el) => { document.body.appendChild(el); added.push(el); return el; };
// An inline <script> element.
const script = document.createElement('script');
script.textContent = 'window.__pwned = 1';
add(script);
// <script> and an inline handler through innerHTML.
const box = add(document.createElement('div'));
box.innerHTML = '<script>window.__pwned_innerhtml = 1<\/script><img src=x onerror="window.__pwned_onerror = 1">';
// An inline handler attribute.
const button = add(document.createElement('button'));
button.setAttribute('onclick', 'window.__pwned_onclick = 1');
button.click();
// String evaluation.
try { eval('window.__pwned_eval = 1'); } catch (e) {}
try { new Function('window.__pwned_function = 1')(); } catch (e) {}
try { setTimeout('window.__pwned_timeout = 1', 0); } catch (e) {}
// A javascript: URL.
const link = add(document.createElement('a'));
link.href = 'javascript:window.__pwned_js_url = 1; void 0';
link.click();
setTimeout(() => {
  const ran = Object.keys(window).filter((k) => k.startsWith('__pwned'));
  added.forEach((el) => el.remove());
  done({
    ran,
    violations,
    meta: Array.from(document.querySelectorAll('meta[http-equiv]')).map((m) => m.httpEquiv),
  });
}, 1500);
"#;

#[tokio::test]
async fn csp_blocks_injected_inline_scripts() {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let out = app
        .client
        .execute_async(INJECT_SCRIPTS, vec![])
        .await
        .expect("inject the scripts");
    let ran = out["ran"].as_array().unwrap();
    assert!(ran.is_empty(), "injected script ran: {ran:?}");
    assert_eq!(
        out["meta"],
        json!([]),
        "the policy should come from the response header, not a <meta>"
    );

    let violations = out["violations"].as_array().unwrap();
    let directives: BTreeSet<&str> = violations
        .iter()
        .filter_map(|v| v["directive"].as_str())
        .collect();
    for expected in ["script-src-elem", "script-src-attr", "script-src"] {
        assert!(
            directives.contains(expected),
            "no {expected} violation reported: {violations:?}"
        );
    }
    assert!(
        violations.iter().all(|v| v["disposition"] == "enforce"),
        "{violations:?}"
    );

    // The enforced policy is the configured one.
    let enforced = parse_policy(violations[0]["policy"].as_str().unwrap());
    let conf: Value = serde_json::from_str(TAURI_CONF).unwrap();
    let configured = conf["app"]["security"]["csp"]
        .as_object()
        .expect("app.security.csp is a directive map");
    for (directive, sources) in configured {
        let enforced_sources = enforced
            .get(directive)
            .unwrap_or_else(|| panic!("{directive} missing from the enforced policy {enforced:?}"));
        for source in sources.as_str().unwrap().split_whitespace() {
            assert!(
                enforced_sources.contains(source),
                "{directive} lacks {source}: {enforced_sources:?}"
            );
        }
    }
    let script_src = &enforced["script-src"];
    for weak in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "*",
        "data:",
        "blob:",
        "http:",
        "https:",
    ] {
        assert!(
            !script_src.contains(weak),
            "script-src allows {weak}: {script_src:?}"
        );
    }
    println!(
        "enforced policy: {}",
        violations[0]["policy"].as_str().unwrap()
    );
    app.close().await;
}
