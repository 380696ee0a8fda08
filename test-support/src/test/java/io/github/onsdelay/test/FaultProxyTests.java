package io.github.onsdelay.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import io.github.onsdelay.test.FaultProxy.Direction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of the proxy, seen by a client of a tiny echo server behind it. */
class FaultProxyTests {

    /** How long a black-holed echo is waited for: long enough that a passing echo (sub-millisecond) would be seen. */
    private static final int SILENCE_MS = 700;

    /** How long a passing echo may take on this loaded 2-core machine before a test calls it missing. */
    private static final int ANSWER_MS = 10_000;

    private EchoServer echo;

    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = FaultProxy.start(echo.endpoint());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWaysUnchangedAndCountsThem() throws IOException {
        byte[] sent = new byte[1024 * 1024];
        new Random(7).nextBytes(sent);
        try (Socket client = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    client.getOutputStream().write(sent);
                    client.shutdownOutput();
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            writer.start();

            // The echo server closes once it has read the end of stream: the half-close went through too.
            byte[] received = client.getInputStream().readAllBytes();

            assertThat(received).isEqualTo(sent);
        }
        assertThat(proxy.endpoint()).startsWith("127.0.0.1:");
        assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.bytesForwarded(Direction.CLIENT_TO_SERVER)).isEqualTo(sent.length);
        assertThat(proxy.bytesForwarded(Direction.SERVER_TO_CLIENT)).isEqualTo(sent.length);
        assertThat(proxy.bytesForwarded(Direction.BOTH)).isEqualTo(2L * sent.length);
        assertThat(proxy.bytesDropped(Direction.BOTH)).isZero();
    }

    @Test
    void aBlackHoleTowardsTheServerDropsWhatTheClientSendsUntilPass() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            proxy.blackHole(Direction.CLIENT_TO_SERVER);
            send(client, "lost");

            assertNoAnswer(client);
            assertThat(proxy.bytesDropped(Direction.CLIENT_TO_SERVER)).isEqualTo(4);
            assertThat(echo.received.get()).isEqualTo("before".length());

            proxy.pass();

            // The dropped bytes are gone, as on a silent network: the next answer is the next message only.
            assertThat(roundTrip(client, "after")).isEqualTo("after");
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aPartitionHoldsWhatTheClientSendsAndDeliversAllOfItInOrderAfterPass() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "before")).isEqualTo("before");

            proxy.partition(Direction.BOTH);
            send(client, "held-");
            send(client, "in-order");

            assertNoAnswer(client);
            assertThat(echo.received.get()).isEqualTo("before".length());

            proxy.pass();

            // Nothing lost: what was sent during the partition arrives, then the echo of it, in order.
            client.setSoTimeout(ANSWER_MS);
            String answer = new String(client.getInputStream().readNBytes("held-in-order".length()),
                StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("held-in-order");
            assertThat(proxy.bytesDropped(Direction.BOTH)).isZero();
        }
    }

    @Test
    void aBlackHoleTowardsTheClientDropsTheAnswersWhileTheServerStillReceives() throws IOException {
        try (Socket client = connect()) {
            proxy.blackHole(Direction.SERVER_TO_CLIENT);
            send(client, "unanswered");

            await().atMost(Duration.ofMillis(ANSWER_MS)).until(() -> echo.received.get() == "unanswered".length());
            assertNoAnswer(client);
            await().atMost(Duration.ofMillis(ANSWER_MS))
                .until(() -> proxy.bytesDropped(Direction.SERVER_TO_CLIENT) == "unanswered".length());

            proxy.pass();

            assertThat(roundTrip(client, "answered")).isEqualTo("answered");
        }
    }

    @Test
    void aBlackHoleBothWaysKeepsConnectionsOpenAndAcceptsNewOnesThatGoNowhere() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "warm")).isEqualTo("warm");
            proxy.blackHole(Direction.BOTH);

            try (Socket fresh = connect()) {
                send(fresh, "nowhere");
                assertNoAnswer(fresh);
                send(open, "nowhere");
                assertNoAnswer(open);
                assertThat(proxy.openConnections()).isEqualTo(2);
                assertThat(proxy.connectionsAccepted()).isEqualTo(2);
            }
        }
    }

    @Test
    void resetEndsOpenConnectionsWithAnRstAndResetsNewOnesUntilPass() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");

            proxy.reset();

            open.setSoTimeout(ANSWER_MS);
            assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("Connection reset");
            try (Socket refused = connect()) {
                refused.setSoTimeout(ANSWER_MS);
                assertThatThrownBy(() -> refused.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
            }
            assertThat(proxy.openConnections()).isZero();
        }
        proxy.pass();
        try (Socket again = connect()) {
            assertThat(roundTrip(again, "again")).isEqualTo("again");
        }
        assertThat(proxy.connectionsAccepted()).isEqualTo(3);
    }

    @Test
    void aDelayAddsItsLatencyToEachDirectionOfOpenConnections() throws IOException {
        Duration latency = Duration.ofMillis(300);
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "warm")).isEqualTo("warm");

            proxy.delay(Direction.CLIENT_TO_SERVER, latency);
            long began = System.nanoTime();
            assertThat(roundTrip(client, "one-way")).isEqualTo("one-way");
            Duration oneWay = Duration.ofNanos(System.nanoTime() - began);

            proxy.delay(Direction.BOTH, latency);
            began = System.nanoTime();
            assertThat(roundTrip(client, "both-ways")).isEqualTo("both-ways");
            Duration bothWays = Duration.ofNanos(System.nanoTime() - began);

            // Lower bounds only: a loaded machine may add to them, never take away.
            assertThat(oneWay).isGreaterThanOrEqualTo(latency);
            assertThat(bothWays).isGreaterThanOrEqualTo(latency.multipliedBy(2));
        }
    }

    @Test
    void aTargetThatRefusesIsSeenAsAReset() throws IOException {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        try (FaultProxy toNowhere = FaultProxy.start("127.0.0.1:" + closedPort);
                Socket client = new Socket(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(toNowhere.endpoint().substring("127.0.0.1:".length())))) {
            client.setSoTimeout(ANSWER_MS);
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void aTargetThatIsNotHostAndPortIsNamed() {
        assertThatThrownBy(() -> FaultProxy.start("localhost")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("FaultProxy target 'localhost' is not host:port");
    }

    private Socket connect() throws IOException {
        int port = Integer.parseInt(proxy.endpoint().substring("127.0.0.1:".length()));
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static void send(Socket client, String text) throws IOException {
        client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
    }

    /** Sends {@code text} and reads as many bytes back. */
    private static String roundTrip(Socket client, String text) throws IOException {
        send(client, text);
        client.setSoTimeout(ANSWER_MS);
        byte[] answer = client.getInputStream().readNBytes(text.length());
        return new String(answer, StandardCharsets.US_ASCII);
    }

    private static void assertNoAnswer(Socket client) throws IOException {
        client.setSoTimeout(SILENCE_MS);
        assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    /** Echoes each connection's bytes back, counting them, and closes a connection after its end of stream. */
    private static final class EchoServer implements AutoCloseable {

        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        final AtomicLong received = new AtomicLong();

        EchoServer() throws IOException {
            Thread acceptor = new Thread(this::accept, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String endpoint() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread echoer = new Thread(() -> echo(socket), "echo");
                    echoer.setDaemon(true);
                    echoer.start();
                }
                catch (IOException ex) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    received.addAndGet(read);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // The proxy reset the connection: that is what the reset tests make it do.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }

    }

}
