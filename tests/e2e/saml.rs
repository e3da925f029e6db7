//! The SAML builder in the real window: two AccessControl tags resolved for one demo user must
//! read back exactly as the `saml` crate renders them in-process.

use std::time::{Duration, Instant};

use ::saml::{Mapping, RenderOptions};
use fantoccini::Locator;
use scim_companion_tests::app_driver::{test_id_selector, AppSession};
use scim_companion_tests::ids;

/// Waits until the preview's exact text (not trimmed) satisfies `accept`.
async fn xml_when(app: &AppSession, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(Some(text)) = app
            .by_test_id(ids::SAML_XML)
            .await
            .prop("textContent")
            .await
        {
            if accept(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let shot = app.screenshot("failure-saml-xml").await;
    panic!(
        "the XML preview never showed the expected text; last:\n{last}\n(screenshot: {})",
        shot.display()
    );
}

#[tokio::test]
async fn saml_builds_two_attribute_snippet() {
    let directory = sim::jumpcloud::seed::demo_directory();
    // Someone with a department and a display name, so both tags carry real values.
    let user = directory
        .users
        .iter()
        .find(|u| u.department.is_some() && u.displayname.is_some())
        .expect("the demo has a user with a department");
    let mappings = [
        Mapping::attribute("CostCenter", "department"),
        Mapping::attribute("Email", "email"),
    ];
    let expected = ::saml::render_for_user(
        &mappings,
        &engine::saml::user_values(user),
        &RenderOptions::default(),
    )
    .expect("render");

    let app = AppSession::start().await;
    app.click(&ids::nav("saml")).await;
    app.by_test_id(ids::PAGE_SAML).await;

    // Row 1 from the preset menu, row 2 typed by hand.
    app.by_test_id(ids::SAML_PRESET)
        .await
        .select_by_value("cost-center-from-department")
        .await
        .expect("pick the CostCenter = department preset");
    app.click(ids::SAML_ADD_ROW).await;
    let keys = app
        .client
        .find_all(Locator::Css(&test_id_selector(ids::SAML_TAG_KEY)))
        .await
        .unwrap();
    assert_eq!(keys.len(), 2, "one row from the preset, one added");
    keys[1].send_keys("Email").await.unwrap();
    let sources = app
        .client
        .find_all(Locator::Css(&test_id_selector(ids::SAML_SOURCE)))
        .await
        .unwrap();
    sources[1].select_by_value("field:email").await.unwrap();

    // Template first: placeholders name the JumpCloud fields.
    xml_when(&app, |xml| {
        xml.contains("${jumpcloud:department}") && xml.contains("${jumpcloud:email}")
    })
    .await;

    app.by_test_id(ids::SAML_USER_SELECT)
        .await
        .select_by_value(&user.id)
        .await
        .expect("pick the demo user");
    let xml = xml_when(&app, |xml| xml == expected).await;
    assert_eq!(xml, expected);
    for key in ["CostCenter", "Email"] {
        assert!(
            xml.contains(&format!(
                "Name=\"https://aws.amazon.com/SAML/Attributes/AccessControl:{key}\""
            )),
            "{key} attribute present"
        );
    }
    // Valid tags: the validation list says so, and the directory check has run for both.
    app.by_test_id(ids::SAML_ISSUES_CLEAN).await;
    let check = app
        .text_when(ids::SAML_VALUE_CHECK, |t| t.contains("Checked every one"))
        .await;
    assert!(
        check.contains("CostCenter") && check.contains("Email"),
        "{check}"
    );
    app.screenshot("saml-builder").await;

    // The mapping rows name JumpCloud's console label where a source gives one.
    let labels: Vec<String> = {
        let mut out = Vec::new();
        for el in
            scim_companion_tests::app_driver::all_by_test_id(&app, ids::SAML_CONSOLE_LABEL).await
        {
            out.push(scim_companion_tests::app_driver::text_of(&el).await);
        }
        out
    };
    assert_eq!(labels, ["no console label known", "console: Email (Work)"]);

    // A key also set on Identity Center's console page: the real saml_build warns on its row.
    app.by_test_id(ids::SAML_CONSOLE_KEYS)
        .await
        .send_keys("costcenter")
        .await
        .unwrap();
    let warning = app
        .text_when(ids::SAML_ISSUE, |t| {
            t.contains("also configured in IAM Identity Center")
        })
        .await;
    assert!(warning.contains("\"costcenter\""), "{warning}");
    app.client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("saml-prerequisites").await;
    let table = app.by_test_id(ids::SAML_MAPPING_TABLE).await;
    app.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&table).unwrap()],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("saml-mapping-rows").await;
    app.close().await;
}
