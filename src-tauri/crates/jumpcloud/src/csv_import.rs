//! Users from a CSV file in JumpCloud's column names (the API field names the admin console and the
//! PowerShell import template use, e.g. `firstname`, `jobTitle`, `work_streetAddress`, `mobile_number`).
//! Headers match case-insensitively, ignoring spaces, `_` and `-`. Unknown columns are ignored with
//! a warning. Strict mode returns no users if any row is bad; lenient mode skips bad rows.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;

use serde::Serialize;

use crate::error::{CsvErrorReason, CsvRowError, Error, Result};
use crate::model::{Address, CustomAttribute, PhoneNumber, SystemUser, UserState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvMode {
    /// Any bad row fails the whole import.
    Strict,
    /// Bad rows are reported in [`CsvImport::rejected`] and left out.
    Lenient,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct CsvWarning {
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct CsvImport {
    pub users: Vec<SystemUser>,
    pub warnings: Vec<CsvWarning>,
    /// Only filled in lenient mode.
    pub rejected: Vec<CsvRowError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Username,
    Email,
    Firstname,
    Middlename,
    Lastname,
    Displayname,
    EmployeeIdentifier,
    EmployeeType,
    Department,
    Company,
    JobTitle,
    CostCenter,
    Location,
    Manager,
    State,
    Suspended,
    Activated,
    AccountLocked,
    PasswordExpired,
    PasswordExpirationDate,
    Created,
    /// Phone of the given JumpCloud type.
    Phone(&'static str),
    /// Address part: (address type, part).
    Address(&'static str, AddressPart),
    AttributeName(u32),
    AttributeValue(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddressPart {
    Street,
    Extended,
    PoBox,
    Locality,
    Region,
    PostalCode,
    Country,
}

fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn field_for(header: &str) -> Option<Field> {
    let h = normalise(header);
    let simple = match h.as_str() {
        "id" | "userid" => Field::Id,
        "username" => Field::Username,
        "email" | "emailaddress" => Field::Email,
        "firstname" | "givenname" => Field::Firstname,
        "middlename" => Field::Middlename,
        "lastname" | "familyname" | "surname" => Field::Lastname,
        "displayname" => Field::Displayname,
        "employeeidentifier" | "employeeid" => Field::EmployeeIdentifier,
        "employeetype" => Field::EmployeeType,
        "department" => Field::Department,
        "company" => Field::Company,
        "jobtitle" | "title" => Field::JobTitle,
        "costcenter" => Field::CostCenter,
        "location" => Field::Location,
        "manager" => Field::Manager,
        "state" | "status" => Field::State,
        "suspended" => Field::Suspended,
        "activated" => Field::Activated,
        "accountlocked" => Field::AccountLocked,
        "passwordexpired" => Field::PasswordExpired,
        "passwordexpirationdate" => Field::PasswordExpirationDate,
        "created" => Field::Created,
        "mobilenumber" | "mobilephone" | "mobile" => Field::Phone("mobile"),
        "homenumber" | "homephone" => Field::Phone("home"),
        "worknumber" | "workphone" | "phone" | "phonenumber" => Field::Phone("work"),
        "workmobilenumber" => Field::Phone("work_mobile"),
        "workfaxnumber" => Field::Phone("work_fax"),
        _ => return address_field(&h).or_else(|| attribute_field(&h)),
    };
    Some(simple)
}

fn address_field(h: &str) -> Option<Field> {
    let (kind, rest) = if let Some(r) = h.strip_prefix("work") {
        ("work", r)
    } else if let Some(r) = h.strip_prefix("home") {
        ("home", r)
    } else {
        return None;
    };
    let part = match rest {
        "streetaddress" | "street" => AddressPart::Street,
        "extendedaddress" => AddressPart::Extended,
        "pobox" => AddressPart::PoBox,
        "city" | "locality" => AddressPart::Locality,
        "state" | "region" => AddressPart::Region,
        "postalcode" | "zip" | "zipcode" => AddressPart::PostalCode,
        "country" => AddressPart::Country,
        _ => return None,
    };
    Some(Field::Address(kind, part))
}

/// `Attribute1_name` / `Attribute1_value`, as in JumpCloud's import template.
fn attribute_field(h: &str) -> Option<Field> {
    let rest = h.strip_prefix("attribute")?;
    if let Some(n) = rest.strip_suffix("name") {
        return n.parse().ok().map(Field::AttributeName);
    }
    if let Some(n) = rest.strip_suffix("value") {
        return n.parse().ok().map(Field::AttributeValue);
    }
    None
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "n" | "0" => Some(false),
        "true" | "yes" | "y" | "1" => Some(true),
        _ => None,
    }
}

/// Parses a CSV export of users.
pub fn import_users_csv(input: impl Read, mode: CsvMode) -> Result<CsvImport> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| {
            Error::Csv(vec![CsvRowError {
                row: 1,
                column: None,
                reason: CsvErrorReason::Malformed(e.to_string()),
            }])
        })?
        .clone();
    let mut columns: Vec<Option<Field>> = Vec::with_capacity(headers.len());
    let mut warnings = Vec::new();
    for h in headers.iter() {
        let f = field_for(h);
        if f.is_none() && !h.trim().is_empty() {
            warnings.push(CsvWarning {
                column: h.to_string(),
                message: "unknown column, ignored".into(),
            });
        }
        columns.push(f);
    }
    let missing: Vec<String> = [(Field::Username, "username"), (Field::Email, "email")]
        .into_iter()
        .filter(|(f, _)| !columns.contains(&Some(*f)))
        .map(|(_, n)| n.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::CsvHeader { missing });
    }

    let mut out = CsvImport {
        warnings,
        ..Default::default()
    };
    let mut errors = Vec::new();
    let mut seen_usernames = HashSet::new();
    let mut seen_emails = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let row = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(CsvRowError {
                    row,
                    column: None,
                    reason: CsvErrorReason::Malformed(e.to_string()),
                });
                continue;
            }
        };
        if record.iter().all(|v| v.is_empty()) {
            continue;
        }
        match parse_row(row, &headers, &columns, &record) {
            Ok(user) => {
                let mut dup = None;
                if !seen_usernames.insert(user.username.to_lowercase()) {
                    dup = Some(("username", user.username.clone()));
                } else if !seen_emails.insert(user.email.clone()) {
                    dup = Some(("email", user.email.clone()));
                }
                match dup {
                    Some((col, v)) => errors.push(CsvRowError {
                        row,
                        column: Some(col.into()),
                        reason: CsvErrorReason::Duplicate(v),
                    }),
                    None => out.users.push(user),
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    match mode {
        CsvMode::Strict if !errors.is_empty() => Err(Error::Csv(errors)),
        _ => {
            out.rejected = errors;
            Ok(out)
        }
    }
}

fn parse_row(
    row: u64,
    headers: &csv::StringRecord,
    columns: &[Option<Field>],
    record: &csv::StringRecord,
) -> std::result::Result<SystemUser, Vec<CsvRowError>> {
    let mut errors = Vec::new();
    let mut user = SystemUser::default();
    let mut state: Option<UserState> = None;
    let mut addresses: BTreeMap<&'static str, Address> = BTreeMap::new();
    let mut attr_names: BTreeMap<u32, String> = BTreeMap::new();
    let mut attr_values: BTreeMap<u32, String> = BTreeMap::new();
    for (idx, value) in record.iter().enumerate() {
        let Some(field) = columns.get(idx).copied().flatten() else {
            continue;
        };
        let column = headers.get(idx).unwrap_or_default();
        let invalid = |errors: &mut Vec<CsvRowError>| {
            errors.push(CsvRowError {
                row,
                column: Some(column.to_string()),
                reason: CsvErrorReason::Invalid(value.to_string()),
            })
        };
        let text = (!value.is_empty()).then(|| value.to_string());
        let flag = |target: &mut bool, errors: &mut Vec<CsvRowError>| match parse_bool(value) {
            Some(b) => *target = b,
            None => invalid(errors),
        };
        match field {
            Field::Id => user.id = value.to_string(),
            Field::Username => user.username = value.to_string(),
            Field::Email => user.email = value.to_string(),
            Field::Firstname => user.firstname = text,
            Field::Middlename => user.middlename = text,
            Field::Lastname => user.lastname = text,
            Field::Displayname => user.displayname = text,
            Field::EmployeeIdentifier => user.employee_identifier = text,
            Field::EmployeeType => user.employee_type = text,
            Field::Department => user.department = text,
            Field::Company => user.company = text,
            Field::JobTitle => user.job_title = text,
            Field::CostCenter => user.cost_center = text,
            Field::Location => user.location = text,
            Field::Manager => user.manager = text,
            Field::PasswordExpirationDate => user.password_expiration_date = text,
            Field::Created => user.created = text,
            Field::State if value.is_empty() => {}
            Field::State => match UserState::parse(value) {
                Some(s) => state = Some(s),
                None => invalid(&mut errors),
            },
            Field::Suspended => flag(&mut user.suspended, &mut errors),
            Field::Activated => flag(&mut user.activated, &mut errors),
            Field::AccountLocked => flag(&mut user.account_locked, &mut errors),
            Field::PasswordExpired => flag(&mut user.password_expired, &mut errors),
            Field::Phone(kind) => {
                if let Some(number) = text {
                    user.phone_numbers.push(PhoneNumber {
                        kind: kind.to_string(),
                        number,
                    });
                }
            }
            Field::Address(kind, part) => {
                if text.is_some() {
                    let a = addresses.entry(kind).or_insert_with(|| Address {
                        kind: kind.to_string(),
                        ..Default::default()
                    });
                    let slot = match part {
                        AddressPart::Street => &mut a.street_address,
                        AddressPart::Extended => &mut a.extended_address,
                        AddressPart::PoBox => &mut a.po_box,
                        AddressPart::Locality => &mut a.locality,
                        AddressPart::Region => &mut a.region,
                        AddressPart::PostalCode => &mut a.postal_code,
                        AddressPart::Country => &mut a.country,
                    };
                    *slot = text;
                }
            }
            Field::AttributeName(n) => {
                if let Some(t) = text {
                    attr_names.insert(n, t);
                }
            }
            Field::AttributeValue(n) => {
                if let Some(t) = text {
                    attr_values.insert(n, t);
                }
            }
        }
    }
    for (col, value) in [("username", &user.username), ("email", &user.email)] {
        if value.is_empty() {
            errors.push(CsvRowError {
                row,
                column: Some(col.into()),
                reason: CsvErrorReason::Missing,
            });
        }
    }
    if !user.email.is_empty() && !looks_like_email(&user.email) {
        errors.push(CsvRowError {
            row,
            column: Some("email".into()),
            reason: CsvErrorReason::Invalid(user.email.clone()),
        });
    }
    for (n, value) in attr_values {
        match attr_names.remove(&n) {
            Some(name) => user.attributes.push(CustomAttribute { name, value }),
            None => errors.push(CsvRowError {
                row,
                column: Some(format!("Attribute{n}_name")),
                reason: CsvErrorReason::Missing,
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A state column wins; otherwise `suspended` decides, as in the API.
    user.state = state.unwrap_or(if user.suspended {
        UserState::Suspended
    } else {
        UserState::Activated
    });
    if user.state == UserState::Suspended {
        user.suspended = true;
    }
    if user.id.is_empty() {
        // No JumpCloud id in the file: derive a stable one so diffs across imports line up.
        user.id = format!("csv:{}", user.username.to_lowercase());
    }
    user.addresses = addresses.into_values().collect();
    Ok(user)
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !s.contains(' ')
        }
        None => false,
    }
}
