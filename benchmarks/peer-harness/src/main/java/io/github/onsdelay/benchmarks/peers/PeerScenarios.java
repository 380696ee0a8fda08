package io.github.onsdelay.benchmarks.peers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The same work for every peer, in one order, each figure into a {@link PeerResult}:
 * <ol>
 * <li>warm-up: a few hundred delayed bodies, due half a second later, all awaited;</li>
 * <li>lateness: {@code messages} bodies sent over {@code spread} on 4 threads, each due 2-10 s after its send
 * (the same seeded delays for every peer); handler start minus due time, p50 / p99 / max, early runs,
 * duplicates;</li>
 * <li>retry pipeline, after a warm-up of a few hundred such bodies: {@code messages} bodies sent at once, each failing on its first delivery and to be handled
 * again 1 s later: time from the first send until all succeeded, the failure-to-success gap, lost and
 * duplicates;</li>
 * <li>flash sale: {@code orders} bodies placed evenly over 10 s on {@value #FLASH_THREADS} threads (synchronous
 * sends, as every peer sends), each due {@code flashDelay} after its own send (an order's 30 minutes, scaled):
 * p50 / p99 / max lateness, early runs, handled, lost, duplicates and how long the sends took;</li>
 * <li>midnight: {@code orders} bodies all due at one instant, sent as fast as {@value #FLASH_THREADS} synchronous
 * senders go, the instant {@code midnightAhead} after the first send (at least a minute after the last one here):
 * lateness against the instant, p50 / p99 / max (the last handler), early runs, handled, lost, duplicates, and how far
 * ahead the last send was;</li>
 * <li>send throughput: synchronous delayed sends (due in an hour, never handled during the run) on 1 and on 4
 * threads for a window each, after a warm-up window; then the peer's own asynchronous or batch send from one
 * thread, {@value #ASYNC_CHUNK} bodies a call, at most {@value #ASYNC_IN_FLIGHT} calls unanswered.</li>
 * </ol>
 * A scenario the peer cannot do is reported with the peer's reason instead of figures; the flash sale and midnight,
 * the two long ones, run once per library ({@code heavy}), and a second setting of the same library reports them as
 * not run.
 */
public final class PeerScenarios {

    private static final int SENDER_THREADS = 4;

    /** Threads placing the flash sale's orders: enough synchronous senders for 10,000 a second. */
    public static final int FLASH_THREADS = 16;

    /** Bodies per call of the asynchronous or batch send. */
    public static final int ASYNC_CHUNK = 100;

    /** Calls of the asynchronous or batch send unanswered at once: 500 bodies, as the main benchmark's 512. */
    public static final int ASYNC_IN_FLIGHT = 5;

    /** How long the flash sale's orders are placed for. */
    private static final Duration SALE = Duration.ofSeconds(10);

    private static final long MIN_DELAY_MS = 2_000;

    private static final long MAX_DELAY_MS = 10_000;

    /** How long the retry pipeline may take before what has not succeeded counts as lost: bounds the run. */
    private static final Duration RETRY_WAIT = Duration.ofSeconds(180);

    private final int messages;

    private final Duration spread;

    private final Duration window;

    private final int orders;

    private final Duration flashDelay;

    private final Duration midnightAhead;

    private final Consumer<String> log;

    private final AtomicReference<Peer.Delivery> current = new AtomicReference<>(body -> { });

    public PeerScenarios(boolean quick, Consumer<String> log) {
        this.messages = quick ? 1_000 : 10_000;
        this.spread = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
        this.window = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
        this.orders = quick ? 10_000 : 100_000;
        this.flashDelay = quick ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
        // Room for the slowest peer's sends (Kafka's synchronous ones, ~35 s for 100,000) and a minute after them.
        this.midnightAhead = quick ? Duration.ofSeconds(30) : Duration.ofSeconds(100);
        this.log = log;
    }

    public int messages() {
        return messages;
    }

    /** The flash sale's orders. */
    public int orders() {
        return orders;
    }

    /** How long after its send each flash-sale order is due. */
    public Duration flashDelay() {
        return flashDelay;
    }

    /** How long after the first send the midnight bodies are due. */
    public Duration midnightAhead() {
        return midnightAhead;
    }

    /** Starts {@code peer}, runs every scenario on it, and closes it. */
    public PeerResult run(Peer peer) throws Exception {
        return run(peer, true);
    }

    /**
     * Starts {@code peer}, runs its scenarios, and closes it; the flash sale and midnight only when {@code heavy}
     * (the library's other settings were measured on them already).
     */
    public PeerResult run(Peer peer, boolean heavy) throws Exception {
        PeerResult result = new PeerResult().put("name", peer.name());
        long began = System.nanoTime();
        try (peer) {
            peer.start(body -> current.get().handle(body));
            result.put("settings", peer.settings());
            if (peer.cannotDelay() == null) {
                warmUp(peer);
                lateness(peer, result);
            }
            else {
                result.put("lateness.cannot", peer.cannotDelay());
            }
            if (peer.cannotRetry() == null) {
                retry(peer, result);
            }
            else {
                result.put("retry.cannot", peer.cannotRetry());
            }
            if (peer.cannotDelay() == null) {
                if (heavy) {
                    flashSale(peer, result);
                    midnight(peer, result);
                }
                else {
                    String skipped = "not run: once per library, at its shortest setting";
                    result.put("flash.skipped", skipped).put("midnight.skipped", skipped);
                }
                throughput(peer, result);
            }
            else {
                result.put("flash.cannot", peer.cannotDelay()).put("midnight.cannot", peer.cannotDelay());
            }
        }
        result.put("wall.seconds", String.valueOf(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began)));
        return result;
    }

    private void warmUp(Peer peer) throws Exception {
        int count = Math.min(500, messages);
        Recorder recorder = new Recorder('L', count);
        current.set(recorder);
        long due = System.currentTimeMillis() + 500;
        for (int i = 0; i < count; i++) {
            peer.sendDelayed(Recorder.delayedBody("w" + i, due), due);
        }
        if (!recorder.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(peer.name() + ": " + recorder.completed() + " of " + count
                + " warm-up bodies handled in 120 s");
        }
        log.accept(peer.name() + ": warmed up");
    }

    private void lateness(Peer peer, PeerResult result) throws Exception {
        Recorder recorder = new Recorder('L', messages);
        current.set(recorder);
        long[] delays = new long[messages];
        Random random = new Random(7);
        for (int i = 0; i < messages; i++) {
            delays[i] = MIN_DELAY_MS + random.nextInt((int) (MAX_DELAY_MS - MIN_DELAY_MS));
        }
        long stepNanos = spread.toNanos() / messages;
        long start = System.nanoTime();
        inParallel(thread -> {
            for (int i = thread; i < messages; i += SENDER_THREADS) {
                long wait = start + i * stepNanos - System.nanoTime();
                if (wait > 1_000_000) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long due = System.currentTimeMillis() + delays[i];
                peer.sendDelayed(Recorder.delayedBody("l" + i, due), due);
            }
        });
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = recorder.await(MAX_DELAY_MS + 120_000, TimeUnit.MILLISECONDS);
        long[] sorted = recorder.sorted();
        lateness(result, "lateness", sorted, recorder, sendSeconds)
            .put("lateness.earliest", sorted.length > 0 && sorted[0] < 0 ? millis(sorted[0]) : "-");
        log.accept(String.format(Locale.ROOT, "%s: lateness %s handled (sends took %.1f s of %d planned), p50 %s p99 %s max %s ms, "
            + "early %s, duplicates %d", peer.name(), all ? "all" : sorted.length + " of " + messages, sendSeconds,
            spread.toSeconds(), result.get("lateness.p50", "?"), result.get("lateness.p99", "?"),
            result.get("lateness.max", "?"), result.get("lateness.early", "?"), recorder.duplicates()));
    }

    private void retry(Peer peer, PeerResult result) throws Exception {
        // The retry path (a failure, its next attempt) is code the lateness scenario never ran: warmed up first, as
        // the delayed path was, so that the figure is the pipeline's and not the JIT's (C2 took a sixth of the
        // machine during a cold run).
        int warmUp = Math.min(500, messages);
        Recorder warming = new Recorder('R', warmUp);
        current.set(warming);
        inParallel(thread -> {
            for (int i = thread; i < warmUp; i += SENDER_THREADS) {
                peer.sendRetried(Recorder.retriedBody("w" + i));
            }
        });
        if (!warming.await(RETRY_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(peer.name() + ": " + warming.completed() + " of " + warmUp
                + " warm-up retries succeeded in " + RETRY_WAIT.toSeconds() + " s");
        }
        Recorder recorder = new Recorder('R', messages);
        current.set(recorder);
        long start = Recorder.nowMicros();
        inParallel(thread -> {
            for (int i = thread; i < messages; i += SENDER_THREADS) {
                peer.sendRetried(Recorder.retriedBody("r" + i));
            }
        });
        long sent = Recorder.nowMicros();
        boolean all = recorder.await(RETRY_WAIT.toSeconds(), TimeUnit.SECONDS);
        long[] gaps = recorder.sorted();
        long[] failures = recorder.firstRuns();
        double seconds = all ? (recorder.lastDoneMicros() - start) / 1e6 : Double.NaN;
        result.put("retry.seconds", all ? String.format(Locale.ROOT, "%.1f", seconds)
                : String.format(Locale.ROOT, "not all in %d s: %,d succeeded", RETRY_WAIT.toSeconds(), gaps.length))
            .put("retry.gap.p50", millis(Stats.percentile(gaps, 50)))
            .put("retry.gap.p99", millis(Stats.percentile(gaps, 99)))
            .put("retry.lost", all ? "0" : String.format(Locale.ROOT, "(%,d not yet)", messages - gaps.length))
            .put("retry.duplicates", String.valueOf(recorder.duplicates()));
        if (peer.retryNote() != null) {
            result.put("retry.note", peer.retryNote());
        }
        // Where the time went: the sends, then the first (failing) runs, then the successes a delay later.
        log.accept(String.format(Locale.ROOT, "%s: retry pipeline: sends done after %.2f s, first runs from %.2f to %.2f s "
            + "(p50 %.2f s)", peer.name(), (sent - start) / 1e6, failures.length == 0 ? Double.NaN : (failures[0] - start) / 1e6,
            failures.length == 0 ? Double.NaN : (failures[failures.length - 1] - start) / 1e6,
            failures.length == 0 ? Double.NaN : (failures[failures.length / 2] - start) / 1e6));
        log.accept(String.format(Locale.ROOT, "%s: retry pipeline %s, failure-to-success p50 %s p99 %s ms, lost %d, "
            + "duplicates %d", peer.name(), all ? "all succeeded in " + result.get("retry.seconds", "?") + " s" : gaps.length
            + " of " + messages + " succeeded", result.get("retry.gap.p50", "?"), result.get("retry.gap.p99", "?"),
            messages - gaps.length, recorder.duplicates()));
    }

    private void flashSale(Peer peer, PeerResult result) throws Exception {
        Recorder recorder = new Recorder('L', orders);
        current.set(recorder);
        long stepNanos = SALE.toNanos() / orders;
        long start = System.nanoTime();
        inParallel(FLASH_THREADS, thread -> {
            for (int i = thread; i < orders; i += FLASH_THREADS) {
                long wait = start + i * stepNanos - System.nanoTime();
                if (wait > 1_000_000) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long due = System.currentTimeMillis() + flashDelay.toMillis();
                peer.sendDelayed(Recorder.delayedBody("f" + i, due), due);
            }
        });
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = recorder.await(flashDelay.toMillis() + 120_000, TimeUnit.MILLISECONDS);
        long[] sorted = recorder.sorted();
        lateness(result, "flash", sorted, recorder, sendSeconds)
            .put("flash.lost", String.valueOf(orders - sorted.length));
        log.accept(String.format(Locale.ROOT, "%s: flash sale %s handled (sends took %.1f s of %d planned), p50 %s p99 %s "
            + "max %s ms, early %s, duplicates %d", peer.name(), all ? "all" : sorted.length + " of " + orders, sendSeconds,
            SALE.toSeconds(), result.get("flash.p50", "?"), result.get("flash.p99", "?"), result.get("flash.max", "?"),
            result.get("flash.early", "?"), recorder.duplicates()));
    }

    private void midnight(Peer peer, PeerResult result) throws Exception {
        Recorder recorder = new Recorder('L', orders);
        current.set(recorder);
        long start = System.nanoTime();
        long instant = System.currentTimeMillis() + midnightAhead.toMillis();
        inParallel(FLASH_THREADS, thread -> {
            for (int i = thread; i < orders; i += FLASH_THREADS) {
                peer.sendDelayed(Recorder.delayedBody("m" + i, instant), instant);
            }
        });
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        double aheadSeconds = (instant - System.currentTimeMillis()) / 1e3;
        boolean all = recorder.await(instant - System.currentTimeMillis() + 120_000, TimeUnit.MILLISECONDS);
        long[] sorted = recorder.sorted();
        lateness(result, "midnight", sorted, recorder, sendSeconds)
            .put("midnight.lost", String.valueOf(orders - sorted.length))
            .put("midnight.ahead.seconds", String.format(Locale.ROOT, "%.0f", aheadSeconds));
        log.accept(String.format(Locale.ROOT, "%s: midnight %s handled (sends took %.1f s, the last %.0f s ahead), p50 %s "
            + "p99 %s last %s ms after the instant, early %s, duplicates %d", peer.name(), all ? "all"
            : sorted.length + " of " + orders, sendSeconds, aheadSeconds, result.get("midnight.p50", "?"),
            result.get("midnight.p99", "?"), result.get("midnight.max", "?"), result.get("midnight.early", "?"),
            recorder.duplicates()));
    }

    private void throughput(Peer peer, PeerResult result) throws Exception {
        current.set(body -> { });
        AtomicLong ids = new AtomicLong();
        Throughput.Operation send = () -> {
            String id = "p" + ids.incrementAndGet();
            long due = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1);
            peer.sendDelayed(Recorder.parkedBody(id), due);
        };
        Throughput.measure(send, SENDER_THREADS, window);
        for (int threads : new int[] {1, SENDER_THREADS}) {
            double rate = Throughput.measure(send, threads, window).rate();
            result.put("send." + threads, String.format(Locale.ROOT, "%.0f", rate));
            log.accept(String.format(Locale.ROOT, "%s: sync delayed sends on %d thread(s): %.0f/s", peer.name(), threads, rate));
        }
        if (peer.asyncApi() == null) {
            result.put("send.async", "none").put("send.async.api", "no asynchronous or batch send");
            return;
        }
        Throughput.AsyncOperation chunk = done -> {
            List<String> bodies = new ArrayList<>(ASYNC_CHUNK);
            for (int i = 0; i < ASYNC_CHUNK; i++) {
                bodies.add(Recorder.parkedBody("a" + ids.incrementAndGet()));
            }
            try {
                peer.sendDelayedAsync(bodies, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1))
                    .whenComplete((ignored, ex) -> done.accept(ex == null ? ASYNC_CHUNK : 0));
            }
            catch (Exception ex) {
                done.accept(0);
            }
        };
        Throughput.measureAsync(chunk, ASYNC_IN_FLIGHT, window);
        double rate = Throughput.measureAsync(chunk, ASYNC_IN_FLIGHT, window);
        result.put("send.async", String.format(Locale.ROOT, "%.0f", rate)).put("send.async.api", peer.asyncApi());
        log.accept(String.format(Locale.ROOT, "%s: %s from 1 thread: %.0f/s", peer.name(), peer.asyncApi(), rate));
    }

    /** A delayed scenario's figures under {@code scenario.}: p50 / p99 / max, early, handled, duplicates, send time. */
    private static PeerResult lateness(PeerResult result, String scenario, long[] sorted, Recorder recorder,
            double sendSeconds) {
        return result.put(scenario + ".p50", millis(Stats.percentile(sorted, 50)))
            .put(scenario + ".p99", millis(Stats.percentile(sorted, 99)))
            .put(scenario + ".max", millis(Stats.percentile(sorted, 100)))
            .put(scenario + ".early", String.valueOf(java.util.Arrays.stream(sorted).filter(v -> v < 0).count()))
            .put(scenario + ".handled", String.valueOf(sorted.length))
            .put(scenario + ".duplicates", String.valueOf(recorder.duplicates()))
            .put(scenario + ".send.seconds", String.format(Locale.ROOT, "%.1f", sendSeconds));
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    @FunctionalInterface
    private interface Worker {

        void run(int thread) throws Exception;

    }

    private static void inParallel(Worker worker) throws Exception {
        inParallel(SENDER_THREADS, worker);
    }

    private static void inParallel(int count, Worker worker) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < count; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    worker.run(index);
                }
                catch (Throwable ex) {
                    failures.add(ex);
                }
            }, "peer-sender-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("A send failed", failures.get(0));
        }
    }

}
