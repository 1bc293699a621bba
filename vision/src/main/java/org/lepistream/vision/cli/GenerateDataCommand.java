package org.lepistream.vision.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lepistream.vision.synthetic.GenerateOptions;
import org.lepistream.vision.synthetic.SyntheticButterflies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate-data}: writes a synthetic butterfly dataset in the Leeds layout. */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
        description = "Write a synthetic butterfly dataset (labels.csv, images/, masks/): family shows in wing shape, "
                + "genus in colour, species in small markings, on cluttered backgrounds.")
final class GenerateDataCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output folder (created; must be empty).")
    Path out;

    @Option(names = "--families", defaultValue = "3", description = "Number of families (default ${DEFAULT-VALUE}).")
    int families;

    @Option(names = "--genera-per-family", defaultValue = "2",
            description = "Genera per family (default ${DEFAULT-VALUE}).")
    int generaPerFamily;

    @Option(names = "--species-per-genus", defaultValue = "2",
            description = "Species per genus (default ${DEFAULT-VALUE}); ignored when --species is given.")
    int speciesPerGenus;

    @Option(names = "--species", defaultValue = "0",
            description = "Total species, spread over the genera (0 = families x genera x species-per-genus).")
    int species;

    @Option(names = "--images-per-species", defaultValue = "40",
            description = "Photos per species (default ${DEFAULT-VALUE}).")
    int imagesPerSpecies;

    @Option(names = "--size", defaultValue = "128", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--val-fraction", defaultValue = "0.2",
            description = "Share of each species in split 'val' (default ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--test-fraction", defaultValue = "0",
            description = "Share of each species in split 'test', photos nothing trains or selects on (default"
                    + " ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        GenerateOptions opts = new GenerateOptions(families, generaPerFamily, speciesPerGenus, species,
                imagesPerSpecies, size, seed, valFraction, testFraction);
        SyntheticButterflies.Result r = SyntheticButterflies.generate(out, opts);
        System.out.printf("wrote %d images (%d train, %d val%s) of %d species to %s%n", r.images(), r.train(), r.val(),
                r.test() > 0 ? ", " + r.test() + " test" : "", r.taxonomy().leafCount(), r.dir());
        return 0;
    }
}
