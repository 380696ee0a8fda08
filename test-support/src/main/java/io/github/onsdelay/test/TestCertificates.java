package io.github.onsdelay.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, as PEM files: a CA of the test's own, and a server certificate it issues for
 * 127.0.0.1 and localhost, with its key (PKCS#8). Keys are EC P-256: made in a millisecond, where RSA takes tens.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path caCertificate;

    private final Path serverCertificate;

    private final Path serverKey;

    private TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
    }

    /** A new CA named {@code caName}, and a server certificate it issued, written under {@code directory}. */
    public static TestCertificates issue(Path directory, String caName) {
        try {
            Files.createDirectories(directory);
            KeyPair caKeys = keyPair();
            X500Name ca = new X500Name("CN=" + caName);
            X509v3CertificateBuilder caBuilder = builder(ca, ca, caKeys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCertificate = sign(caBuilder, caKeys);

            KeyPair serverKeys = keyPair();
            X509v3CertificateBuilder serverBuilder = builder(ca, new X500Name("CN=ons-delay test proxy"), serverKeys)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost") }));
            X509Certificate serverCertificate = sign(serverBuilder, caKeys);

            Path caFile = write(directory.resolve(caName + "-ca.pem"), pem("CERTIFICATE", caCertificate.getEncoded()));
            Path serverFile = write(directory.resolve(caName + "-server.pem"),
                pem("CERTIFICATE", serverCertificate.getEncoded()) + pem("CERTIFICATE", caCertificate.getEncoded()));
            Path keyFile = write(directory.resolve(caName + "-server-key.pem"),
                pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
            return new TestCertificates(caFile, serverFile, keyFile);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (GeneralSecurityException | OperatorCreationException ex) {
            throw new IllegalStateException("Cannot make test certificates", ex);
        }
    }

    /** The CA's certificate: what a client that trusts this CA is given. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The server's certificate chain (its own, then the CA's). */
    public Path serverCertificate() {
        return serverCertificate;
    }

    /** The server's private key, unencrypted PKCS#8. */
    public Path serverKey() {
        return serverKey;
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
            subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

}
