package io.github.onsdelay.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server, Debian's {@code redis-server} (installed by {@code benchmarks/run-peers}), started on a free
 * port of 127.0.0.1 with a data directory of its own, append-only file on and fsync every second (what a queue
 * that should survive a restart runs with), and stopped on {@link #close()}.
 */
final class RedisServer implements AutoCloseable {

    static final String BINARY = "redis-server";

    private final Process process;

    private final int port;

    private final Path directory;

    private final String version;

    private RedisServer(Process process, int port, Path directory, String version) {
        this.process = process;
        this.port = port;
        this.directory = directory;
        this.version = version;
    }

    static RedisServer start() throws Exception {
        String version;
        try {
            Process check = new ProcessBuilder(BINARY, "--version").redirectErrorStream(true).start();
            version = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            check.waitFor();
        }
        catch (IOException ex) {
            throw new IllegalStateException(BINARY + " is not installed: benchmarks/run-peers installs Debian's "
                + "redis-server package (apt-get install redis-server)", ex);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path directory = Files.createTempDirectory("peer-redis");
        Process process = new ProcessBuilder(List.of(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--dir", directory.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
            "--daemonize", "no")).redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            }
            catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start: " + Files.readString(directory.resolve("redis.log")));
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        java.util.regex.Matcher number = java.util.regex.Pattern.compile("v=(\\S+)").matcher(version);
        return new RedisServer(process, port, directory, number.find() ? number.group(1) : version);
    }

    String address() {
        return "redis://127.0.0.1:" + port;
    }

    String version() {
        return version;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

}
