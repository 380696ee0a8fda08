package io.github.onsdelay.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.onsdelay.benchmarks.peers.Peer;
import io.github.onsdelay.benchmarks.peers.Versions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * spring-kafka on an embedded Kafka (KRaft, one broker, from spring-kafka-test), as Kafka users build the two
 * things Kafka itself does not have:
 * <ul>
 * <li>a delay: a delay topic (4 partitions) whose consumer pauses a partition at its first record not yet due
 * and resumes it at that record's due time (in a header), polling no longer than until the next resume;</li>
 * <li>a retry 1 s later: {@code @RetryableTopic(attempts = "2", backOff = @BackOff(delay = 1000))} on a
 * {@code @KafkaListener} (main topic, one retry topic, a DLT; 4 partitions, concurrency 4), where spring-kafka
 * pauses the retry topic's partitions until each record's back-off has passed.</li>
 * </ul>
 * Sends are {@code KafkaTemplate.send(...).get()} with the producer's defaults (acks=all, linger.ms=5).
 */
final class KafkaPeer implements Peer {

    static final String DELAY_TOPIC = "peer_kafka_delay";

    static final String RETRY_TOPIC = "peer_kafka_retry";

    private static final String DUE = "due";

    private static final int PARTITIONS = 4;

    static volatile Delivery delivery = body -> {
    };

    /** The consumers' {@code fetch.max.wait.ms}, or null for Kafka's default (500 ms). */
    private final @Nullable Integer fetchMaxWaitMs;

    private EmbeddedKafkaKraftBroker kafka;

    private AnnotationConfigApplicationContext context;

    private KafkaTemplate<String, String> template;

    private KafkaConsumer<String, String> delayConsumer;

    private Thread delayThread;

    private volatile boolean running;

    KafkaPeer(@Nullable Integer fetchMaxWaitMs) {
        this.fetchMaxWaitMs = fetchMaxWaitMs;
    }

    @Override
    public String name() {
        return fetchMaxWaitMs == null ? "spring-kafka" : "spring-kafka, fetch.max.wait.ms=" + fetchMaxWaitMs;
    }

    @Override
    public String settings() {
        return "spring-kafka " + Versions.of("org.springframework.kafka", "spring-kafka", KafkaTemplate.class) + ", Kafka " + AppInfoParser.getVersion()
            + " (KRaft, one broker, embedded by spring-kafka-test); delay: a delay topic of " + PARTITIONS
            + " partitions with a pausing consumer; retry: @RetryableTopic attempts 2, back-off 1 s, concurrency "
            + PARTITIONS + "; producer defaults (acks=all, linger.ms=5); consumers' fetch.max.wait.ms "
            + (fetchMaxWaitMs == null ? "500 (default)" : fetchMaxWaitMs);
    }

