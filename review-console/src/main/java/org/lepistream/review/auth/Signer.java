package org.lepistream.review.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs short values with HMAC-SHA256 under the console's own secret, so the console can hand a browser something
 * it will recognise later (the sign-in form's CSRF token, a "this browser signed in before" cookie) without
 * storing anything per browser. The secret is kept in the console's state dir, so signatures outlive a restart.
 */
public final class Signer {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;

    private Signer(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A secret for this process only (tests; a console without a state dir). */
    public static Signer ephemeral() {
        return new Signer(randomBytes(32));
    }

    /** The secret in {@code file}, made (readable by the owner only) when it does not exist yet. */
    public static Signer persistent(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] secret = randomBytes(32);
                try {
                    Files.write(file, B64.encode(secret), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    ownerOnly(file);
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: use theirs
                }
            }
            byte[] secret = Base64.getUrlDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (secret.length < 32) {
                throw new IllegalStateException(file + " holds a secret of " + secret.length + " bytes; delete it to"
                        + " make a new one (sign-in forms and remembered browsers are then forgotten)");
            }
            return new Signer(secret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the console secret " + file, e);
        }
    }

    /** Persistent in {@code dir} when given, ephemeral otherwise. */
    public static Signer in(Optional<Path> dir, String name) {
        return dir.map(d -> persistent(d.resolve(name))).orElseGet(Signer::ephemeral);
    }

    /** The base64url HMAC of {@code value} for {@code purpose} (a token for one purpose is no good for another). */
    public String sign(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64.encodeToString(mac.doFinal((purpose + "\n" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** Constant-time check of a signature made by {@link #sign}. */
    public boolean verify(String purpose, String value, String signature) {
        return value != null && signature != null && MessageDigest.isEqual(
                sign(purpose, value).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** A random URL-safe token of 32 bytes. */
    public static String token() {
        return B64.encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the state dir's own permissions protect it
        }
    }
}
