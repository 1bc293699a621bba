// Photos without a butterfly, for the no-butterfly experiments: each masked photo of a split with its butterfly
// erased (BackgroundSwap.eraseSubject, the background-swap donors). Run from the repo root after a build:
//   java -cp "vision/target/classes:$(cat vision/target/classpath.txt)" docs/experiments/ErasedBackgrounds.java \
//       DATA SPLIT COUNT OUT
// COUNT photos are taken in a seeded order, one per species in turn; they are written as OUT/<id>.png.
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.lepistream.vision.data.Dataset;
import org.lepistream.vision.data.Sample;
import org.lepistream.vision.evaluation.BackgroundSwap;

public class ErasedBackgrounds {
    public static void main(String[] args) throws Exception {
        Dataset data = Dataset.load(Path.of(args[0]));
        int count = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        List<Sample> masked = new ArrayList<>(data.split(args[1]).stream().filter(Sample::hasMask)
                .sorted(Comparator.comparing(Sample::id)).toList());
        Collections.shuffle(masked, new Random(1));
        // Round-robin over species so that a small count still covers every species' backgrounds.
        masked.sort(Comparator.comparingInt(s -> masked.stream().filter(o -> o.leaf() == s.leaf()).toList()
                .indexOf(s)));
        int n = BackgroundSwap.writeErased(masked.subList(0, Math.min(count, masked.size())), out).size();
        System.out.println(n + " photos without a butterfly written to " + out);
    }
}
