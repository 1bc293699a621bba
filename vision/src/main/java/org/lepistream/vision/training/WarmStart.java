package org.lepistream.vision.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.lepistream.vision.bundle.ModelBundle;
import org.lepistream.vision.model.Classifier;
import org.lepistream.vision.model.ClassifierConfig;

/**
 * Starts a classifier from earlier weights ({@code --pretrained-backbone}): every parameter whose name and shape match
 * is copied, the rest (typically the final layer when the species list changed) keeps its fresh initialisation.
 */
public final class WarmStart {
    /** How many parameters were copied and how many kept fresh. */
    public record Report(int copied, int skipped, String source) {
    }

    private WarmStart() {
    }

    /**
     * Copies matching parameters from {@code source} into {@code target}, which must be initialised.
     *
     * @param source a model bundle directory, or a {@code classifier.params} file written for a network of the same
     *     structure as {@code target}
     */
    public static Report copyInto(Block target, ClassifierConfig targetConfig, Path source) {
        if (Files.isDirectory(source)) {
            try (ModelBundle bundle = ModelBundle.load(source)) {
                return copy(bundle.classifier(), target, source.toString());
            }
        }
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("pretrained backbone " + source + " is neither a model bundle "
                    + "directory nor a parameter file");
        }
        try (NDManager manager = NDManager.newBaseManager();
                InputStream raw = Files.newInputStream(source);
                DataInputStream in = new DataInputStream(raw)) {
            Classifier donor = Classifier.build(targetConfig);
            donor.loadParameters(manager, in);
            return copy(donor, target, source.toString());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read pretrained backbone " + source + " as parameters of a "
                    + "network of this shape (" + e.getMessage() + "); pass a model bundle directory instead", e);
        }
    }

    /** Copies parameters with equal names and shapes from one block into another. */
    public static Report copy(Block from, Block to, String sourceName) {
        Map<String, Parameter> donors = new HashMap<>();
        for (Pair<String, Parameter> p : from.getParameters()) {
            donors.put(p.getKey(), p.getValue());
        }
        int copied = 0;
        int skipped = 0;
        for (Pair<String, Parameter> p : to.getParameters()) {
            Parameter donor = donors.get(p.getKey());
            NDArray target = p.getValue().getArray();
            if (donor != null && donor.isInitialized() && donor.getArray().getShape().equals(target.getShape())) {
                donor.getArray().copyTo(target);
                copied++;
            } else {
                skipped++;
            }
        }
        if (copied == 0) {
            throw new IllegalArgumentException("pretrained backbone " + sourceName
                    + " shares no parameter (name and shape) with this network");
        }
        return new Report(copied, skipped, sourceName);
    }
}
