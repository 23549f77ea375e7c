package io.leadcycle.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** The queue tables carry their own autovacuum settings (V15), so plans follow the queue's size. */
class QueueTableSettingsTest {

  @Test
  void theQueueTablesAreAnalyzedAfterAFewThousandChangesWhateverTheirSize() {
    for (String table : new String[] {"outbox", "deliveries", "delivery_attempts"}) {
      long settings = TestDatabase.count("""
          SELECT count(*) FROM pg_class c, unnest(c.reloptions) o
           WHERE c.relname = '%s' AND o IN ('autovacuum_analyze_scale_factor=0.02',
             'autovacuum_analyze_threshold=1000', 'autovacuum_vacuum_scale_factor=0.05',
             'autovacuum_vacuum_threshold=5000')""".formatted(table));
      assertThat(settings).as(table).isEqualTo(4);
    }
  }
}
