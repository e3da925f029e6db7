//! What the target should hold: the in-scope JumpCloud users and groups, mapped
//! and filtered by the target's rules, in the shapes the `drift` crate reads.

use std::collections::BTreeSet;

use drift::{Expected, ExpectedGroup, ExpectedUser, Ineligible};
use jumpcloud::{AppScope, Directory};
use serde::{Deserialize, Serialize};

use crate::eligibility::{direct_binding_reason, empty_group_reason, user_reasons};
use crate::kind::Kind;
use crate::mapping::{group_resource, user_label, user_resource};
use crate::settings::Settings;

/// What JumpCloud would push to one target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Projection {
    pub expected: Expected,
}

/// Maps the users and groups of `scope` (what the connector would push) for `kind`.
///
/// - Ineligible users are listed with their reasons and left out of `users` and
///   of every group's `member_source_ids` (the target cannot hold them).
/// - Suspended users stay in `users` with `active: false`.
/// - Groups are produced only when `settings.manage_groups`; a group with no
///   members at all (nested groups expanded) is expected with no members and marked as
///   one JumpCloud does not create: if the target has it, its members are removed and the
///   group is kept (JumpCloud's behaviour), if not, it is reported, not created.
/// - StrongDM: users bound to the app directly and through no bound group are ineligible
///   (JumpCloud syncs groups of users to StrongDM, not individual users).
/// - Ids in `scope` missing from `dir` are skipped: the directory is the truth.
pub fn project(kind: Kind, settings: &Settings, dir: &Directory, scope: &AppScope) -> Projection {
    let mut out = Projection::default();
    let mut eligible: BTreeSet<&str> = BTreeSet::new();
    let through_groups: BTreeSet<&str> = scope
        .groups
        .iter()
        .filter_map(|g| dir.effective_members.get(g))
        .flatten()
        .map(String::as_str)
        .collect();
    for id in &scope.users {
        let Some(user) = dir.user(id) else { continue };
        let mut reasons = user_reasons(kind, settings, user);
        if kind == Kind::StrongDm && !through_groups.contains(id.as_str()) {
            reasons.push(direct_binding_reason());
        }
        if reasons.is_empty() {
            eligible.insert(user.id.as_str());
            out.expected.users.push(ExpectedUser {
                source_id: user.id.clone(),
                label: user_label(user),
                resource: user_resource(kind, user).into(),
            });
        } else {
            out.expected.ineligible.push(Ineligible {
                source_id: user.id.clone(),
                label: user_label(user),
                reasons,
            });
        }
    }
    if !settings.manage_groups {
        return out;
    }
    for id in &scope.groups {
        let Some(group) = dir.group(id) else { continue };
        let members: &[String] = dir
            .effective_members
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let not_created_because = if members.is_empty() {
            vec![empty_group_reason()]
        } else {
            Vec::new()
        };
        out.expected.groups.push(ExpectedGroup {
            source_id: group.id.clone(),
            label: group.name.clone(),
            resource: group_resource(group).into(),
            member_source_ids: members
                .iter()
                .filter(|m| eligible.contains(m.as_str()))
                .cloned()
                .collect(),
            not_created_because,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bare, group, named};
    use jumpcloud::model::Application;
    use jumpcloud::{AppBinding, GroupMembers, SystemUser};
    use serde_json::json;

    const APP: &str = "app1";

    /// Bound: group "eng" (ann, bob-without-names, cat-suspended, nested "ops" with dan),
    /// group "empty" (nobody), user eve directly. Not bound: group "sales" (fay).
    fn directory() -> Directory {
        let suspended = SystemUser {
            suspended: true,
            ..named("u3", "Cat", "Kim")
        };
        let mut d = Directory {
            users: vec![
                named("u1", "Ann", "Lee"),
                bare("u2", "bob", "bob@example.com"),
                suspended,
                named("u4", "Dan", "Ray"),
                named("u5", "Eve", "Fox"),
                named("u6", "Fay", "Orr"),
            ],
            groups: vec![
                group("g1", "eng"),
                group("g2", "ops"),
                group("g3", "empty"),
                group("g4", "sales"),
            ],
            applications: vec![Application {
                id: APP.into(),
                name: "aws-identity-center".into(),
                display_name: None,
                display_label: None,
                sso_url: None,
                description: None,
                active: true,
            }],
            ..Default::default()
        };
        let members = |users: &[&str], groups: &[&str]| GroupMembers {
            users: users.iter().map(|s| s.to_string()).collect(),
            groups: groups.iter().map(|s| s.to_string()).collect(),
        };
        d.members
            .insert("g1".into(), members(&["u1", "u2", "u3"], &["g2"]));
        d.members.insert("g2".into(), members(&["u4"], &[]));
        d.members.insert("g4".into(), members(&["u6"], &[]));
        d.bindings.insert(
            APP.into(),
            AppBinding {
                user_groups: vec!["g1".into(), "g3".into()],
                users: vec!["u5".into()],
            },
        );
        d.normalize();
        d
    }

    fn scope(d: &Directory) -> AppScope {
        d.app_scope(APP).unwrap()
    }

    fn ids<T>(v: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
        v.iter().map(|x| f(x).to_string()).collect()
    }

    #[test]
    fn aws_projection_splits_eligible_ineligible_and_empty_groups() {
        let d = directory();
        let p = project(Kind::Aws, &Settings::default_for(Kind::Aws), &d, &scope(&d));
        assert_eq!(
            ids(&p.expected.users, |u| &u.source_id),
            ["u1", "u3", "u4", "u5"]
        );
        assert_eq!(ids(&p.expected.ineligible, |u| &u.source_id), ["u2"]);
        assert_eq!(
            ids(&p.expected.ineligible[0].reasons, |r| &r.code),
            [
                "missing_given_name",
                "missing_family_name",
                "missing_display_name"
            ]
        );
        // Only bound groups; the empty one is expected without members, marked as one
        // JumpCloud does not create.
        assert_eq!(ids(&p.expected.groups, |g| &g.source_id), ["g1", "g3"]);
        let eng = &p.expected.groups[0];
        assert!(eng.not_created_because.is_empty());
        assert_eq!(eng.label, "eng");
        assert_eq!(eng.resource_json()["displayName"], json!("eng"));
        // Nested members count; the ineligible bob does not.
        assert_eq!(eng.member_source_ids, ["u1", "u3", "u4"]);
        let empty = &p.expected.groups[1];
        assert!(empty.member_source_ids.is_empty());
        assert_eq!(empty.not_created_because[0].code, "empty_group");
    }

    #[test]
    fn suspended_users_stay_expected_as_inactive() {
        let d = directory();
        let p = project(Kind::Aws, &Settings::default_for(Kind::Aws), &d, &scope(&d));
        let cat = p
            .expected
            .users
            .iter()
            .find(|u| u.source_id == "u3")
            .unwrap();
        assert_eq!(cat.resource_json()["active"], json!(false));
        assert_eq!(cat.resource_json()["userName"], json!("cat@example.com"));
        assert_eq!(cat.label, "Cat Kim (cat)");
    }

    #[test]
    fn generic_takes_bob_and_out_of_scope_users_never_appear() {
        let d = directory();
        let p = project(
            Kind::Generic,
            &Settings::default_for(Kind::Generic),
            &d,
            &scope(&d),
        );
        assert_eq!(
            ids(&p.expected.users, |u| &u.source_id),
            ["u1", "u2", "u3", "u4", "u5"]
        );
        assert!(p.expected.ineligible.is_empty());
        assert_eq!(
            p.expected.groups[0].member_source_ids,
            ["u1", "u2", "u3", "u4"]
        );
        let all = serde_json::to_string(&p.expected).unwrap();
        assert!(!all.contains("u6") && !all.contains("sales"));
    }

    #[test]
    fn strongdm_leaves_out_users_bound_directly_and_through_no_group() {
        let d = directory();
        let p = project(
            Kind::StrongDm,
            &Settings::default_for(Kind::StrongDm),
            &d,
            &scope(&d),
        );
        // eve (u5) is bound to the app directly; bob has no names (StrongDM needs them).
        let eve = p
            .expected
            .ineligible
            .iter()
            .find(|u| u.source_id == "u5")
            .expect("eve is ineligible");
        assert_eq!(eve.reasons.len(), 1);
        assert_eq!(eve.reasons[0].code, "direct_binding_not_synced");
        assert!(eve.reasons[0].text.contains("groups of users"));
        assert!(!p.expected.users.iter().any(|u| u.source_id == "u5"));
        // Members of bound groups, nested ones included, are expected as before.
        assert_eq!(ids(&p.expected.users, |u| &u.source_id), ["u1", "u3", "u4"]);
        // Other targets take directly bound users.
        let aws = project(Kind::Aws, &Settings::default_for(Kind::Aws), &d, &scope(&d));
        assert!(aws.expected.users.iter().any(|u| u.source_id == "u5"));
    }

    #[test]
    fn no_groups_when_group_management_is_off() {
        let d = directory();
        let settings = Settings::default_for(Kind::Unity);
        assert!(!settings.manage_groups);
        let p = project(Kind::Unity, &settings, &d, &scope(&d));
        assert_eq!(p.expected.users.len(), 5);
        assert!(p.expected.groups.is_empty());
    }

    #[test]
    fn unity_members_outside_validated_domains_are_ineligible_and_not_members() {
        let mut d = directory();
        d.users.iter_mut().find(|u| u.id == "u4").unwrap().email = "dan@contractor.io".into();
        let settings = Settings {
            manage_groups: true,
            validated_domains: vec!["example.com".into()],
        };
        let profile = crate::Profile::with_settings(Kind::Unity, settings).unwrap();
        let p = profile.project(&d, &scope(&d));
        assert_eq!(ids(&p.expected.ineligible, |u| &u.source_id), ["u4"]);
        assert_eq!(
            p.expected.ineligible[0].reasons[0].code,
            "email_domain_not_validated"
        );
        assert_eq!(p.expected.groups[0].member_source_ids, ["u1", "u2", "u3"]);
    }

    #[test]
    fn unknown_ids_in_scope_are_skipped_and_unknown_apps_are_an_error() {
        let d = directory();
        let mut s = scope(&d);
        s.users.push("ghost".into());
        s.groups.push("ghost-group".into());
        let p = project(Kind::Generic, &Settings::default_for(Kind::Generic), &d, &s);
        assert_eq!(p.expected.users.len(), 5);
        assert_eq!(p.expected.groups.len(), 2);
        let profile = crate::Profile::new(Kind::Aws);
        assert_eq!(
            profile.project_app(&d, "nope").unwrap_err(),
            crate::Error::AppNotFound {
                app_id: "nope".into()
            }
        );
        assert_eq!(
            profile.project_app(&d, APP).unwrap().expected.users.len(),
            4
        );
    }
}
