package io.github.onsdelay.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** A library's version as its jar records it, for the table's notes. */
public final class Versions {

    private Versions() {
    }

    /**
     * The version in the jar's Maven descriptor ({@code pom.properties}), else the manifest's
     * Implementation-Version of {@code type}'s package, else "?".
     */
    public static String of(String groupId, String artifactId, Class<?> type) {
        String descriptor = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getClassLoader().getResourceAsStream(descriptor)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        }
        catch (IOException ex) {
            // fall back to the manifest
        }
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "?" : version;
    }

}
