package org.lepistream.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;

/**
 * A class-data-sharing archive of the registry's classes, kept beside the distribution: it cuts the registry's start from
 * ~6 s to ~2.5 s. The first run without one records it (that run starts and stops a few seconds slower).
 *
 * <p>Written under a unique temporary name and renamed only after a clean exit, so concurrent first runs or a killed
 * run never leave a half-written archive; a stale or foreign archive is ignored by the JVM (sharing is "auto").
 * {@code -Dlepistream.registry.cds=false} turns it off.
 */
final class ClassDataArchive {

    private final Path archive;
    private final Path recording;
    private final boolean use;

    private ClassDataArchive(Path archive, Path recording, boolean use) {
        this.archive = archive;
        this.recording = recording;
        this.use = use;
    }

    static ClassDataArchive forDistribution(Path home) {
        if (!Boolean.parseBoolean(System.getProperty("lepistream.registry.cds", "true"))) {
            return new ClassDataArchive(null, null, false);
        }
        // An archive only fits the exact JVM build that wrote it.
        String jvm = System.getProperty("java.vm.version", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        // "watched": the class path has carried ParentWatchJar since; archives of the older class path would not match.
        Path archive = home.resolve("lepistream-registry-watched-" + jvm + ".jsa");
        if (Files.isRegularFile(archive)) {
            return new ClassDataArchive(archive, null, true);
        }
        if (!Files.isWritable(home)) {
            return new ClassDataArchive(null, null, false);
        }
        return new ClassDataArchive(archive, home.resolve(archive.getFileName() + "." + UUID.randomUUID() + ".tmp"),
                true);
    }

    List<String> jvmOptions() {
        if (!use) {
            return List.of();
        }
        return recording == null
                ? List.of("-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:ArchiveClassesAtExit=" + recording);
    }

    void afterExit(boolean graceful) {
        if (recording == null) {
            return;
        }
        try {
            if (graceful && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException e) {
            // Only an optimisation: the next start records again.
        }
    }
}
