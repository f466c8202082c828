-- The retention purge (dev.sentinel.account.spend.SpendRequestRetention) finds old
-- idempotency records by age; without this index every batch would read the whole table.
create index spend_request_age_idx on spend_request (created_at);
