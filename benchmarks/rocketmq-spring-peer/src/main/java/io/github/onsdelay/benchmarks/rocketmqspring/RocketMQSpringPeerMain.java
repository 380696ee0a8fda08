package io.github.onsdelay.benchmarks.rocketmqspring;

import java.util.Arrays;

import io.github.onsdelay.benchmarks.peers.PeerResult;
import io.github.onsdelay.benchmarks.peers.PeerScenarios;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the peer scenarios on rocketmq-spring's v5 starter in this JVM (Spring Boot 2.7) and prints the figures as
 * {@link PeerResult} lines on standard output, for the peer benchmark that started it. Arguments:
 * {@code --endpoints=host:port} of a running proxy whose topics {@link RocketMQSpringPeer#DELAY_TOPIC} (DELAY) and
 * {@link RocketMQSpringPeer#RETRY_TOPIC} (NORMAL) exist, and {@code --quick}.
 */
public final class RocketMQSpringPeerMain {

    private RocketMQSpringPeerMain() {
    }

    public static void main(String[] args) throws Exception {
        String endpoints = Arrays.stream(args).filter(arg -> arg.startsWith("--endpoints=")).findFirst()
            .map(arg -> arg.substring("--endpoints=".length()))
            .orElseThrow(() -> new IllegalArgumentException("--endpoints=host:port of the proxy is required"));
        boolean quick = Arrays.asList(args).contains("--quick");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RocketMQSpringPeer.class)
            .web(WebApplicationType.NONE)
            .properties("rocketmq.producer.endpoints=" + endpoints,
                "rocketmq.producer.ssl-enabled=false",
                "rocketmq.push-consumer.endpoints=" + endpoints,
                "logging.level.root=WARN",
                "spring.main.banner-mode=off")
            .run();
        PeerResult result;
        try {
            result = new PeerScenarios(quick, line -> System.err.println("[rocketmq-spring peer] " + line))
                .run(context.getBean(RocketMQSpringPeer.class));
        }
        finally {
            context.close();
        }
        result.toLines().forEach(System.out::println);
        System.exit(0);
    }

}
