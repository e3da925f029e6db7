//! Sample JumpCloud data shared by the unit tests.

use jumpcloud::model::{Address, PhoneNumber, SystemUser, UserGroup};

pub const JANE_ID: &str = "5f1b2c3d4e5f60718293a4b5";

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// A user with every attribute of the connector's table filled in.
pub fn jane() -> SystemUser {
    SystemUser {
        id: JANE_ID.into(),
        username: "jdoe".into(),
        email: "jane.doe@example.com".into(),
        firstname: s("Jane"),
        middlename: s("Q"),
        lastname: s("Doe"),
        displayname: s("Jane Doe"),
        phone_numbers: vec![
            PhoneNumber {
                kind: "mobile".into(),
                number: "+1 555 0100".into(),
            },
            PhoneNumber {
                kind: "work".into(),
                number: "+1 555 0101".into(),
            },
        ],
        addresses: vec![
            Address {
                kind: "home".into(),
                street_address: s("9 Elm St"),
                locality: s("Shelbyville"),
                ..Default::default()
            },
            Address {
                kind: "work".into(),
                street_address: s("1 Main St"),
                locality: s("Springfield"),
                region: s("IL"),
                postal_code: s("62701"),
                country: s("US"),
                ..Default::default()
            },
        ],
        employee_identifier: s("E-42"),
        department: s("Engineering"),
        company: s("Example Corp"),
        job_title: s("Engineer"),
        cost_center: s("CC-1"),
        manager: s("5f1b2c3d4e5f60718293a4ff"),
        ..Default::default()
    }
}

/// A user with only the fields JumpCloud always has.
pub fn bare(id: &str, username: &str, email: &str) -> SystemUser {
    SystemUser {
        id: id.into(),
        username: username.into(),
        email: email.into(),
        ..Default::default()
    }
}

/// A user AWS and StrongDM accept: names and display name set.
pub fn named(id: &str, first: &str, last: &str) -> SystemUser {
    SystemUser {
        firstname: s(first),
        lastname: s(last),
        displayname: s(&format!("{first} {last}")),
        ..bare(
            id,
            &first.to_lowercase(),
            &format!("{}@example.com", first.to_lowercase()),
        )
    }
}

pub fn group(id: &str, name: &str) -> UserGroup {
    UserGroup {
        id: id.into(),
        name: name.into(),
        description: None,
        email: None,
        kind: "user_group".into(),
    }
}