    @Override
    public void start(Delivery delivery) throws Exception {
        KafkaPeer.delivery = delivery;
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        for (String logger : List.of("kafka", "org.apache.kafka", "org.springframework.kafka", "state.change.logger")) {
            logging.setLogLevel(logger, LogLevel.WARN);
        }
        // A record that fails on purpose is logged by the retry topic's error handling, 10,000 times: not for the run.
        logging.setLogLevel("org.springframework.kafka.listener", LogLevel.OFF);
        logging.setLogLevel("org.springframework.kafka.retrytopic", LogLevel.OFF);
        kafka = new EmbeddedKafkaKraftBroker(1, PARTITIONS, DELAY_TOPIC);
        kafka.afterPropertiesSet();
        BenchLog.log("Embedded Kafka at " + kafka.getBrokersAsString());
        context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("peer", Map.of(
            "peer.kafka.servers", kafka.getBrokersAsString(),
            "peer.kafka.fetch-max-wait-ms", fetchMaxWaitMs == null ? "500" : fetchMaxWaitMs.toString())));
        context.register(KafkaPeerConfiguration.class);
        context.refresh();
        @SuppressWarnings("unchecked")
        KafkaTemplate<String, String> bean = context.getBean(KafkaTemplate.class);
        template = bean;
        delayConsumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
            ConsumerConfig.GROUP_ID_CONFIG, "peer-kafka-delay", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs == null ? 500 : fetchMaxWaitMs,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        delayConsumer.subscribe(List.of(DELAY_TOPIC));
        running = true;
        delayThread = new Thread(this::consumeDelayTopic, "peer-kafka-delay");
        delayThread.start();
    }

    /**
     * The pausing consumer: a partition stops at its first record not yet due (records behind it wait too: a
     * partition is a queue) and resumes when it is due.
     */
    private void consumeDelayTopic() {
        Map<TopicPartition, Long> resumeAt = new HashMap<>();
        try {
            while (running) {
                long now = System.currentTimeMillis();
                long next = resumeAt.values().stream().mapToLong(Long::longValue).min().orElse(now + 100);
                ConsumerRecords<String, String> records = delayConsumer.poll(Duration.ofMillis(Math.max(0, Math.min(100, next - now))));
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, String> record : records.records(partition)) {
                        Header header = record.headers().lastHeader(DUE);
                        long due = Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
                        if (due > System.currentTimeMillis()) {
                            delayConsumer.seek(partition, record.offset());
                            delayConsumer.pause(List.of(partition));
                            resumeAt.put(partition, due);
                            break;
                        }
                        try {
                            delivery.handle(record.value());
                        }
                        catch (Exception ex) {
                            // Delayed bodies do not fail.
                        }
                    }
                }
                long after = System.currentTimeMillis();
                resumeAt.entrySet().removeIf(entry -> {
                    if (entry.getValue() <= after) {
                        delayConsumer.resume(List.of(entry.getKey()));
                        return true;
                    }
                    return false;
                });
            }
        }
        catch (WakeupException ex) {
            // closing
        }
        finally {
            delayConsumer.close();
        }
    }

    @Override
    public void sendDelayed(String body, long dueEpochMillis) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(DELAY_TOPIC, body);
        record.headers().add(DUE, Long.toString(dueEpochMillis).getBytes(StandardCharsets.US_ASCII));
        template.send(record).get();
    }

    @Override
    public String asyncApi() {
        return "KafkaTemplate.send (not awaited)";
    }

    @Override
    public java.util.concurrent.CompletableFuture<?> sendDelayedAsync(java.util.List<String> bodies, long dueEpochMillis) {
        byte[] due = Long.toString(dueEpochMillis).getBytes(StandardCharsets.US_ASCII);
        return java.util.concurrent.CompletableFuture.allOf(bodies.stream().map(body -> {
            ProducerRecord<String, String> record = new ProducerRecord<>(DELAY_TOPIC, body);
            record.headers().add(DUE, due);
            return template.send(record);
        }).toArray(java.util.concurrent.CompletableFuture[]::new));
    }

    @Override
    public void sendRetried(String body) throws Exception {
        template.send(RETRY_TOPIC, body).get();
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (delayConsumer != null) {
            delayConsumer.wakeup();
            delayThread.join(10_000);
        }
        if (context != null) {
            context.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    static class KafkaPeerConfiguration {

        @Bean
        ProducerFactory<String, String> producerFactory(Environment environment) {
            return new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.getRequiredProperty("peer.kafka.servers"),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        }

        @Bean
        KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> producerFactory) {
            return new KafkaTemplate<>(producerFactory);
        }

        @Bean
        ConsumerFactory<String, String> consumerFactory(Environment environment) {
            return new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.getRequiredProperty("peer.kafka.servers"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, environment.getRequiredProperty("peer.kafka.fetch-max-wait-ms"),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
                ConsumerFactory<String, String> consumerFactory) {
            ConcurrentKafkaListenerContainerFactory<String, String> factory = new ConcurrentKafkaListenerContainerFactory<>();
            factory.setConsumerFactory(consumerFactory);
            factory.setConcurrency(PARTITIONS);
            return factory;
        }

        @Bean
        KafkaAdmin kafkaAdmin(Environment environment) {
            return new KafkaAdmin(Map.of("bootstrap.servers", environment.getRequiredProperty("peer.kafka.servers")));
        }

        @Bean
        ThreadPoolTaskScheduler taskScheduler() {
            return new ThreadPoolTaskScheduler();
        }

        @Bean
        RetriedListener retriedListener() {
            return new RetriedListener();
        }

    }

    static class RetriedListener {

        @RetryableTopic(attempts = "2", backOff = @BackOff(delay = 1000), numPartitions = "4", replicationFactor = "1")
        @KafkaListener(topics = RETRY_TOPIC, groupId = "peer-kafka-retry")
        void handle(String body) throws Exception {
            delivery.handle(body);
        }

    }

}
