//! JumpCloud's list semantics over JSON records: `filter`, `sort`, `limit` (max 100) and `skip`.

use serde_json::Value;

/// Query parameters of a list call; repeated `filter`s are ANDed as JumpCloud does.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub limit: usize,
    pub skip: usize,
    pub sort: Option<String>,
    pub filters: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ListError {
    Limit(String),
    Skip(String),
    Filter(String),
}

impl ListError {
    pub fn message(&self) -> String {
        match self {
            ListError::Limit(v) => format!("limit must be between 1 and 100, got {v:?}"),
            ListError::Skip(v) => format!("skip must be a non-negative integer, got {v:?}"),
            ListError::Filter(v) => format!("invalid filter {v:?}"),
        }
    }
}

pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 100;

impl ListQuery {
    pub fn parse(params: &[(String, String)]) -> Result<ListQuery, ListError> {
        let mut q = ListQuery {
            limit: DEFAULT_LIMIT,
            ..Default::default()
        };
        for (k, v) in params {
            match k.as_str() {
                "limit" => {
                    q.limit = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| ListError::Limit(v.clone()))?
                }
                "skip" => q.skip = v.parse().map_err(|_| ListError::Skip(v.clone()))?,
                "sort" => q.sort = Some(v.clone()).filter(|s| !s.is_empty()),
                "filter" => q.filters.push(v.clone()),
                _ => {}
            }
        }
        Ok(q)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `field:$eq:value`
    V1,
    /// `field:eq:value`
    V2,
}

fn field_text(record: &Value, field: &str) -> Option<String> {
    match record.get(field)? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Keeps records matching every filter. Values compare case-sensitively, as JumpCloud documents.
pub fn apply_filters(
    records: Vec<Value>,
    filters: &[String],
    dialect: Dialect,
) -> Result<Vec<Value>, ListError> {
    let mut parsed = Vec::new();
    for f in filters {
        let mut parts = f.splitn(3, ':');
        let (Some(field), Some(op), Some(value)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ListError::Filter(f.clone()));
        };
        let op = match (dialect, op) {
            (Dialect::V1, "$eq") | (Dialect::V2, "eq") => true,
            (Dialect::V1, "$ne") | (Dialect::V2, "ne") => false,
            _ => return Err(ListError::Filter(f.clone())),
        };
        parsed.push((field.to_string(), op, value.to_string()));
    }
    if parsed.is_empty() {
        return Ok(records);
    }
    Ok(records
        .into_iter()
        .filter(|r| {
            parsed.iter().all(|(field, eq, value)| {
                let actual = field_text(r, field);
                (actual.as_deref() == Some(value.as_str())) == *eq
            })
        })
        .collect())
}

/// Sorts by the first sort field (`-` prefix = descending). Records arrive sorted by id already.
pub fn apply_sort(records: &mut [Value], sort: Option<&str>, id_field: &str) {
    let Some(spec) = sort.and_then(|s| s.split([',', ' ']).find(|t| !t.is_empty())) else {
        return;
    };
    let (field, desc) = match spec.strip_prefix('-') {
        Some(f) => (f, true),
        None => (spec, false),
    };
    let field = if field == "_id" || field == "id" {
        id_field
    } else {
        field
    };
    records.sort_by(|a, b| {
        let o = field_text(a, field).cmp(&field_text(b, field));
        if desc {
            o.reverse()
        } else {
            o
        }
    });
}

pub fn page(records: &[Value], q: &ListQuery) -> Vec<Value> {
    records.iter().skip(q.skip).take(q.limit).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn limit_is_capped_at_100_and_defaults_to_10() {
        assert_eq!(ListQuery::parse(&[]).unwrap().limit, 10);
        assert_eq!(
            ListQuery::parse(&params(&[("limit", "100")]))
                .unwrap()
                .limit,
            100
        );
        assert!(matches!(
            ListQuery::parse(&params(&[("limit", "101")])),
            Err(ListError::Limit(_))
        ));
        assert!(matches!(
            ListQuery::parse(&params(&[("skip", "-1")])),
            Err(ListError::Skip(_))
        ));
    }

    #[test]
    fn filters_follow_each_dialect() {
        let recs = vec![json!({"username": "a", "x": 1}), json!({"username": "b"})];
        let v1 = apply_filters(recs.clone(), &["username:$eq:b".into()], Dialect::V1).unwrap();
        assert_eq!(v1, vec![json!({"username": "b"})]);
        let v2 = apply_filters(recs.clone(), &["username:ne:b".into()], Dialect::V2).unwrap();
        assert_eq!(v2.len(), 1);
        assert!(apply_filters(recs.clone(), &["username:eq:b".into()], Dialect::V1).is_err());
        assert!(apply_filters(recs, &["username".into()], Dialect::V2).is_err());
    }

    #[test]
    fn sort_descending_and_paging() {
        let mut recs = vec![
            json!({"_id": "1"}),
            json!({"_id": "3"}),
            json!({"_id": "2"}),
        ];
        apply_sort(&mut recs, Some("-_id"), "_id");
        let q = ListQuery {
            limit: 2,
            skip: 1,
            ..Default::default()
        };
        assert_eq!(
            page(&recs, &q),
            vec![json!({"_id": "2"}), json!({"_id": "1"})]
        );
    }
}
