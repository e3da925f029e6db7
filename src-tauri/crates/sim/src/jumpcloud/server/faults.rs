//! Injected faults: throttling, outages, slowness and short pages, each limited to matching paths
//! and to a number of requests (or forever).

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `Retry-After: <secs>`.
    RateLimit { retry_after_secs: u64 },
    /// 503.
    Unavailable,
    /// Answer normally, after a delay.
    Slow(Duration),
    /// Answer with about half the page while the total still counts every record.
    PartialPage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    pub fault: Fault,
    /// Applies to request paths containing this text; `None` = every path.
    pub path_contains: Option<String>,
    /// How many matching requests it hits; `None` = all of them.
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn always(fault: Fault) -> Self {
        FaultRule {
            fault,
            path_contains: None,
            times: None,
        }
    }

    pub fn times(fault: Fault, n: u32) -> Self {
        FaultRule {
            fault,
            path_contains: None,
            times: Some(n),
        }
    }

    pub fn on_path(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }
}

/// The first live rule that matches `path`, consuming one of its uses.
pub(crate) fn take_fault(rules: &mut Vec<FaultRule>, path: &str) -> Option<Fault> {
    let idx = rules.iter().position(|r| {
        r.times != Some(0) && r.path_contains.as_deref().is_none_or(|p| path.contains(p))
    })?;
    let rule = &mut rules[idx];
    if let Some(n) = rule.times.as_mut() {
        *n -= 1;
    }
    let fault = rule.fault.clone();
    rules.retain(|r| r.times != Some(0));
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_paths_and_run_out() {
        let mut rules = vec![
            FaultRule::times(Fault::Unavailable, 1).on_path("/members"),
            FaultRule::always(Fault::PartialPage).on_path("/systemusers"),
        ];
        assert_eq!(take_fault(&mut rules, "/api/v2/usergroups"), None);
        assert_eq!(
            take_fault(&mut rules, "/api/v2/usergroups/x/members"),
            Some(Fault::Unavailable)
        );
        assert_eq!(take_fault(&mut rules, "/api/v2/usergroups/x/members"), None);
        assert_eq!(
            take_fault(&mut rules, "/api/systemusers"),
            Some(Fault::PartialPage)
        );
        assert_eq!(
            take_fault(&mut rules, "/api/systemusers"),
            Some(Fault::PartialPage)
        );
    }
}
