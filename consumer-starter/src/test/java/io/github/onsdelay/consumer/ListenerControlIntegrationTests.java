package io.github.onsdelay.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.onsdelay.embedded.EmbeddedRocketMQ;
import io.github.onsdelay.producer.DelayMessage;
import io.github.onsdelay.producer.DelayProducer;
import io.github.onsdelay.test.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** Containers controlled through the registry at run time, on the real server. */
@SpringBootTest(classes = {TestApplication.class, ListenerControlIntegrationTests.Beans.class}, properties = {
    "mqs.ons.producers.paused.topic=consumer_control",
    "mqs.ons.producers.paused.tag=paused",
    "mqs.ons.producers.stopped.topic=consumer_control",
    "mqs.ons.producers.stopped.tag=stopped",
    "mqs.ons.producers.manual.topic=consumer_control",
    "mqs.ons.producers.manual.tag=manual",
    "mqs.ons.producers.lazy.topic=consumer_control",
    "mqs.ons.producers.lazy.tag=lazy"
})
@EmbeddedRocketMQ(topics = "consumer_control")
class ListenerControlIntegrationTests {

    static final int MESSAGES = 30;

    @Autowired
    OnsListenerRegistry registry;

    @Autowired
    Handlers handlers;

    @Autowired
    @Qualifier("paused")
    DelayProducer paused;

    @Autowired
    @Qualifier("stopped")
    DelayProducer stopped;

    @Autowired
    @Qualifier("manual")
    DelayProducer manual;

    @Autowired
    @Qualifier("lazy")
    DelayProducer lazy;

    @Test
    void whilePausedNothingIsHandledAndAfterResumeEverythingIs() {
        OnsListenerContainer container = registry.getListenerContainer("paused-group");
        // Messages held for their due time (2 s) while the container pauses wait too.
        for (int i = 0; i < MESSAGES / 2; i++) {
            paused.send(DelayMessage.of("held-" + i).withKey("held-" + i).withDeliverAt(java.time.Instant.now().plusSeconds(2)));
        }
        container.pause();
        assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.PAUSED);
        for (int i = 0; i < MESSAGES / 2; i++) {
            paused.send(DelayMessage.of("sent-" + i).withKey("sent-" + i));
        }

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> handlers.paused.isEmpty());
        container.resume();

        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.paused.size() == MESSAGES);
        assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.RUNNING);
    }

    @Test
    void whileStoppedNothingIsHandledAndAfterStartEverythingIs() {
        OnsListenerContainer container = registry.getListenerContainer("stopped-group");
        container.stop();
        assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.STOPPED);
        for (int i = 0; i < MESSAGES; i++) {
            stopped.send(DelayMessage.of("s-" + i).withKey("s-" + i));
        }

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> handlers.stopped.isEmpty());
        container.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.stopped.size() == MESSAGES);
        assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.RUNNING);
    }

    @Test
    void aContainerWithAutoStartupOffWaitsForItsStart() {
        OnsListenerContainer container = registry.getListenerContainer("manual-listener");
        assertThat(container.isAutoStartup()).isFalse();
        assertThat(container.getState()).isEqualTo(OnsListenerContainer.State.STOPPED);
        manual.send(DelayMessage.of("m-1").withKey("m-1"));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> handlers.manual.isEmpty());
        container.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> handlers.manual.contains("m-1"));
    }

    @Test
    void aListenerOnALazyBeanReceivesAndItsBeanIsCreatedAtTheFirstMessage() {
        assertThat(registry.getListenerContainer("lazy-group").isRunning()).isTrue();
        assertThat(LazyHandler.created).hasValue(0);

        lazy.send(DelayMessage.of("l-1").withKey("l-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> LazyHandler.handled.contains("l-1"));
        assertThat(LazyHandler.created).hasValue(1);
    }

    static class Handlers {

        final Set<String> paused = ConcurrentHashMap.newKeySet();

        final Set<String> stopped = ConcurrentHashMap.newKeySet();

        final Set<String> manual = ConcurrentHashMap.newKeySet();

        @OnsListener(producer = "paused", group = "paused-group")
        void paused(String key) {
            paused.add(key);
        }

        @OnsListener(producer = "stopped", group = "stopped-group")
        void stopped(String key) {
            stopped.add(key);
        }

        @OnsListener(producer = "manual", group = "manual-group", id = "manual-listener", autoStartup = "false")
        void manual(String key) {
            manual.add(key);
        }

    }

    static class LazyHandler {

        static final AtomicInteger created = new AtomicInteger();

        static final Set<String> handled = ConcurrentHashMap.newKeySet();

        LazyHandler() {
            created.incrementAndGet();
        }

        @OnsListener(producer = "lazy", group = "lazy-group")
        void handle(String key) {
            handled.add(key);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

        @Bean
        @Lazy
        LazyHandler lazyHandler() {
            return new LazyHandler();
        }

    }

}
