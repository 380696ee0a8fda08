package io.github.onsdelay.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A process that keeps one core busy from {@link #start()} until {@link #close()}: a shell loop, outside this JVM
 * as the noisy neighbour of a shared host is. It checks on every turn that this JVM still runs, so a benchmark that
 * is killed does not leave it spinning.
 */
final class CoreSpinner implements AutoCloseable {

    private final Process process;

    private CoreSpinner(Process process) {
        this.process = process;
    }

    static CoreSpinner start() throws IOException {
        long benchmark = ProcessHandle.current().pid();
        // kill is a builtin of sh: each turn is one system call, no process started.
        Process process = new ProcessBuilder("sh", "-c", "while kill -0 " + benchmark + " 2>/dev/null; do :; done")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BenchLog.log("A process spins on one core (pid " + process.pid() + ")");
        return new CoreSpinner(process);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

}
