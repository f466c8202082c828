-- The retention purge (DeliveryRetention) finds finished deliveries by age: sent and
-- suppressed ones by arrival here, dead letters by delivery_dead_idx (dead_at).
create index delivery_finished_idx on delivery (received_at) where status in ('SENT', 'SUPPRESSED');
