//! CSV import of users in JumpCloud's column names: good files, bad rows, strict vs lenient.

#![allow(clippy::unwrap_used)]

use jumpcloud::{import_users_csv, CsvErrorReason, CsvMode, Error, UserState};

const GOOD: &str = "\u{feff}username,email,firstname,middlename,lastname,displayname,department,jobTitle,company,employeeIdentifier,state,suspended,mobile_number,work_number,work_streetAddress,work_city,work_state,work_postalCode,work_country,Attribute1_name,Attribute1_value,favourite_colour
zoe,zoe@example.com,Zoë,,Łukasiewicz,\"Łukasiewicz, Zoë\",Research,Physicist,Example Ltd,E-001,ACTIVATED,false,+48 600 000 001,+48 22 000 0001,ul. Długa 1,Warszawa,Mazowieckie,00-001,PL,costCenter,R&D,blue
cher,cher@example.com,Cher,,,,Music,,,,,true,,,,,,,,,,
sato,sato@example.com,陽翔,,佐藤,,Sales,,,,STAGED,,,,,,,,,,,
";

#[test]
fn good_file_maps_every_known_column() {
    let import = import_users_csv(GOOD.as_bytes(), CsvMode::Strict).unwrap();
    assert_eq!(import.users.len(), 3);
    assert_eq!(import.warnings.len(), 1);
    assert_eq!(import.warnings[0].column, "favourite_colour");

    let zoe = &import.users[0];
    assert_eq!(zoe.id, "csv:zoe");
    assert_eq!(zoe.firstname.as_deref(), Some("Zoë"));
    assert_eq!(zoe.middlename, None);
    assert_eq!(zoe.lastname.as_deref(), Some("Łukasiewicz"));
    assert_eq!(zoe.displayname.as_deref(), Some("Łukasiewicz, Zoë"));
    assert_eq!(zoe.job_title.as_deref(), Some("Physicist"));
    assert_eq!(zoe.employee_identifier.as_deref(), Some("E-001"));
    assert_eq!(zoe.state, UserState::Activated);
    assert!(zoe.scim_active());
    let phones: Vec<(&str, &str)> = zoe
        .phone_numbers
        .iter()
        .map(|p| (p.kind.as_str(), p.number.as_str()))
        .collect();
    assert_eq!(
        phones,
        vec![("mobile", "+48 600 000 001"), ("work", "+48 22 000 0001")]
    );
    assert_eq!(zoe.addresses.len(), 1);
    let a = &zoe.addresses[0];
    assert_eq!(a.kind, "work");
    assert_eq!(a.locality.as_deref(), Some("Warszawa"));
    assert_eq!(a.region.as_deref(), Some("Mazowieckie"));
    assert_eq!(a.postal_code.as_deref(), Some("00-001"));
    assert_eq!(zoe.custom_attribute("costCenter"), Some("R&D"));

    let cher = &import.users[1];
    assert_eq!(cher.lastname, None, "missing last name stays missing");
    assert!(cher.suspended);
    assert_eq!(cher.state, UserState::Suspended);
    assert!(!cher.scim_active());

    assert_eq!(import.users[2].state, UserState::Staged);
    assert_eq!(import.users[2].lastname.as_deref(), Some("佐藤"));
}

const BAD: &str = "username,email,suspended,state
ok,ok@example.com,false,
,noname@example.com,false,
bademail,not-an-email,false,
flag,flag@example.com,maybe,
state,state@example.com,,RETIRED
ok,other@example.com,,
";

#[test]
fn strict_mode_reports_every_bad_row_and_returns_no_users() {
    let Err(Error::Csv(errors)) = import_users_csv(BAD.as_bytes(), CsvMode::Strict) else {
        panic!("strict import of a bad file must fail");
    };
    let summary: Vec<(u64, Option<&str>, &CsvErrorReason)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref(), &e.reason))
        .collect();
    assert_eq!(
        summary,
        vec![
            (3, Some("username"), &CsvErrorReason::Missing),
            (
                4,
                Some("email"),
                &CsvErrorReason::Invalid("not-an-email".into())
            ),
            (
                5,
                Some("suspended"),
                &CsvErrorReason::Invalid("maybe".into())
            ),
            (6, Some("state"), &CsvErrorReason::Invalid("RETIRED".into())),
            (7, Some("username"), &CsvErrorReason::Duplicate("ok".into())),
        ]
    );
}

#[test]
fn lenient_mode_keeps_good_rows_and_lists_rejected_ones() {
    let import = import_users_csv(BAD.as_bytes(), CsvMode::Lenient).unwrap();
    let names: Vec<&str> = import.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, vec!["ok"]);
    assert_eq!(import.rejected.len(), 5);
}

#[test]
fn header_without_username_or_email_is_rejected() {
    let err =
        import_users_csv("firstname,lastname\nA,B\n".as_bytes(), CsvMode::Lenient).unwrap_err();
    assert!(matches!(err, Error::CsvHeader { missing } if missing == vec!["username", "email"]));
}

#[test]
fn ragged_rows_are_malformed() {
    let err = import_users_csv(
        "username,email\na,a@example.com,extra\n".as_bytes(),
        CsvMode::Strict,
    )
    .unwrap_err();
    let Error::Csv(errors) = err else { panic!() };
    assert_eq!(errors[0].row, 2);
    assert!(matches!(errors[0].reason, CsvErrorReason::Malformed(_)));
}

#[test]
fn console_style_headers_with_spaces_and_capitals_are_recognised() {
    let csv = "First Name,Last Name,Username,Email Address,Job Title,Employee ID,Status,Password Expired,Home City,Home Country\n\
               Søren,Ødegaard,soren,soren@example.com,SRE,E-77,ACTIVATED,true,København,DK\n";
    let import = import_users_csv(csv.as_bytes(), CsvMode::Strict).unwrap();
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    let u = &import.users[0];
    assert_eq!(u.firstname.as_deref(), Some("Søren"));
    assert_eq!(u.job_title.as_deref(), Some("SRE"));
    assert_eq!(u.employee_identifier.as_deref(), Some("E-77"));
    assert!(u.password_expired && !u.scim_active());
    assert_eq!(u.addresses[0].kind, "home");
    assert_eq!(u.addresses[0].locality.as_deref(), Some("København"));
}
