-- The admin console's user search (issue 12) stays fast at a million users:
-- * the email substring filter (lower(email) like '%q%') is served by a trigram index;
-- * the default order (created_at desc, id desc) and its keyset cursor by a b-tree, so the
--   first page and every next one read ~limit rows, not the table.
-- pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): the database's
-- owner may create it; where the service's user is not the owner, a DBA runs the first line.
create extension if not exists pg_trgm;
create index app_user_email_trgm_idx on app_user using gin (lower(email) gin_trgm_ops);
create index app_user_created_idx on app_user (created_at, id);
-- Filters on the few: locked users and staff (any role besides USER), in the same order.
-- The role filter adds "roles <> 'USER'" for any other role so the planner can use the second.
create index app_user_locked_idx on app_user (created_at, id) where status = 'LOCKED';
create index app_user_staff_idx on app_user (created_at, id) where roles <> 'USER';
