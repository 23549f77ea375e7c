-- The notification queue tables start empty and grow (and churn) in bursts: every delivery is inserted,
-- updated when claimed and again when its outcome is recorded. With PostgreSQL's defaults (analyze after
-- 10 % + 50 rows changed, vacuum after 20 % + 50) a table that went from empty to 30,000 rows in a minute
-- keeps the plan made for an empty table until the next autovacuum round, and the claim
-- (ORDER BY next_attempt_at, FOR UPDATE SKIP LOCKED) is planned for the wrong size. Analyze after a fixed
-- 1,000 rows changed plus 2 % (vacuum: 5,000 + 5 %), so plans follow the queue's size at every round
-- (autovacuum_naptime) whatever its size, and the dead rows of claimed deliveries are reclaimed early.
ALTER TABLE outbox SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                        autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 5000);
ALTER TABLE deliveries SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                            autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 5000);
ALTER TABLE delivery_attempts SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                                   autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 5000,
                                   autovacuum_vacuum_insert_scale_factor = 0.05,
                                   autovacuum_vacuum_insert_threshold = 5000);
