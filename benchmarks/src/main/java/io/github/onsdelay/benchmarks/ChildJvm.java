package io.github.onsdelay.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM the benchmark starts and runs to its end: each line of its standard output goes to a reader, and a line the
 * reader does not take is printed with the child's name; its standard error is this JVM's. A child still running a
 * minute after its output ended is killed.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** This JVM's {@code java}, for the command. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} to its end; its exit code. */
    static int run(List<String> command, String name, Predicate<String> read) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!read.test(line)) {
                    System.out.println("[" + name + "] " + line);
                }
            }
        }
        if (!child.waitFor(1, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor();
        }
        return child.exitValue();
    }

}
