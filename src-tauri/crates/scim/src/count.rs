//! Collection totals from the smallest possible list request, for connection
//! checks that must stay cheap on targets with 100,000 users.

use reqwest::Method;

use crate::client::Client;
use crate::error::Result;
use crate::models::{ListResponse, User};
use crate::resource::Resource;
use crate::transport::Request;

/// What a connection check learned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "scim/")]
pub struct ConnectionCheck {
    /// `totalResults` of `/Users`, when the server reports it.
    #[ts(optional)]
    pub users_total: Option<u64>,
    pub status: u16,
}

impl Client {
    /// One cheap authenticated read (`GET /Users?count=1`) that proves the
    /// base URL, the token and the tenant.
    pub async fn check_connection(&self) -> Result<ConnectionCheck> {
        let (status, users_total) = self.count_with_status::<User>().await?;
        Ok(ConnectionCheck {
            users_total,
            status,
        })
    }

    /// `totalResults` of a one-item page, or `None` when the server does not
    /// report it. Sends neither `startIndex` nor `cursor`: every dialect
    /// accepts that, and AWS only includes `totalResults` in the unpaged
    /// reply (a `cursor` request gets `nextCursor` instead).
    pub async fn count<T: Resource>(&self) -> Result<Option<u64>> {
        Ok(self.count_with_status::<T>().await?.1)
    }

    async fn count_with_status<T: Resource>(&self) -> Result<(u16, Option<u64>)> {
        let mut req = Request::new(Method::GET, T::ENDPOINT);
        req.query.push(("count", "1".to_owned()));
        let resp = self.send(req).await?;
        let status = resp.status.as_u16();
        // Resources stay untyped: a count must not fail on one odd resource.
        let page: ListResponse<serde_json::Value> = resp.json()?;
        Ok((status, page.total_results))
    }
}
