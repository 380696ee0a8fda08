package io.github.onsdelay.jdbc;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.test.TestApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The journal's contract on PostgreSQL, started from zonky's binaries. */
@SpringBootTest(classes = {TestApplication.class, JournalListeners.class}, properties = "journal.prefix=pg")
@EmbeddedRocketMQ(topics = {"pg_orders", "pg_pushes"}, maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class PostgresJournalIntegrationTests extends JournalContractTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.Database database = TestDatabases.postgres();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @Override
    String prefix() {
        return "pg";
    }

}
