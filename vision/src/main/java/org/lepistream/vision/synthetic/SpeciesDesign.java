package org.lepistream.vision.synthetic;

/** Everything that makes one synthetic species look like itself: family shape, genus colours, own marks. */
record SpeciesDesign(String family, String genus, String species, String commonName, WingShape shape,
        WingColours colours, WingMarks marks) {
}
