package io.github.onsdelay.core;

import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

/** Why a call failed at TLS: a refused certificate's reason (which names the trust bundle) before the TLS error's. */
final class TlsFailures {

    private TlsFailures() {
    }

    /** The reason, or null when the failure was not at TLS. */
    static @Nullable String reason(@Nullable Throwable failure) {
        String tls = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return cause.getMessage();
            }
            if (cause instanceof SSLException && tls == null) {
                tls = cause.getMessage();
            }
        }
        return tls;
    }

}
