//! Reading whole collections page by page. A read either returns every record or fails: a page
//! shorter than the announced total is an error, never the end of the list.

use serde::de::DeserializeOwned;

use super::{Client, Fetched};
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
        self.list_pages(path, extra, "totalCount", |fetched, total| {
            let page: ListEnvelope<T> = decode_body(path, &fetched.body)?;
            note_total(path, "totalCount", total, page.total_count)?;
            Ok(page.results)
        })
        .await
    }

    /// v2 collections: plain arrays, with the total in `x-total-count` where JumpCloud sends it.
    /// Without that header, a short page is the only end marker the API offers.
    pub(crate) async fn list_v2<T: DeserializeOwned>(
        &self,
        path: &str,
        extra: &[(&str, String)],
    ) -> Result<Vec<T>> {
        self.list_pages(path, extra, "x-total-count", |fetched, total| {
            let header_total = fetched
                .headers
                .get("x-total-count")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if let Some(t) = header_total {
                note_total(path, "x-total-count", total, t)?;
            }
            decode_body(path, &fetched.body)
        })
        .await
    }

    /// The paging loop both API versions share. `read` turns one reply into its records and
    /// notes the total it announces (where v1 and v2 differ); `total_name` names that total in
    /// errors.
    async fn list_pages<T>(
        &self,
        path: &str,
        extra: &[(&str, String)],
        total_name: &str,
        read: impl Fn(&Fetched, &mut Option<u64>) -> Result<Vec<T>>,
    ) -> Result<Vec<T>> {
        let page_size = self.page_size() as usize;
        let mut out: Vec<T> = Vec::new();
        let mut total: Option<u64> = None;
        loop {
            let fetched = self
                .get(path, &self.page_query(out.len() as u64, extra))
                .await?;
            let page = read(&fetched, &mut total)?;
            let n = page.len();
            out.extend(page);
            if let Some(end) = page_end(path, total_name, total, out.len() as u64, n < page_size) {
                return end.map(|()| out);
            }
        }
    }
}

/// Keeps the first total a listing announced (`name` says where: `totalCount` or
/// `x-total-count`); a later page announcing another one is an error, since the records moved
/// under the paging.
fn note_total(path: &str, name: &str, total: &mut Option<u64>, announced: u64) -> Result<()> {
    match *total {
        None => *total = Some(announced),
        Some(prev) if prev != announced => {
            return Err(Error::Inconsistent(format!(
                "{path}: {name} changed from {prev} to {announced} while paging"
            )))
        }
        _ => {}
    }
    Ok(())
}

/// Whether the listing ends after a page: `Some(Ok)` when all records are in, `Some(Err)` when
/// they overshoot the total or a short page falls short of it, `None` to fetch the next page.
/// With no total known (v2 without `x-total-count`), a short page is the end.
fn page_end(
    path: &str,
    name: &str,
    total: Option<u64>,
    received: u64,
    short_page: bool,
) -> Option<Result<()>> {
    match total {
        Some(t) if received == t => Some(Ok(())),
        Some(t) if received > t => Some(Err(Error::Inconsistent(format!(
            "{path}: received {received} records but {name} is {t}"
        )))),
        Some(t) if short_page => Some(Err(Error::IncompleteRead {
            endpoint: path.to_string(),
            expected: t,
            received,
        })),
        None if short_page => Some(Ok(())),
        _ => None,
    }
}
