//! CSV import fuzzing (`jumpcloud::import_users_csv`): any bytes, in both modes.
//! - Nothing panics; the only errors are `Csv` (row errors, or the header's row 1) and
//!   `CsvHeader` (naming username and/or email).
//! - Strict and lenient agree: strict succeeds exactly when lenient rejects nothing, with the
//!   same users and warnings; otherwise lenient's `rejected` is strict's error list.
//! - Every imported user has a username, an email with an `@`, an id, a state that agrees with
//!   `suspended`, and no two share a username (case-insensitively) or an email.
//! - Round trip: each imported user, written back as a one-row CSV in JumpCloud's column
//!   names, imports (strict) as exactly that user.
#![no_main]

use std::collections::HashSet;

use jumpcloud::{
    import_users_csv, CsvErrorReason, CsvImport, CsvMode, Error, SystemUser, UserState,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let strict = import_users_csv(data, CsvMode::Strict);
    let lenient = import_users_csv(data, CsvMode::Lenient);
    if let Err(e) = &strict {
        let _ = e.to_string();
    }
    let import = match (strict, lenient) {
        (Ok(s), Ok(l)) => {
            assert!(s.rejected.is_empty() && l.rejected.is_empty());
            assert_eq!((&s.users, &s.warnings), (&l.users, &l.warnings));
            l
        }
        (Err(Error::Csv(errors)), Ok(l)) => {
            assert!(!errors.is_empty());
            assert_eq!(errors, l.rejected, "lenient rejects what strict reports");
            assert!(errors.iter().all(|e| e.row >= 2), "{errors:?}");
            l
        }
        (Err(Error::Csv(s)), Err(Error::Csv(l))) => {
            // The header itself is unreadable: both modes stop at row 1.
            assert_eq!(s, l);
            assert!(
                matches!(s.as_slice(), [e] if e.row == 1 && matches!(e.reason, CsvErrorReason::Malformed(_)))
            );
            return;
        }
        (Err(Error::CsvHeader { missing: s }), Err(Error::CsvHeader { missing: l })) => {
            assert_eq!(s, l);
            assert!(
                !s.is_empty() && s.iter().all(|m| m == "username" || m == "email"),
                "{s:?}"
            );
            return;
        }
        (s, l) => panic!("modes disagree or an unexpected error: {s:?} / {l:?}"),
    };
    check_users(&import);
    for user in &import.users {
        let csv = write_back(user);
        let again = import_users_csv(csv.as_slice(), CsvMode::Strict).unwrap_or_else(|e| {
            panic!(
                "written back user does not import: {e}\n{}",
                String::from_utf8_lossy(&csv)
            )
        });
        assert_eq!(
            again.users,
            vec![user.clone()],
            "\n{}",
            String::from_utf8_lossy(&csv)
        );
    }
});

fn check_users(import: &CsvImport) {
    let (mut names, mut emails) = (HashSet::new(), HashSet::new());
    for u in &import.users {
        assert!(!u.username.is_empty() && !u.id.is_empty(), "{u:?}");
        assert!(u.email.contains('@') && !u.email.contains(' '), "{u:?}");
        assert!(
            names.insert(u.username.to_lowercase()),
            "duplicate username {u:?}"
        );
        assert!(emails.insert(u.email.clone()), "duplicate email {u:?}");
        if u.state == UserState::Suspended {
            assert!(u.suspended, "{u:?}");
        }
    }
}

/// One user as a CSV file in the column names of JumpCloud's import template.
fn write_back(u: &SystemUser) -> Vec<u8> {
    let mut cols: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, value: &str| cols.push((name.to_owned(), value.to_owned()));
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    put("id", &u.id);
    put("username", &u.username);
    put("email", &u.email);
    put("firstname", &text(&u.firstname));
    put("middlename", &text(&u.middlename));
    put("lastname", &text(&u.lastname));
    put("displayname", &text(&u.displayname));
    put("employeeIdentifier", &text(&u.employee_identifier));
    put("employeeType", &text(&u.employee_type));
    put("department", &text(&u.department));
    put("company", &text(&u.company));
    put("jobTitle", &text(&u.job_title));
    put("costCenter", &text(&u.cost_center));
    put("location", &text(&u.location));
    put("manager", &text(&u.manager));
    put("state", u.state.as_str());
    put("suspended", &u.suspended.to_string());
    put("activated", &u.activated.to_string());
    put("account_locked", &u.account_locked.to_string());
    put("password_expired", &u.password_expired.to_string());
    put(
        "password_expiration_date",
        &text(&u.password_expiration_date),
    );
    put("created", &text(&u.created));
    for p in &u.phone_numbers {
        put(&format!("{}_number", p.kind), &p.number);
    }
    for a in &u.addresses {
        let k = &a.kind;
        put(&format!("{k}_streetAddress"), &text(&a.street_address));
        put(&format!("{k}_extendedAddress"), &text(&a.extended_address));
        put(&format!("{k}_poBox"), &text(&a.po_box));
        put(&format!("{k}_locality"), &text(&a.locality));
        put(&format!("{k}_region"), &text(&a.region));
        put(&format!("{k}_postalCode"), &text(&a.postal_code));
        put(&format!("{k}_country"), &text(&a.country));
    }
    for (i, attr) in u.attributes.iter().enumerate() {
        put(&format!("Attribute{}_name", i + 1), &attr.name);
        put(&format!("Attribute{}_value", i + 1), &attr.value);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(cols.iter().map(|c| c.0.as_str())).unwrap();
    w.write_record(cols.iter().map(|c| c.1.as_str())).unwrap();
    w.into_inner().unwrap()
}
