package io.github.onsdelay.test;

/**
 * The RocketMQ server line a test run is meant to be on. The build names it in the system property
 * {@code ons-delay.rocketmq.version} (5.5.0 by default, 5.3.3 in the compatibility run), so a test can check that
 * the server it talks to is that one and not whichever bundle happened to come first on the classpath.
 */
public final class ServerLine {

    static final String PROPERTY = "ons-delay.rocketmq.version";

    private ServerLine() {
    }

    /** The version as RocketMQ reports it: {@code V5_5_0} for 5.5.0. */
    public static String expectedServerVersion() {
        String expected = System.getProperty(PROPERTY);
        if (expected == null || expected.isBlank()) {
            throw new IllegalStateException("System property " + PROPERTY
                + " is not set: the build's surefire configuration sets it; set it when running a test by hand");
        }
        return "V" + expected.replace('.', '_');
    }

}
