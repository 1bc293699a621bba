package org.lepistream.trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import org.lepistream.trainer.ingest.ExampleBuilder;
import org.lepistream.trainer.ingest.JoinStore;
import org.lepistream.trainer.ingest.LabelIngestor;
import org.lepistream.trainer.ops.MetricsServer;
import org.lepistream.trainer.ops.TrainerMetrics;
import org.lepistream.trainer.release.Publisher;
import org.lepistream.trainer.release.Retrainer;
import org.lepistream.trainer.store.DatasetStore;

/**
 * The trainer process: decides which expert labels become training examples (ingestion thread) and when a new
 * model is trained and whether it ships (policy thread), and exposes /metrics.
 */
public final class TrainerService implements AutoCloseable {
    private final TrainerConfig config;
    private final PrintStream log;
    private final TrainerMetrics metrics = new TrainerMetrics();
    private final DatasetStore store;
    private final Publisher publisher;
    private final Retrainer retrainer;
    private final AtomicReference<ExampleBuilder> builder = new AtomicReference<>();
    private LabelIngestor ingestor;
    private Thread ingestThread;
    private Thread policyThread;
    private MetricsServer http;
    private volatile boolean running;
    private volatile boolean autoRetrain = true;
    private volatile String status = "starting";

    public TrainerService(TrainerConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.store = new DatasetStore(config.datasetDir());
        this.publisher = new Publisher(config.clientConfig(), config.releasesTopic());
        this.retrainer = new Retrainer(config, store, metrics, publisher, log);
    }

    /** Off: rounds run only through {@link #retrainer()} (the loop simulation drives them itself). */
    public TrainerService withAutoRetrain(boolean on) {
        this.autoRetrain = on;
        return this;
    }

    public void start() throws IOException {
        running = true;
        retrainer.start();
        builder.set(new ExampleBuilder(retrainer.taxonomy(), config.weights()));
        ingestor = new LabelIngestor(config, store, new JoinStore(config.workDir().resolve("join")), metrics,
                builder::get);
        ingestThread = new Thread(ingestor, "trainer-ingest");
        ingestThread.setDaemon(true);
        ingestThread.start();
        if (autoRetrain) {
            policyThread = new Thread(this::policyLoop, "trainer-policy");
            policyThread.setDaemon(true);
            policyThread.start();
        }
        if (config.httpPort() >= 0) {
            http = new MetricsServer(config.httpHost(), config.httpPort(), metrics, () -> status);
        }
        status = "running, model " + retrainer.currentVersion();
    }

    private void policyLoop() {
        while (running) {
            try {
                if (retrainer.due(System.currentTimeMillis())) {
                    status = "training (" + retrainer.newLabels() + " new labels)";
                    Retrainer.Round r = retrainer.runRound();
                    // A release may change nothing in the taxonomy, but the builder follows the current model anyway.
                    builder.set(new ExampleBuilder(retrainer.taxonomy(), config.weights()));
                    status = "running, model " + retrainer.currentVersion() + (r.released() ? "" : " (last candidate"
                            + " rejected: " + r.refusal() + ")");
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                status = "last training failed: " + e;
                log.println("trainer: training failed: " + e);
                e.printStackTrace(log);
                try {
                    Thread.sleep(30_000); // do not spin on a persistent failure
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** What the trainer is doing now ("running, model …", "training (…)", or why the last training failed). */
    public String status() {
        return status;
    }

    public TrainerMetrics metrics() {
        return metrics;
    }

    public DatasetStore store() {
        return store;
    }

    public Retrainer retrainer() {
        return retrainer;
    }

    /** The /metrics port, or -1 when off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void close() {
        running = false;
        if (ingestor != null) {
            ingestor.close();
        }
        if (policyThread != null) {
            policyThread.interrupt();
        }
        try {
            if (ingestThread != null) {
                ingestThread.join(10_000);
            }
            if (policyThread != null) {
                policyThread.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (http != null) {
            http.close();
        }
        retrainer.close();
        publisher.close();
    }
}
