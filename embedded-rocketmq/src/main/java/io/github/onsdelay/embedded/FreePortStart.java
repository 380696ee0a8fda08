package io.github.onsdelay.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts a server on a loopback port chosen here, and chooses again when the port was taken before the server
 * could bind it: a port found free by binding and releasing it can be taken by anyone before the server binds it
 * (a client's own ephemeral port, another test JVM's server). At most {@link #ATTEMPTS} ports are tried; a failure
 * that is not a bind failure ends the tries at once.
 */
final class FreePortStart {

    private static final Log LOG = LogFactory.getLog(FreePortStart.class);

    static final int ATTEMPTS = 5;

    private FreePortStart() {
    }

    /** What {@code startOn} returns for the first port the server could bind; {@code server} names it in the log. */
    static <T> T start(String server, IntFunction<T> startOn) {
        for (int attempt = 1;; attempt++) {
            int port = freeLoopbackPort();
            try {
                return startOn.apply(port);
            }
            catch (EmbeddedRocketMQException ex) {
                if (attempt == ATTEMPTS || !isBindFailure(ex)) {
                    throw ex;
                }
                LOG.info("Port " + port + " was taken before " + server + " could bind it; choosing another");
            }
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free port on 127.0.0.1", ex);
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

}
