package org.lepistream.review;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.lepistream.review.taxonomy.TaxonomyIndex;
import org.lepistream.schemas.GeoPoint;
import org.lepistream.schemas.Heatmap;
import org.lepistream.schemas.Identification;
import org.lepistream.schemas.RankPrediction;
import org.lepistream.schemas.ReviewReason;
import org.lepistream.schemas.ReviewRequest;
import org.lepistream.schemas.Route;
import org.lepistream.schemas.TaxonScore;
import org.lepistream.schemas.Timings;

/** Review requests as the identification service writes them, with real encoded pictures. */
public final class Fixtures {

    public static final TaxonomyIndex TAXONOMY = TaxonomyIndex.of(List.of("family", "genus", "species"), List.of(
            new String[] {"Nymphalidae", "Vanessa", "Vanessa cardui"},
            new String[] {"Nymphalidae", "Vanessa", "Vanessa atalanta"},
            new String[] {"Nymphalidae", "Danaus", "Danaus plexippus"},
            new String[] {"Pieridae", "Pieris", "Pieris rapae"}));

    /** The same taxonomy as a labels.csv body. */
    public static final String LABELS_CSV = "id,image,mask,species,common_name,genus,family,split\n"
            + "1,a,a,Vanessa cardui,Painted Lady,Vanessa,Nymphalidae,train\n"
            + "2,b,b,Vanessa atalanta,Red Admiral,Vanessa,Nymphalidae,train\n"
            + "3,c,c,Danaus plexippus,Monarch,Danaus,Nymphalidae,train\n"
            + "4,d,d,Pieris rapae,Cabbage White,Pieris,Pieridae,train\n";

    private Fixtures() {
    }

    /**
     * A review request whose model put {@code species} first (probability 0.5), its genus and family first too.
     *
     * @param image the photo bytes (null for none)
     */
    public static ReviewRequest request(String id, String species, ReviewReason reason, double overlap, String model,
            Instant routedAt, byte[] image) {
        TaxonomyIndex.Taxon leaf = TAXONOMY.find("species", species).orElseThrow();
        List<RankPrediction> predictions = new ArrayList<>();
        for (String rank : TAXONOMY.ranks()) {
            String top = leaf.lineage().get(rank);
            List<TaxonScore> candidates = new ArrayList<>();
            candidates.add(new TaxonScore(top, 0.5));
            TAXONOMY.at(rank).stream().map(TaxonomyIndex.Taxon::name).filter(n -> !n.equals(top)).limit(2)
                    .forEach(n -> candidates.add(new TaxonScore(n, 0.2)));
            predictions.add(new RankPrediction(rank, candidates));
        }
        Identification identification = Identification.newBuilder().setSightingId(id).setModelVersion(model)
                .setPredictions(predictions).setDecidedRank("genus").setDecidedTaxon(leaf.lineage().get("genus"))
                .setOverlap(overlap).setConfidence(0.7).setRoute(Route.REVIEW).setReasons(List.of(reason))
                .setTimings(new Timings(1L, 2L, 3L)).setProcessedAt(routedAt).build();
        return ReviewRequest.newBuilder().setIdentification(identification)
                .setImage(image == null ? null : ByteBuffer.wrap(image)).setContentType("image/jpeg")
                .setAttention(disc(8, 0.3)).setMask(disc(16, 0.35)).setObserverId("observer-1")
                .setObservedAt(routedAt.minusSeconds(60)).setLocation(new GeoPoint(53.8008, -1.5491)).build();
    }

    /** A small JPEG: an orange "butterfly" on green. */
    public static byte[] photo(long seed) {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(70, 130, 60));
        g.fillRect(0, 0, 160, 120);
        g.setColor(new Color(230, 120 + (int) (seed % 100), 30));
        g.fillOval(30, 30, 45, 60);
        g.fillOval(85, 30, 45, 60);
        g.setColor(Color.BLACK);
        g.fillRect(76, 35, 8, 55);
        g.dispose();
        return encode(img, "jpg");
    }

    /**
     * A request as services before the grids sent it: the attention overlay and the mask as finished PNGs.
     */
    public static ReviewRequest withPictures(ReviewRequest r) {
        return ReviewRequest.newBuilder(r).setAttention(null).setMask(null)
                .setAttentionOverlayPng(ByteBuffer.wrap(png(new Color(220, 60, 40), 64)))
                .setMaskPng(ByteBuffer.wrap(png(Color.WHITE, 64))).build();
    }

    /** A size x size grid, 255 inside a centred disc of the given radius (share of the side), 0 outside. */
    public static Heatmap disc(int size, double radius) {
        byte[] v = new byte[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = (x + 0.5) / size - 0.5;
                double dy = (y + 0.5) / size - 0.5;
                v[y * size + x] = (byte) (Math.hypot(dx, dy) <= radius ? 255 : 0);
            }
        }
        return Heatmap.newBuilder().setHeight(size).setWidth(size).setValues(ByteBuffer.wrap(v)).build();
    }

    static byte[] png(Color colour, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillOval(size / 4, size / 4, size / 2, size / 2);
        g.dispose();
        return encode(img, "png");
    }

    private static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
