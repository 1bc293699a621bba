package org.lepistream.vision.cli;

import org.lepistream.vision.bundle.BundleException;
import org.lepistream.vision.data.DatasetException;
import org.lepistream.decision.taxonomy.TaxonomyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The vision command line: {@code generate-data}, {@code train}, {@code train-segmenter}, {@code evaluate} and
 * {@code bench-inference}.
 */
@Command(name = "lepistream vision", mixinStandardHelpOptions = true, version = "lepistream vision 0.1",
        description = "Train and evaluate the butterfly species classifier and segmenter.",
        subcommands = {GenerateDataCommand.class, TrainCommand.class, TrainSegmenterCommand.class,
            EvaluateCommand.class, BenchInferenceCommand.class, BenchTrainCommand.class, CommandLine.HelpCommand.class})
public final class VisionCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Entry point used by the ./lepistream launcher. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 bad usage). */
    public static int execute(String... args) {
        // DJL logs its engine banner at INFO; keep the console for progress lines unless asked otherwise.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // On a machine without a GPU, DJL warns that it could not count GPUs; that is the expected state here.
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        }
        // Likewise ONNX Runtime's "CUDA is not supported" on a CPU build: the CPU provider is what it uses here.
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine", "error");
        }
        CommandLine cli = new CommandLine(new VisionCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (isUserError(e)) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("failed: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        return cli.execute(args);
    }

    // Bad input gets its message, not a stack trace: these exceptions are written for people.
    private static boolean isUserError(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof DatasetException || e instanceof BundleException
                || e instanceof TaxonomyException || e instanceof java.nio.file.NoSuchFileException;
    }
}
