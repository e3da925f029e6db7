//! Reading whole collections: index paging (RFC 7644) or cursor paging (AWS).

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use reqwest::Method;

use crate::client::Client;
use crate::config::{Paging, CURSOR_MAX_PAGE_SIZE};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::models::{Group, ListResponse, User};
use crate::resource::Resource;
use crate::transport::Request;

/// Progress of a collection read, reported after every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "scim/")]
pub struct ListProgress {
    pub fetched: usize,
    /// The server's `totalResults`, when it sends one (cursor replies do not).
    #[ts(optional)]
    pub total: Option<u64>,
    pub pages: u32,
}

/// Receives [`ListProgress`]; must not block.
pub type ProgressFn<'a> = &'a (dyn Fn(ListProgress) + Send + Sync);

/// Collects pages and detects servers that repeat themselves.
struct Collector<T> {
    items: Vec<T>,
    seen: HashSet<String>,
    pages: u32,
    max_pages: u32,
}

impl<T: Resource> Collector<T> {
    fn new(max_pages: u32) -> Self {
        Self {
            items: Vec::new(),
            seen: HashSet::new(),
            pages: 0,
            max_pages,
        }
    }

    fn start_page(&mut self) -> Result<()> {
        self.pages += 1;
        if self.pages > self.max_pages {
            return Err(self.looped());
        }
        Ok(())
    }

    /// Adds a page; an all-duplicate non-empty page means the server ignored
    /// our position and would loop forever.
    fn push(&mut self, page: Vec<T>) -> Result<()> {
        let len = page.len();
        let mut fresh = 0;
        for item in page {
            let is_new = match item.id() {
                Some(id) => self.seen.insert(id.to_owned()),
                None => true,
            };
            if is_new {
                fresh += 1;
                self.items.push(item);
            }
        }
        if len > 0 && fresh == 0 {
            return Err(self.looped());
        }
        Ok(())
    }

    fn report(&self, progress: ProgressFn<'_>, total: Option<u64>) {
        progress(ListProgress {
            fetched: self.items.len(),
            total,
            pages: self.pages,
        });
    }

    fn looped(&self) -> Error {
        Error::PagingLoop {
            endpoint: T::ENDPOINT.to_owned(),
            pages: self.pages,
        }
    }
}

impl Client {
    /// Every resource of a collection (optionally filtered), across all pages.
    pub async fn list_all<T: Resource>(&self, filter: Option<&Filter>) -> Result<Vec<T>> {
        self.list_all_with_progress(filter, &|_| {}).await
    }

    /// [`Self::list_all`], calling `progress` after each page.
    pub async fn list_all_with_progress<T: Resource>(
        &self,
        filter: Option<&Filter>,
        progress: ProgressFn<'_>,
    ) -> Result<Vec<T>> {
        let filter = match filter {
            Some(f) => {
                f.validate()?;
                Some(f.to_string())
            }
            None => None,
        };
        match self.inner.config.paging {
            Paging::Index { page_size } => self.list_index::<T>(filter, page_size, progress).await,
            Paging::Cursor { page_size } => {
                self.list_cursor::<T>(filter, page_size, progress).await
            }
        }
    }

    pub async fn list_all_users(&self, filter: Option<&Filter>) -> Result<Vec<User>> {
        self.list_all(filter).await
    }

    pub async fn list_all_groups(&self, filter: Option<&Filter>) -> Result<Vec<Group>> {
        self.list_all(filter).await
    }

    async fn list_index<T: Resource>(
        &self,
        filter: Option<String>,
        page_size: u32,
        progress: ProgressFn<'_>,
    ) -> Result<Vec<T>> {
        let mut count = page_size.max(1);
        let server_cap = self.inner.server_max_results.load(Ordering::Relaxed);
        if server_cap > 0 {
            count = count.min(server_cap);
        }
        let mut collector = Collector::<T>::new(self.inner.config.max_pages);
        let mut start: u64 = 1; // SCIM indexes are 1-based
        loop {
            collector.start_page()?;
            let mut req = Request::new(Method::GET, T::ENDPOINT);
            req.query.push(("startIndex", start.to_string()));
            req.query.push(("count", count.to_string()));
            if let Some(f) = &filter {
                req.query.push(("filter", f.clone()));
            }
            let page: ListResponse<T> = self.send(req).await?.json()?;
            let got = page.resources.len() as u64;
            collector.push(page.resources)?;
            collector.report(progress, page.total_results);
            if got == 0 {
                break;
            }
            // Advance by what the server actually sent: it may cap pages below `count`.
            start += got;
            match page.total_results {
                Some(total) if start > total => break,
                Some(_) => {}
                // No total: a short page may be the server's own cap, so
                // shrink to it and stop only on an empty page.
                None if got < u64::from(count) => count = got as u32,
                None => {}
            }
        }
        Ok(collector.items)
    }

    async fn list_cursor<T: Resource>(
        &self,
        filter: Option<String>,
        page_size: u32,
        progress: ProgressFn<'_>,
    ) -> Result<Vec<T>> {
        let count = page_size.clamp(1, CURSOR_MAX_PAGE_SIZE);
        let mut collector = Collector::<T>::new(self.inner.config.max_pages);
        let mut seen_cursors = HashSet::new();
        // An empty cursor on the first request asks AWS for the cursor reply
        // format (with nextCursor); without it the reply is unpaged.
        let mut cursor = String::new();
        loop {
            collector.start_page()?;
            let mut req = Request::new(Method::GET, T::ENDPOINT);
            req.query.push(("count", count.to_string()));
            req.query.push(("cursor", cursor.clone()));
            if let Some(f) = &filter {
                req.query.push(("filter", f.clone()));
            }
            let page: ListResponse<T> = self.send(req).await?.json()?;
            collector.push(page.resources)?;
            collector.report(progress, page.total_results);
            match page.next_cursor {
                Some(next) if !next.is_empty() => {
                    if !seen_cursors.insert(next.clone()) {
                        return Err(collector.looped());
                    }
                    cursor = next;
                }
                _ => break,
            }
        }
        Ok(collector.items)
    }
}
