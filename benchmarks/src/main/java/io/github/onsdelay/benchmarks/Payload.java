package io.github.onsdelay.benchmarks;

/**
 * The benchmark's message: about 1 KB of JSON.
 *
 * @param id unique id
 * @param data filler
 */
public record Payload(String id, String data) {

    static final String FILLER = "x".repeat(1_000);

    static Payload of(String id) {
        return new Payload(id, FILLER);
    }

}
