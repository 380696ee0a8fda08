package io.github.onsdelay.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.onsdelay.benchmarks.peers.PeerResult;
import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;

/**
 * The rocketmq-spring peer, which needs Spring Boot 2.7: its own executable jar
 * ({@code benchmarks/rocketmq-spring-peer}) run in a child JVM against this JVM's embedded server; the child runs
 * the same scenarios and prints its figures, which are read back from its standard output.
 */
final class RocketMQSpringChild {

    static final Path JAR = Path.of("benchmarks", "rocketmq-spring-peer", "target", "rocketmq-spring-peer.jar");

    private RocketMQSpringChild() {
    }

    static PeerResult run(EmbeddedRocketMQBroker broker, boolean quick) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build it with benchmarks/run-peers (or ./mvnw -pl "
                + "benchmarks/rocketmq-spring-peer -am package -DskipTests), from the project's root directory");
        }
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "-jar", JAR.toString(),
            "--endpoints=" + broker.endpoints()));
        if (quick) {
            command.add("--quick");
        }
        PeerResult result = new PeerResult();
        int exit = ChildJvm.run(command, "rocketmq-spring peer", result::read);
        if (exit != 0 || result.get("name", null) == null) {
            throw new IllegalStateException("the rocketmq-spring peer's JVM ended with exit code " + exit
                + " and no figures (its output is above)");
        }
        return result;
    }

}
