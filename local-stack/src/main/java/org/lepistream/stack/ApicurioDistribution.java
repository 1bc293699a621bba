package org.lepistream.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** Where the unpacked Apicurio Registry distribution lives, and its runnable jar. */
public final class ApicurioDistribution {

    /** System property naming the unpacked distribution's folder. */
    public static final String HOME_PROPERTY = "lepistream.apicurio.home";
    /** Environment variable naming the unpacked distribution's folder, used when the property is not set. */
    public static final String HOME_ENV = "LEPISTREAM_APICURIO_HOME";
    /** The runnable jar's name inside the distribution. */
    public static final String RUNNER_JAR = "apicurio-registry-app-2.6.13.Final-runner.jar";

    private static final Path BUILD_OUTPUT = Paths.get("local-stack", "target", "apicurio");

    private final Path home;

    private ApicurioDistribution(Path home) {
        this.home = home;
    }

    /**
     * Finds the distribution: the system property, else the environment variable, else {@code local-stack/target/apicurio}
     * in the working directory or one of its parents.
     *
     * @throws StackException naming where it looked and how to build it
     */
    public static ApicurioDistribution locate() {
        return locate(System.getProperty(HOME_PROPERTY), System.getenv(HOME_ENV), Paths.get("").toAbsolutePath());
    }

    static ApicurioDistribution locate(String property, String env, Path workingDir) {
        if (property != null && !property.isBlank()) {
            return checked(Paths.get(property), "system property " + HOME_PROPERTY);
        }
        if (env != null && !env.isBlank()) {
            return checked(Paths.get(env), "environment variable " + HOME_ENV);
        }
        Optional<Path> found = walkUp(workingDir);
        if (found.isPresent()) {
            return new ApicurioDistribution(found.get());
        }
        throw new StackException("Apicurio Registry distribution not found: set -D" + HOME_PROPERTY + " or "
                + HOME_ENV + ", or build it with `./mvnw -B -q -pl local-stack -am -DskipTests install` in the "
                + "lepistream repository (it unpacks into local-stack/target/apicurio); looked upwards from "
                + workingDir);
    }

    private static Optional<Path> walkUp(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(BUILD_OUTPUT);
            if (Files.isRegularFile(candidate.resolve(RUNNER_JAR))) {
                return Optional.of(candidate);
            }
            // Run from inside the module itself (surefire's working dir is the module).
            Path inModule = dir.resolve("target").resolve("apicurio");
            if (dir.getFileName() != null && dir.getFileName().toString().equals("local-stack")
                    && Files.isRegularFile(inModule.resolve(RUNNER_JAR))) {
                return Optional.of(inModule);
            }
        }
        return Optional.empty();
    }

    private static ApicurioDistribution checked(Path home, String source) {
        if (!Files.isRegularFile(home.resolve(RUNNER_JAR))) {
            throw new StackException(source + " points to " + home + ", which has no " + RUNNER_JAR
                    + "; build it with `./mvnw -B -q -pl local-stack -am -DskipTests install` (it unpacks into "
                    + "local-stack/target/apicurio)");
        }
        return new ApicurioDistribution(home.toAbsolutePath());
    }

    /** The distribution's folder. */
    public Path home() {
        return home;
    }

    /** The jar to run with {@code java -jar}. */
    public Path runnerJar() {
        return home.resolve(RUNNER_JAR);
    }

    /** The runner jar's {@code Main-Class}, for starting it with a class path of our own. */
    public String mainClass() {
        try (JarFile jar = new JarFile(runnerJar().toFile())) {
            String main = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null || main.isBlank()) {
                throw new StackException(runnerJar() + " names no Main-Class");
            }
            return main.trim();
        } catch (IOException e) {
            throw new StackException("cannot read " + runnerJar() + ": " + e.getMessage(), e);
        }
    }
}
