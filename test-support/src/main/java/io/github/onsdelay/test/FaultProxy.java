package io.github.onsdelay.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A TCP proxy on 127.0.0.1 that tests put between a client and a server to make the network fail on command.
 * <ol>
 * <li>{@link #start} listens on a free loopback port; each connection accepted is forwarded, byte for byte, to the
 * target over a connection of its own (so TLS and HTTP/2 pass through unchanged);</li>
 * <li>each direction of each connection has a reader, which reads what arrives and, unless that direction is
 * black-holed, queues it with the time it is due ({@link #delay}), and a writer, which writes it on when due, in
 * order;</li>
 * <li>faults are switched at run time and apply at once to new and open connections: {@link #blackHole},
 * {@link #delay}, {@link #reset}; {@link #pass} ends them all;</li>
 * <li>an end of stream is passed on as a half-close, a reset as a reset (SO_LINGER 0);</li>
 * <li>{@link #connectionsAccepted}, {@link #bytesForwarded} and {@link #bytesDropped} say what went through.</li>
 * </ol>
 * What a user-space proxy cannot do: while black-holed, a new connection is still accepted (this machine's kernel
 * completes the handshake), only its bytes go nowhere. Threads are daemons, two per direction of a connection,
 * which suits tests, not load.
 */
public final class FaultProxy implements AutoCloseable {

    /** How often a held direction looks whether it may flow again. */
    private static final long HELD_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Which way bytes travel through the proxy. */
    public enum Direction {

        /** From the client that connected to the proxy, to the target. */
        CLIENT_TO_SERVER,

        /** From the target back to the client. */
        SERVER_TO_CLIENT,

        /** Both ways. */
        BOTH;

        boolean includes(Direction one) {
            return this == BOTH || this == one;
        }

    }

    /** Largest chunk read at once; the queue of a direction holds at most this many times {@link #QUEUED_CHUNKS}. */
    private static final int CHUNK = 16 * 1024;

    /** Bounds what a delayed direction holds, so that a sender meets TCP's back-pressure rather than filling memory. */
    private static final int QUEUED_CHUNKS = 256;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket server;

    private final InetSocketAddress target;

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

    private final AtomicLong accepted = new AtomicLong();

    private final AtomicInteger connectionNumbers = new AtomicInteger();

    private final Flow clientToServer = new Flow();

    private final Flow serverToClient = new Flow();

    private volatile boolean refusing;

    private volatile boolean closed;

    private FaultProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /**
     * Starts a proxy on a free port of 127.0.0.1 that forwards every connection to {@code targetHostPort}.
     *
     * @param targetHostPort where to forward, as {@code host:port}
     */
    public static FaultProxy start(String targetHostPort) {
        int colon = targetHostPort.lastIndexOf(':');
        if (colon <= 0 || colon == targetHostPort.length() - 1) {
            throw new IllegalArgumentException("FaultProxy target '" + targetHostPort + "' is not host:port");
        }
        InetSocketAddress target = new InetSocketAddress(targetHostPort.substring(0, colon),
            Integer.parseInt(targetHostPort.substring(colon + 1)));
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            FaultProxy proxy = new FaultProxy(server, target);
            Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy-" + server.getLocalPort() + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("FaultProxy cannot listen on 127.0.0.1", ex);
        }
    }

    /** Where clients connect: {@code 127.0.0.1:port}, the form {@code mqs.ons.endpoints} takes. */
    public String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Ends every fault: bytes flow both ways without added latency, connections are accepted again. */
    public void pass() {
        refusing = false;
        clientToServer.blackHoled = false;
        clientToServer.delayNanos = 0;
        clientToServer.held = false;
        serverToClient.blackHoled = false;
        serverToClient.delayNanos = 0;
        serverToClient.held = false;
    }

    /**
     * From now on, bytes travelling in {@code direction} are held, not delivered, as in a network partition that
     * TCP outlives: the proxy stops reading, so the sender's buffers fill and its writes wait; after
     * {@link #pass} everything held is delivered in order, nothing lost. Connections stay open (an end-to-end
     * keepalive may still end them, as it would across a real partition).
     */
    public void partition(Direction direction) {
        flows(direction, flow -> flow.held = true);
    }

    /**
     * From now on, bytes travelling in {@code direction} are read and dropped without a word: connections stay
     * open, senders' writes succeed, nothing arrives. The dropped bytes are lost, as on a silent network (they are
     * not delivered after {@link #pass}), so a connection whose bytes were dropped mid-stream may be unusable to the
     * protocol above (HTTP/2 then fails it); bytes read before are still delivered.
     */
    public void blackHole(Direction direction) {
        flows(direction, flow -> flow.blackHoled = true);
    }

    /**
     * From now on, bytes travelling in {@code direction} are delivered {@code latency} after they arrived at the
     * proxy (in order); zero ends the delay. Bytes already queued keep the latency they were read with.
     */
    public void delay(Direction direction, Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("FaultProxy latency " + latency + " is negative; give zero or more");
        }
        flows(direction, flow -> flow.delayNanos = latency.toNanos());
    }

    /**
     * Resets every open connection (both of its sides, with an RST: SO_LINGER 0), and from now on resets each new
     * connection as soon as it is accepted, as a network that refuses; until {@link #pass}.
     */
    public void reset() {
        // Set before resetting the open ones: a connection accepted meanwhile sees the flag once registered.
        refusing = true;
        connections.forEach(Connection::reset);
    }

    /** How many connections the proxy has accepted since it started, reset ones included. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** How many connections are open now (accepted and not yet closed or reset). */
    public int openConnections() {
        return connections.size();
    }

    /** Bytes written on to their destination in {@code direction} (both directions summed for {@link Direction#BOTH}). */
    public long bytesForwarded(Direction direction) {
        return (direction.includes(Direction.CLIENT_TO_SERVER) ? clientToServer.forwarded.get() : 0)
            + (direction.includes(Direction.SERVER_TO_CLIENT) ? serverToClient.forwarded.get() : 0);
    }

    /** Bytes read and dropped by a black hole in {@code direction}. */
    public long bytesDropped(Direction direction) {
        return (direction.includes(Direction.CLIENT_TO_SERVER) ? clientToServer.dropped.get() : 0)
            + (direction.includes(Direction.SERVER_TO_CLIENT) ? serverToClient.dropped.get() : 0);
    }

    /** Stops listening and closes every connection (gracefully, not with a reset). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        }
        catch (IOException ex) {
            // Closing a listening socket has nothing to report that a test could act on.
        }
        connections.forEach(Connection::close);
    }

    @Override
    public String toString() {
        return "FaultProxy[" + endpoint() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    private void flows(Direction direction, Consumer<Flow> change) {
        if (direction.includes(Direction.CLIENT_TO_SERVER)) {
            change.accept(clientToServer);
        }
        if (direction.includes(Direction.SERVER_TO_CLIENT)) {
            change.accept(serverToClient);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException ex) {
                return; // closed
            }
            accepted.incrementAndGet();
            Connection connection = new Connection(client, connectionNumbers.incrementAndGet());
            // Registered before the flag is read, so that reset() either sees it or it sees reset()'s flag.
            connections.add(connection);
            if (refusing || closed) {
                connection.reset();
                continue;
            }
            daemon(connection::open, connection.name + "-connect").start();
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** What the proxy does to one direction: shared by every connection, read by each chunk as it arrives. */
    private static final class Flow {

        volatile boolean blackHoled;

        volatile boolean held;

        volatile long delayNanos;

        final AtomicLong forwarded = new AtomicLong();

        final AtomicLong dropped = new AtomicLong();

    }

    /** Bytes read from one side, and when they may be written to the other. */
    private record Chunk(byte[] bytes, long dueNanos) {

        /** Marks the end of the stream: the reader's side half-closed. */
        static final Chunk END = new Chunk(new byte[0], 0);

    }

    /** One accepted connection and its own connection to the target. */
    private final class Connection {

        final String name;

        final Socket client;

        volatile Socket upstream;

        final AtomicBoolean done = new AtomicBoolean();

        /** Directions whose end of stream has been passed on; at two, the connection is over. */
        final AtomicInteger ended = new AtomicInteger();

        final Set<Thread> writers = ConcurrentHashMap.newKeySet();

        Connection(Socket client, int number) {
            this.client = client;
            this.name = "fault-proxy-" + server.getLocalPort() + "-" + number;
        }

        void open() {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                client.setTcpNoDelay(true);
            }
            catch (IOException ex) {
                // The target refuses or cannot be reached: the client sees a reset, as it would without the proxy.
                closeQuietly(socket);
                reset();
                return;
            }
            upstream = socket;
            if (done.get()) {
                // Reset or closed while connecting, before the upstream socket was there to be ended with it.
                resetQuietly(socket);
                return;
            }
            pump(client, socket, clientToServer, "c2s");
            pump(socket, client, serverToClient, "s2c");
        }

        private void pump(Socket from, Socket to, Flow flow, String way) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            Thread writer = daemon(() -> write(queue, to, flow), name + "-" + way + "-write");
            writers.add(writer);
            writer.start();
            daemon(() -> read(from, queue, flow), name + "-" + way + "-read").start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue, Flow flow) {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    while (flow.held && !done.get()) {
                        LockSupport.parkNanos(HELD_POLL_NANOS);
                    }
                    int read = in.read(buffer);
                    if (read < 0) {
                        // A silent network does not carry a FIN either.
                        if (!flow.blackHoled) {
                            enqueue(queue, Chunk.END);
                        }
                        return;
                    }
                    if (flow.blackHoled) {
                        flow.dropped.addAndGet(read);
                        continue;
                    }
                    if (!enqueue(queue, new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + flow.delayNanos))) {
                        return;
                    }
                }
            }
            catch (SocketException ex) {
                // A reset by the peer is passed on as a reset; a socket this proxy closed needs nothing more.
                if (!done.get()) {
                    reset();
                }
            }
            catch (IOException ex) {
                close();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits while the writer is behind (TCP back-pressure on the sender); false once the connection is over. */
        private boolean enqueue(BlockingQueue<Chunk> queue, Chunk chunk) throws InterruptedException {
            while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                if (done.get()) {
                    return false;
                }
            }
            return true;
        }

        private void write(BlockingQueue<Chunk> queue, Socket to, Flow flow) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        to.shutdownOutput();
                        if (ended.incrementAndGet() == 2) {
                            close();
                        }
                        return;
                    }
                    while (flow.held && !done.get()) {
                        LockSupport.parkNanos(HELD_POLL_NANOS);
                    }
                    for (long wait = chunk.dueNanos - System.nanoTime(); wait > 0;
                            wait = chunk.dueNanos - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                        if (Thread.interrupted()) {
                            return;
                        }
                    }
                    out.write(chunk.bytes);
                    out.flush();
                    flow.forwarded.addAndGet(chunk.bytes.length);
                }
            }
            catch (IOException ex) {
                if (!done.get()) {
                    reset();
                }
            }
            catch (InterruptedException ex) {
                // Closed: the connection is over.
            }
        }

        /** Ends both sides with an RST. */
        void reset() {
            end(true);
        }

        /** Ends both sides with a normal close. */
        void close() {
            end(false);
        }

        private void end(boolean withReset) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            connections.remove(this);
            for (Socket socket : new Socket[] {client, upstream}) {
                if (socket == null) {
                    continue;
                }
                if (withReset) {
                    resetQuietly(socket);
                }
                else {
                    closeQuietly(socket);
                }
            }
            writers.forEach(Thread::interrupt);
        }

    }

    /** Closes with SO_LINGER 0, so that the peer gets an RST instead of a FIN. */
    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        }
        catch (SocketException ex) {
            // Already closed: nothing left to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // Closing is the last thing done with it; a failure changes nothing for the test.
        }
    }

}
