-- Score recalculation claims the oldest marks nobody holds. With one index on marked_at, the claim walked
-- every mark a running batch still held (claimed, not yet cleared) before it reached a free one, and joined
-- the claimed ids back to the whole table: both grow with the backlog, ~10 ms a claim with every-second runs
-- under intake (docs/performance.md, "Issue 23, point 1"). Two partial indexes instead: free marks by age
-- (what a claim takes, what intake's mark inserts into: still one index besides the key) and held marks by
-- the end of their lease (a claim also takes marks whose run died and whose lease ran out).
DROP INDEX contacts_to_rescore_by_time;
CREATE INDEX contacts_to_rescore_free ON contacts_to_rescore (marked_at) WHERE claimed_until IS NULL;
CREATE INDEX contacts_to_rescore_held ON contacts_to_rescore (claimed_until) WHERE claimed_until IS NOT NULL;
