package org.lepistream.tools.loop;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lepistream.stack.LocalStack;
import org.lepistream.trainer.TrainerConfig;
import org.lepistream.vision.training.EngineThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate-loop}: the expert-feedback loop on a labelled folder, adaptive vs uniform sampling. */
@Command(name = "simulate-loop", mixinStandardHelpOptions = true,
        description = {"Start a local stack, train a model on --seed-fraction of the train split, then for each"
                + " sampling arm run the real service (./lepistream serve) and the real trainer: stream the rest of"
                + " train in --rounds rounds, let an oracle (the true labels) answer review requests and audit"
                + " accepted identifications within --label-budget, retrain, gate and release each round.",
            "Writes results.md and results.csv (per round: val species top-1, mistake severity, accepted-prediction"
                + " precision, review rate; and the streamed traffic's review rate and accepted precision) to --out."})
public final class SimulateLoopCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Labelled folder with train and val splits.")
    Path data;

    @Option(names = "--out", defaultValue = "loop-simulation", paramLabel = "DIR",
            description = "Work and results folder (default ${DEFAULT-VALUE}); an initial model found there is reused.")
    Path out;

    @Option(names = "--seed-fraction", defaultValue = "0.3", description = "Share of train for the initial model (default ${DEFAULT-VALUE}).")
    double seedFraction;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of streaming + retraining (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--label-budget", defaultValue = "0.6",
            description = "Labels per round as a share of the round's sightings, equal for every arm (default ${DEFAULT-VALUE}).")
    double labelBudget;

    @Option(names = "--arms", defaultValue = "adaptive,uniform", split = ",",
            description = "Sampling arms to run, in order (default ${DEFAULT-VALUE}).")
    List<String> arms;

    @Option(names = "--train-seeds", defaultValue = "1", split = ",",
            description = "Training seeds: every arm runs once per seed from the same initial model (default ${DEFAULT-VALUE}).")
    List<Long> trainSeeds;

    @Option(names = "--input-size", defaultValue = "64", description = "Classifier input side in px (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--initial-epochs", defaultValue = "30", description = "Epochs of the initial model (default ${DEFAULT-VALUE}).")
    int initialEpochs;

    @Option(names = "--round-epochs", defaultValue = "8", description = "Fine-tuning epochs per round (default ${DEFAULT-VALUE}).")
    int roundEpochs;

    @Option(names = "--segmenter-epochs", defaultValue = "10", description = "Segmenter epochs of the initial model (default ${DEFAULT-VALUE}).")
    int segmenterEpochs;

    @Option(names = "--target", defaultValue = "0.9",
            description = "Accepted-prediction precision the thresholds are calibrated for (default ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--threads", defaultValue = "1", description = "PyTorch threads for training and the service (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--long-tail", description = "Stream a long tail cut from train instead of all of it: species"
            + " in a seeded random order get --tail-head down to --tail-last photos (a power law), each gives"
            + " --tail-seed photos to the initial model, and val is halved into the gate's half and an evaluation half"
            + " (species top-1, macro recall, recall of the --tail-rare rarest) that nothing selects on.")
    boolean longTail;

    @Option(names = "--tail-seed", defaultValue = "3", description = "Long tail: seed photos per species (default ${DEFAULT-VALUE}).")
    int tailSeed;

    @Option(names = "--tail-head", defaultValue = "80", description = "Long tail: stream photos of the most frequent species (default ${DEFAULT-VALUE}).")
    int tailHead;

    @Option(names = "--tail-last", defaultValue = "3", description = "Long tail: stream photos of the rarest species (default ${DEFAULT-VALUE}).")
    int tailLast;

    @Option(names = "--tail-rare", defaultValue = "10", description = "Long tail: how many of the rarest species the rare recall averages (default ${DEFAULT-VALUE}).")
    int tailRare;

    @Option(names = "--no-gate", description = "Release every round's candidate (the arms then serve what their"
            + " sampling trained, not what a gate let through).")
    boolean noGate;

    @Option(names = "--segmenter-from", paramLabel = "BUNDLE", description = "Reuse this bundle's segmenter in the"
            + " initial model instead of training one (data without masks needs one for Over-CAM routing).")
    Path segmenterFrom;

    @Option(names = "--trainer-property", paramLabel = "KEY=VALUE", description = "A trainer setting for every arm,"
            + " without the lepistream. prefix (e.g. weight.class-balance=1); repeatable.")
    java.util.Map<String, String> trainerProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--launcher", defaultValue = "./lepistream", paramLabel = "FILE",
            description = "The lepistream launcher used to start the service (default ${DEFAULT-VALUE}).")
    Path launcher;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data " + data + " is not a folder");
        }
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("--launcher " + launcher + " is not an executable (run from the repo root)");
        }
        EngineThreads.configure(threads);
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        List<TrainerConfig.Sampling> which = arms.stream()
                .map(a -> TrainerConfig.Sampling.valueOf(a.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
                .toList();
        LoopSimulation.Settings settings = new LoopSimulation.Settings(data.toAbsolutePath(), out.toAbsolutePath(),
                seedFraction, rounds, labelBudget, inputSize, initialEpochs, roundEpochs, segmenterEpochs, target,
                threads, seed, which, trainSeeds, launcher.toAbsolutePath(),
                longTail ? new LongTail(tailSeed, tailHead, tailLast, tailRare) : null, !noGate,
                segmenterFrom == null ? null : segmenterFrom.toAbsolutePath(), trainerProperties);
        try (LocalStack stack = LocalStack.startTemporary()) {
            log.println("loop: stack up at " + stack.bootstrapServers());
            LoopSimulation sim = new LoopSimulation(settings, stack.clientConfig(), log);
            sim.run();
            log.println(Files.readString(out.resolve("results.md")));
        }
        return 0;
    }
}
