package org.lepistream.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.lepistream.schemas.Contracts;
import org.lepistream.schemas.connect.StackDescriptor;
import org.lepistream.schemas.serde.RegistryClient;
import org.lepistream.schemas.serde.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka broker + schema registry + every catalogue topic and its registered contract, on loopback: what
 * {@code lepistream stack}, the demo and the integration tests run against.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final Path dataDir;
    private final boolean temporary;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LocalKafka kafka;
    private final LocalRegistry registry;
    private boolean closed;

    private LocalStack(Path dataDir, boolean temporary, FileChannel lockChannel, FileLock lock, LocalKafka kafka,
                       LocalRegistry registry) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.kafka = kafka;
        this.registry = registry;
    }

    /** A stack in a fresh temporary folder, on free ports, with an in-memory registry; {@link #close()} deletes it. */
    public static LocalStack startTemporary() {
        try {
            return builder().dataDir(Files.createTempDirectory("lepistream-stack-")).temporary(true).start();
        } catch (IOException e) {
            throw new StackException("cannot create a temporary folder for the stack: " + e.getMessage(), e);
        }
    }

    /** Options for a stack; {@link Builder#start()} starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Confluent-compatible registry base URL for {@code schema.registry.url}. */
    public String registryUrl() {
        return registry.url();
    }

    /** The folder holding the broker's logs ({@code kafka/}), the registry's database and its log. */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker. */
    public LocalKafka kafka() {
        return kafka;
    }

    /** The registry. */
    public LocalRegistry registry() {
        return registry;
    }

    /** The two settings every client needs: {@code bootstrap.servers} and {@code schema.registry.url}. */
    public Map<String, Object> clientConfig() {
        return Map.of("bootstrap.servers", bootstrapServers(), "schema.registry.url", registryUrl());
    }

    /** What {@code lepistream stack} writes so other commands find this stack: both addresses, pid and folder. */
    public StackDescriptor descriptor() {
        return new StackDescriptor(bootstrapServers(), registryUrl(), Map.of(
                "pid", String.valueOf(ProcessHandle.current().pid()),
                "data.dir", dataDir.toString()));
    }

    /** {@link #clientConfig()} as a fresh, modifiable {@link Properties}. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(clientConfig());
        return p;
    }

    /** Stops the registry and the broker, releases the folder, and deletes it if it was temporary. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Both in parallel: the registry's graceful stop and the broker's controlled shutdown each take seconds.
        CompletableFuture<Void> registryStop = CompletableFuture.runAsync(registry::close);
        kafka.close();
        registryStop.join();
        release(lockChannel, lock);
        if (temporary) {
            deleteRecursively(dataDir);
        }
        LOG.info("Local stack stopped");
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    private static void release(FileChannel channel, FileLock lock) {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("could not release the stack folder lock: {}", e.getMessage());
        }
    }

    /** How to start a {@link LocalStack}. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int registryPort;
        private boolean temporary;
        private boolean fresh;

        private Builder() {
        }

        /** Where data lives; required. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Kafka client port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Registry HTTP port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** Temporary: registry in memory and the folder deleted on close. Default false (everything persists). */
        public Builder temporary(boolean temporary) {
            this.temporary = temporary;
            return this;
        }

        /** Delete whatever an earlier run left in the folder before starting. */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** Starts broker and registry (in parallel), then creates the catalogue topics and registers their contracts. */
        public LocalStack start() {
            if (dataDir == null) {
                throw new IllegalArgumentException("dataDir is required");
            }
            Path dir = dataDir.toAbsolutePath();
            long started = System.nanoTime();
            FileChannel channel;
            FileLock lock;
            try {
                Files.createDirectories(dir);
                channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = tryLock(channel, dir);
            } catch (IOException e) {
                throw new StackException("cannot use " + dir + " as the stack's data folder: " + e.getMessage(), e);
            }
            try {
                // Before a wipe, which would delete the pid file that finds it.
                LocalRegistry.stopStale(dir.resolve("registry"));
                if (fresh) {
                    wipe(dir);
                }
                return startLocked(dir, channel, lock, started);
            } catch (RuntimeException e) {
                release(channel, lock);
                if (temporary) {
                    deleteRecursively(dir);
                }
                throw e;
            }
        }

        private LocalStack startLocked(Path dir, FileChannel channel, FileLock lock, long started) {
            // The registry is a separate JVM that needs several seconds: let it boot while the broker starts here.
            CompletableFuture<LocalRegistry> registry = CompletableFuture.supplyAsync(
                    () -> LocalRegistry.start(dir.resolve("registry"), registryPort, !temporary));
            LocalKafka kafka;
            try {
                kafka = LocalKafka.start(dir.resolve("kafka"), kafkaPort);
            } catch (RuntimeException e) {
                // Wait for it so that no registry outlives a failed start.
                registry.handle((r, failure) -> {
                    if (r != null) {
                        r.close();
                    }
                    return null;
                }).join();
                throw e;
            }
            LocalRegistry reg;
            try {
                reg = registry.join();
            } catch (CompletionException e) {
                kafka.close();
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            LocalStack stack = new LocalStack(dir, temporary, channel, lock, kafka, reg);
            try {
                CatalogueTopics.create(kafka.bootstrapServers());
                registerContracts(reg);
            } catch (RuntimeException e) {
                stack.closeServersOnly();
                throw e;
            }
            LOG.info("Local stack up in {} ms: bootstrap.servers={} schema.registry.url={}",
                    (System.nanoTime() - started) / 1_000_000, stack.bootstrapServers(), stack.registryUrl());
            return stack;
        }

        /** Every contract registered with its level, so clients that read the latest schema can start at once. */
        private static void registerContracts(LocalRegistry registry) {
            try {
                Contracts.register(new RegistryClient(registry.url()));
            } catch (RegistryException e) {
                throw new StackException("the registry in " + registry.logFile().getParent() + " refuses lepistream's "
                        + "contracts (an incompatible schema registered earlier?); start with --fresh to discard it: "
                        + e.getMessage(), e);
            }
        }

        private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StackException("another lepistream stack is already running on " + dir
                        + "; stop it or choose another --data-dir");
            }
            return lock;
        }

        private static void wipe(Path dir) {
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(p -> !p.getFileName().toString().equals(".lock")).forEach(LocalStack::deleteRecursively);
            } catch (IOException e) {
                throw new StackException("cannot empty " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops what a stack killed on {@code dataDir} left running (its registry child, found by its pid file), so that
     * its ports are free again. Does nothing while a live stack holds the folder.
     */
    public static void recoverStale(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                return;
            }
            try {
                LocalRegistry.stopStale(dir.resolve("registry"));
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            LOG.warn("cannot check {} for a registry left behind: {}", dir, e.getMessage());
        }
    }

    private void closeServersOnly() {
        closed = true;
        registry.close();
        kafka.close();
    }
}
