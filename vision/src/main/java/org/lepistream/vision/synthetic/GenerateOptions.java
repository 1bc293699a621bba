package org.lepistream.vision.synthetic;

/**
 * Shape and size of a synthetic dataset: {@code families × generaPerFamily} genera, each with
 * {@code speciesPerGenus} species, or, when {@code species > 0}, that many species spread round-robin over
 * the genera; {@code imagesPerSpecies} photos each of {@code size}² pixels, the last
 * {@code round(imagesPerSpecies × valFraction)} of every species in split "val" and the
 * {@code round(imagesPerSpecies × testFraction)} before them in split "test" (photos nothing trains or selects on,
 * e.g. the demo's stream).
 */
public record GenerateOptions(int families, int generaPerFamily, int speciesPerGenus, int species,
        int imagesPerSpecies, int size, long seed, double valFraction, double testFraction) {

    public GenerateOptions {
        require(families >= 1, "families must be >= 1, got " + families);
        require(generaPerFamily >= 1, "generaPerFamily must be >= 1, got " + generaPerFamily);
        require(species > 0 || speciesPerGenus >= 1, "speciesPerGenus must be >= 1 (or give species), got "
                + speciesPerGenus);
        require(species == 0 || species >= families * generaPerFamily, "species (" + species
                + ") must be 0 or at least the number of genera (" + families * generaPerFamily + ")");
        require(species >= 0, "species must be >= 0, got " + species);
        require(imagesPerSpecies >= 1 && imagesPerSpecies <= 9999, "imagesPerSpecies must be 1..9999, got "
                + imagesPerSpecies);
        require(size >= 32 && size <= 1024, "size must be 32..1024, got " + size);
        require(valFraction >= 0 && valFraction < 1, "valFraction must be in [0,1), got " + valFraction);
        require(testFraction >= 0 && valFraction + testFraction < 1, "testFraction must be >= 0 and leave photos to"
                + " train on, got " + testFraction + " beside valFraction " + valFraction);
        require(totalSpecies(families, generaPerFamily, speciesPerGenus, species) <= 999,
                "at most 999 species");
    }

    /** Without a test split. */
    public GenerateOptions(int families, int generaPerFamily, int speciesPerGenus, int species, int imagesPerSpecies,
            int size, long seed, double valFraction) {
        this(families, generaPerFamily, speciesPerGenus, species, imagesPerSpecies, size, seed, valFraction, 0);
    }

    /** 3 families × 2 genera × 2 species, 40 images each at 128 px, 20% val, seed 1. */
    public static GenerateOptions defaults() {
        return new GenerateOptions(3, 2, 2, 0, 40, 128, 1, 0.2);
    }

    public GenerateOptions withShape(int families, int generaPerFamily, int speciesPerGenus) {
        return new GenerateOptions(families, generaPerFamily, speciesPerGenus, 0, imagesPerSpecies, size, seed,
                valFraction, testFraction);
    }

    public GenerateOptions withImages(int perSpecies, int size) {
        return new GenerateOptions(families, generaPerFamily, speciesPerGenus, species, perSpecies, size, seed,
                valFraction, testFraction);
    }

    public GenerateOptions withSeed(long newSeed) {
        return new GenerateOptions(families, generaPerFamily, speciesPerGenus, species, imagesPerSpecies, size,
                newSeed, valFraction, testFraction);
    }

    /** Number of genera. */
    public int genera() {
        return families * generaPerFamily;
    }

    /** Species in genus {@code g} (0-based, generation order). */
    public int speciesInGenus(int g) {
        if (species == 0) {
            return speciesPerGenus;
        }
        return species / genera() + (g < species % genera() ? 1 : 0);
    }

    /** Total number of species. */
    public int totalSpecies() {
        return totalSpecies(families, generaPerFamily, speciesPerGenus, species);
    }

    /** Validation images per species. */
    public int valPerSpecies() {
        return (int) Math.round(imagesPerSpecies * valFraction);
    }

    /** Test images per species. */
    public int testPerSpecies() {
        return (int) Math.round(imagesPerSpecies * testFraction);
    }

    private static int totalSpecies(int families, int generaPerFamily, int speciesPerGenus, int species) {
        return species > 0 ? species : families * generaPerFamily * speciesPerGenus;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
