//! Reading whole collections page by page. A read either returns every record or fails: a page
//! shorter than the announced total is an error, never the end of the list.

use serde::de::DeserializeOwned;

use super::Client;
use crate::error::{Error, Result};
use crate::wire::ListEnvelope;

/// A reply body as `T` (a v1 `ListEnvelope` or a v2 array of the wire types), or
/// [`Error::Decode`] naming the endpoint. Every page the client reads goes through here.
pub fn decode_body<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        endpoint: endpoint.to_string(),
        message: e.to_string(),
    })
}

impl Client {
    fn page_query<'a>(&self, skip: u64, extra: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
        let mut q = vec![
            ("limit", self.page_size().to_string()),
            ("skip", skip.to_string()),
            // Stable order, or skip-based paging can skip or repeat records.
            ("sort", "_id".to_string()),
        ];
        q.extend(extra.iter().cloned());
        q
    }

    /// v1 collections: `{totalCount, results}`.
    pub(crate) async fn list_v1<T: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, String)],
    ) -> Result<Vec<T>> {
        let page_size = self.page_size() as usize;
        let mut out: Vec<T> = Vec::new();
        let mut total: Option<u64> = None;
        loop {
            let fetched = self
                .get(path, &self.page_query(out.len() as u64, extra))
                .await?;
            let page: ListEnvelope<T> = decode_body(path, &fetched.body)?;
            let expected = *total.get_or_insert(page.total_count);
            if page.total_count != expected {
                return Err(Error::Inconsistent(format!(
                    "{path}: totalCount changed from {expected} to {} while paging",
                    page.total_count
                )));
            }
            let n = page.results.len();
            out.extend(page.results);
            let received = out.len() as u64;
            if received == expected {
                return Ok(out);
            }
            if received > expected {
                return Err(Error::Inconsistent(format!(
                    "{path}: received {received} records but totalCount is {expected}"
                )));
            }
            if n < page_size {
                return Err(Error::IncompleteRead {
                    endpoint: path.to_string(),
                    expected,
                    received,
                });
            }
        }
    }

    /// v2 collections: plain arrays, with the total in `x-total-count` where JumpCloud sends it.
    /// Without that header, a short page is the only end marker the API offers.
    pub(crate) async fn list_v2<T: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, String)],
    ) -> Result<Vec<T>> {
        let page_size = self.page_size() as usize;
        let mut out: Vec<T> = Vec::new();
        let mut total: Option<u64> = None;
        loop {
            let fetched = self
                .get(path, &self.page_query(out.len() as u64, extra))
                .await?;
            let header_total = fetched
                .headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if let Some(t) = header_total {
                match total {
                    None => total = Some(t),
                    Some(prev) if prev != t => {
                        return Err(Error::Inconsistent(format!(
                            "{path}: x-total-count changed from {prev} to {t} while paging"
                        )))
                    }
                    _ => {}
                }
            }
            let page: Vec<T> = decode_body(path, &fetched.body)?;
            let n = page.len();
            out.extend(page);
            let received = out.len() as u64;
            match total {
                Some(t) if received == t => return Ok(out),
                Some(t) if received > t => {
                    return Err(Error::Inconsistent(format!(
                        "{path}: received {received} records but x-total-count is {t}"
                    )))
                }
                Some(t) if n < page_size => {
                    return Err(Error::IncompleteRead {
                        endpoint: path.to_string(),
                        expected: t,
                        received,
                    })
                }
                None if n < page_size => return Ok(out),
                _ => {}
            }
        }
    }
}
