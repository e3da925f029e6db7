//! The generated input: directories (users, groups, memberships) and target-side mutations.

use super::*;

#[derive(Debug, Clone)]
pub(crate) struct GenUser {
    pub(crate) given: String,
    pub(crate) family: String,
    pub(crate) title: Option<String>,
    pub(crate) dept: Option<String>,
    pub(crate) active: bool,
    pub(crate) home_email: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Dir {
    pub(crate) users: Vec<GenUser>,
    pub(crate) groups: Vec<Vec<Index>>,
    /// AWS style: groups come back with empty `members`; memberships are read apart.
    pub(crate) aws: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Attr {
    Title,
    GivenName,
    FamilyName,
    DisplayName,
    Department,
}

#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    RemoveUser(Index),
    AddUser,
    ChangeAttr(Index, Attr),
    EmailCase(Index),
    ReorderMultiValues(Index),
    Decompose(Index),
    RemoveMembership(Index, Index),
    FlipActive(Index),
    ActiveAsString(Index),
    RemoveGroup(Index),
    RenameGroup(Index),
    /// A target member JumpCloud does not have in the group: (group, user).
    ExtraMember(Index, Index),
    /// A group someone made in the target by hand.
    AddGroup,
}

pub(crate) fn gen_user() -> impl Strategy<Value = GenUser> {
    (
        "[A-Za-zéüÅ]{1,6}",
        "[A-Za-z]{1,6}",
        proptest::option::of("[A-Za-z][A-Za-z ]{0,7}"),
        proptest::option::of("[A-Z]{2,4}"),
        proptest::bool::weighted(0.85),
        any::<bool>(),
    )
        .prop_map(|(given, family, title, dept, active, home_email)| GenUser {
            given,
            family,
            title,
            dept,
            active,
            home_email,
        })
}

pub(crate) fn gen_dir() -> impl Strategy<Value = Dir> {
    (
        proptest::collection::vec(gen_user(), 1..25),
        proptest::collection::vec(proptest::collection::vec(any::<Index>(), 0..8), 0..5),
        any::<bool>(),
    )
        .prop_map(|(users, groups, aws)| Dir { users, groups, aws })
}

pub(crate) fn gen_attr() -> impl Strategy<Value = Attr> {
    prop_oneof![
        Just(Attr::Title),
        Just(Attr::GivenName),
        Just(Attr::FamilyName),
        Just(Attr::DisplayName),
        Just(Attr::Department),
    ]
}

pub(crate) fn gen_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::RemoveUser),
        Just(Mutation::AddUser),
        (any::<Index>(), gen_attr()).prop_map(|(i, a)| Mutation::ChangeAttr(i, a)),
        any::<Index>().prop_map(Mutation::EmailCase),
        any::<Index>().prop_map(Mutation::ReorderMultiValues),
        any::<Index>().prop_map(Mutation::Decompose),
        (any::<Index>(), any::<Index>()).prop_map(|(g, m)| Mutation::RemoveMembership(g, m)),
        any::<Index>().prop_map(Mutation::FlipActive),
        any::<Index>().prop_map(Mutation::ActiveAsString),
        any::<Index>().prop_map(Mutation::RemoveGroup),
        any::<Index>().prop_map(Mutation::RenameGroup),
        (any::<Index>(), any::<Index>()).prop_map(|(g, u)| Mutation::ExtraMember(g, u)),
        Just(Mutation::AddGroup),
    ]
}
