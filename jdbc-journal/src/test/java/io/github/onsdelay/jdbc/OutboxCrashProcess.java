package io.github.onsdelay.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application {@link OutboxCrashIntegrationTests} kills: a separate JVM that sends inside a transaction and,
 * once the transaction has committed and before the journal's own synchronization sends, marks that it committed
 * and waits to be killed. Arguments: endpoints, JDBC URL, marker directory, business key.
 */
public final class OutboxCrashProcess {

    private OutboxCrashProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path markers = Path.of(args[2]);
        String key = args[3];
        ConfigurableApplicationContext context = OutboxCrashIntegrationTests.application(args[0], args[1]);
        DelayProducer pushes = context.getBean("crash-push", DelayProducer.class);
        context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
            TransactionSynchronizationManager.registerSynchronization(new CommittedThenStuck(markers));
            pushes.send(DelayMessage.of(Map.of("k", key)).withKey(key));
        });
        throw new IllegalStateException("The journal sent before this process could be killed");
    }

    /** Runs first after the commit: marks it, then holds the thread until SIGKILL. */
    private record CommittedThenStuck(Path markers) implements TransactionSynchronization, Ordered {

        @Override
        public void afterCommit() {
            try {
                Files.createFile(markers.resolve("committed"));
                Thread.currentThread().join();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

    }

}
