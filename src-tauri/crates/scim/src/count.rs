//! Collection totals from the smallest possible list request, for connection checks that must
//! stay cheap on targets with 100,000 users.

use reqwest::Method;

use crate::client::Client;
use crate::config::Paging;
use crate::error::Result;
use crate::models::ListResponse;
use crate::resource::Resource;
use crate::transport::Request;

impl Client {
    /// `totalResults` of a one-item page, or `None` when the server does not report it.
    /// Uses the target's own paging parameters (AWS rejects `startIndex`).
    pub async fn count<T: Resource>(&self) -> Result<Option<u64>> {
        let mut req = Request::new(Method::GET, T::ENDPOINT);
        match self.config().paging {
            Paging::Index { .. } => req.query.push(("startIndex", "1".to_owned())),
            Paging::Cursor { .. } => req.query.push(("cursor", String::new())),
        }
        req.query.push(("count", "1".to_owned()));
        let page: ListResponse<T> = self.send(req).await?.json()?;
        Ok(page.total_results)
    }
}
