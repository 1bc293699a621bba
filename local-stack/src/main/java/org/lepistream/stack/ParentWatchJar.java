package org.lepistream.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A jar holding only {@link ParentWatch}, for a child JVM whose class path is not ours (the registry): one class
 * beside Apicurio's jars cannot clash with them. Named after its content, so it is written once per build and the
 * registry's class-data archive keeps matching its class path.
 */
final class ParentWatchJar {

    private static final String ENTRY = ParentWatch.class.getName().replace('.', '/') + ".class";

    private ParentWatchJar() {
    }

    /** The jar in {@code preferred} (when writable, e.g. the distribution's folder), else in {@code fallback}. */
    static Path ensure(Path preferred, Path fallback) {
        byte[] bytes = classBytes();
        String name = "lepistream-parent-watch-" + shortHash(bytes) + ".jar";
        Path dir = Files.isWritable(preferred) ? preferred : fallback;
        Path jar = dir.resolve(name);
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path tmp = dir.resolve(name + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(ENTRY));
                out.write(bytes);
                out.closeEntry();
            }
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException e) {
            throw new StackException("cannot write " + jar + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // Only a temporary file.
            }
        }
    }

    private static byte[] classBytes() {
        try (InputStream in = ParentWatch.class.getClassLoader().getResourceAsStream(ENTRY)) {
            if (in == null) {
                throw new StackException("cannot find " + ENTRY + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StackException("cannot read " + ENTRY + ": " + e.getMessage(), e);
        }
    }

    private static String shortHash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
