-- The retention purge (dev.sentinel.contracts.messaging.ProcessedEventsPurge) finds old
-- records by age; without this index every batch would read the whole table.
create index processed_event_age_idx on processed_event (processed_at);
