package io.github.onsdelay.consumer;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.onsdelay.embedded.EmbeddedRocketMQBroker;
import io.github.onsdelay.embedded.TopicMessageType;

/**
 * The embedded server in a JVM of its own, so that a test can kill it as a crash does ({@code kill -9}) and start
 * it again on the same store and port. Its {@link #main} starts the server, prints {@code READY}, and stops with
 * its parent (when its standard input closes).
 */
final class BrokerProcess implements AutoCloseable {

    private static final String READY = "READY";

    private final Process process;

    private BrokerProcess(Process process) {
        this.process = process;
    }

    /** Starts a server on {@code store} and {@code port}, with {@code topics} as DELAY topics; waits until it is ready. */
    static BrokerProcess start(Path store, int port, String... topics) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String[] command = new String[6 + topics.length];
        command[0] = java;
        // C1 only, as the test JVMs (see the build's surefire configuration): a fresh server's compilations by C2
        // cost more CPU than they save in a test's minute.
        command[1] = "-XX:TieredStopAtLevel=1";
        command[2] = "-cp";
        command[3] = System.getProperty("java.class.path");
        command[4] = BrokerProcess.class.getName();
        command[5] = store + "," + port;
        System.arraycopy(topics, 0, command, 6, topics.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(READY)) {
                        ready.complete(true);
                    }
                }
            }
            catch (IOException ex) {
                // The process ended: its output with it.
            }
            ready.complete(false);
        }, "broker-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            // A cold JVM starting a whole server while the other test fork starts its own took over 60 s once.
            if (!ready.get(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The broker process ended before it was ready");
            }
        }
        catch (Exception ex) {
            process.destroyForcibly();
            throw new IllegalStateException("The broker process did not become ready: " + ex, ex);
        }
        return new BrokerProcess(process);
    }

    /** Kills it as a crash does: SIGKILL, nothing flushed, no shutdown hook. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) throws Exception {
        String[] storeAndPort = args[0].split(",");
        EmbeddedRocketMQBroker.Builder builder = EmbeddedRocketMQBroker.builder().storeDir(Path.of(storeAndPort[0]))
            .grpcPort(Integer.parseInt(storeAndPort[1])).timerPrecision(Duration.ofMillis(100));
        for (int i = 1; i < args.length; i++) {
            builder.topic(args[i], TopicMessageType.DELAY);
        }
        EmbeddedRocketMQBroker broker = builder.build().start();
        System.out.println(READY + " " + broker.endpoints());
        System.out.flush();
        // Ends with the test's JVM: its end closes this process's standard input.
        while (System.in.read() >= 0) {
            // nothing to read
        }
        Runtime.getRuntime().halt(0);
    }

}
