package io.github.onsdelay.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The server's jars, shipped nested in ons-delay-embedded-rocketmq-server. Jars that are plain files (a
 * build's target/classes) are used where they lie; nested ones are copied once into a cache under
 * {@code java.io.tmpdir}, shared by every JVM of the same bundle.
 */
final class ServerBundle {

    static final String ROOT = "META-INF/ons-delay/rocketmq-server/";

    private static final String INDEX = ROOT + "jars.idx";

    private static volatile List<URL> jars;

    private ServerBundle() {
    }

    static List<URL> jars() {
        List<URL> result = jars;
        if (result == null) {
            synchronized (ServerBundle.class) {
                result = jars;
                if (result == null) {
                    result = List.copyOf(locate(ServerBundle.class.getClassLoader()));
                    jars = result;
                }
            }
        }
        return result;
    }

    private static List<URL> locate(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException("RocketMQ server bundle not found: " + INDEX
                    + " is missing. Add io.github.onsdelay:ons-delay-embedded-rocketmq-server to the classpath.");
            }
            byte[] index = in.readAllBytes();
            Path cache = Path.of(System.getProperty("java.io.tmpdir"), "ons-delay-rocketmq-server-" + digest(index));
            List<URL> urls = new ArrayList<>();
            for (String entry : new String(index, StandardCharsets.UTF_8).trim().split("[;:\\r\\n]+")) {
                if (!entry.isBlank()) {
                    urls.add(resolve(loader, entry.trim(), cache));
                }
            }
            return urls;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the RocketMQ server bundle", ex);
        }
    }

    private static URL resolve(ClassLoader loader, String entry, Path cache) throws IOException {
        URL url = loader.getResource(ROOT + entry);
        if (url == null) {
            throw new IllegalStateException("RocketMQ server bundle is incomplete: " + ROOT + entry + " is missing");
        }
        if ("file".equals(url.getProtocol())) {
            return url;
        }
        Path target = cache.resolve(entry);
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return toUrl(target);
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            // Another JVM may have finished the same file meanwhile: both copies are identical.
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(partial);
        }
        return toUrl(target);
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
