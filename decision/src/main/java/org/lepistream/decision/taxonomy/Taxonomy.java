package org.lepistream.decision.taxonomy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Immutable taxonomic tree (e.g. family → genus → species) whose nodes are addressed by (rank, index).
 *
 * <p>A node is identified by its name within its rank, so the same genus name under two families is an
 * error rather than two genera: citizen-science labels carry names, not ids, and a silent split would
 * make the parent-rank probabilities wrong. Indices at each rank are the node names in sorted order, so
 * two taxonomies built from the same names in any row order are identical.
 */
public final class Taxonomy {
    /** Default ranks, top to leaf. */
    public static final List<String> DEFAULT_RANKS = List.of("family", "genus", "species");

    static final int FORMAT_VERSION = 1;
    private static final int MAX_ROWS_NAMED = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> ranks;
    private final String[][] names;
    private final int[][] parents;
    private final List<Map<String, Integer>> indexByName;
    private final int[][] leafPaths;

    private Taxonomy(List<String> ranks, String[][] names, int[][] parents) {
        this.ranks = List.copyOf(ranks);
        this.names = names;
        this.parents = parents;
        this.indexByName = new ArrayList<>();
        for (String[] rankNames : names) {
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < rankNames.length; i++) {
                byName.put(rankNames[i], i);
            }
            indexByName.add(byName);
        }
        int depth = ranks.size();
        int leaves = names[depth - 1].length;
        this.leafPaths = new int[leaves][depth];
        for (int leaf = 0; leaf < leaves; leaf++) {
            int node = leaf;
            for (int r = depth - 1; r >= 0; r--) {
                leafPaths[leaf][r] = node;
                node = parents[r][node];
            }
        }
    }

    /** Builds a taxonomy from leaf paths (one name per rank, top→leaf); rows are named by 1-based position. */
    public static Taxonomy fromPaths(List<String> ranks, List<String[]> paths) {
        return fromPaths(ranks, paths, i -> "row " + (i + 1));
    }

    /**
     * Builds a taxonomy from leaf paths, naming offending rows with {@code rowName} (e.g. CSV line numbers).
     * Duplicate paths are fine (one per image); every problem found is reported in one exception.
     */
    public static Taxonomy fromPaths(List<String> ranks, List<String[]> paths, IntFunction<String> rowName) {
        validateRanks(ranks);
        int depth = ranks.size();
        if (paths == null || paths.isEmpty()) {
            throw new TaxonomyException("taxonomy needs at least one leaf path, got none");
        }
        List<String> problems = new ArrayList<>();
        // parentRows.get(r): child name -> (parent name -> rows that said so), insertion-ordered for messages
        List<Map<String, Map<String, List<Integer>>>> parentRows = new ArrayList<>();
        List<TreeSet<String>> rankNames = new ArrayList<>();
        for (int r = 0; r < depth; r++) {
            rankNames.add(new TreeSet<>());
            parentRows.add(new LinkedHashMap<>());
        }
        for (int row = 0; row < paths.size(); row++) {
            String[] path = paths.get(row);
            if (path == null || path.length != depth) {
                problems.add(rowName.apply(row) + ": expected " + depth + " names " + ranks + ", got "
                        + (path == null ? "none" : path.length));
                continue;
            }
            String[] clean = new String[depth];
            boolean blank = false;
            for (int r = 0; r < depth; r++) {
                clean[r] = path[r] == null ? "" : path[r].trim();
                if (clean[r].isEmpty()) {
                    problems.add(rowName.apply(row) + ": blank " + ranks.get(r));
                    blank = true;
                }
            }
            if (blank) {
                continue;
            }
            for (int r = 0; r < depth; r++) {
                rankNames.get(r).add(clean[r]);
                if (r > 0) {
                    parentRows.get(r).computeIfAbsent(clean[r], k -> new LinkedHashMap<>())
                            .computeIfAbsent(clean[r - 1], k -> new ArrayList<>()).add(row);
                }
            }
        }
        for (int r = 1; r < depth; r++) {
            for (Map.Entry<String, Map<String, List<Integer>>> child : parentRows.get(r).entrySet()) {
                if (child.getValue().size() > 1) {
                    problems.add(twoParentsMessage(ranks, r, child.getKey(), child.getValue(), rowName));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new TaxonomyException("inconsistent taxonomy: " + String.join("; ", problems));
        }
        String[][] names = new String[depth][];
        for (int r = 0; r < depth; r++) {
            names[r] = rankNames.get(r).toArray(String[]::new);
        }
        int[][] parents = new int[depth][];
        parents[0] = new int[names[0].length];
        Arrays.fill(parents[0], -1);
        for (int r = 1; r < depth; r++) {
            parents[r] = new int[names[r].length];
            for (int i = 0; i < names[r].length; i++) {
                String parentName = parentRows.get(r).get(names[r][i]).keySet().iterator().next();
                parents[r][i] = Arrays.binarySearch(names[r - 1], parentName);
            }
        }
        return new Taxonomy(ranks, names, parents);
    }

    private static String twoParentsMessage(List<String> ranks, int rank, String child,
            Map<String, List<Integer>> parentsSeen, IntFunction<String> rowName) {
        StringBuilder msg = new StringBuilder();
        msg.append(ranks.get(rank)).append(" '").append(child).append("' has ").append(parentsSeen.size())
                .append(" parents:");
        String sep = " ";
        for (Map.Entry<String, List<Integer>> parent : parentsSeen.entrySet()) {
            List<Integer> rows = parent.getValue();
            msg.append(sep).append(ranks.get(rank - 1)).append(" '").append(parent.getKey()).append("' (");
            for (int i = 0; i < Math.min(rows.size(), MAX_ROWS_NAMED); i++) {
                msg.append(i == 0 ? "" : ", ").append(rowName.apply(rows.get(i)));
            }
            if (rows.size() > MAX_ROWS_NAMED) {
                msg.append(" and ").append(rows.size() - MAX_ROWS_NAMED).append(" more");
            }
            msg.append(')');
            sep = ", ";
        }
        return msg.toString();
    }

    private static void validateRanks(List<String> ranks) {
        if (ranks == null || ranks.size() < 2) {
            throw new TaxonomyException("taxonomy needs at least 2 ranks, got " + ranks);
        }
        Set<String> seen = new HashSet<>();
        for (String rank : ranks) {
            if (rank == null || rank.isBlank()) {
                throw new TaxonomyException("blank rank name in " + ranks);
            }
            if (!seen.add(rank)) {
                throw new TaxonomyException("rank '" + rank + "' appears twice in " + ranks);
            }
        }
    }

    /** Rank names, top to leaf. */
    public List<String> ranks() {
        return ranks;
    }

    /** Number of ranks (the leaf rank is {@code depth() - 1}). */
    public int depth() {
        return ranks.size();
    }

    /** Index of a rank by name, or -1. */
    public int rankIndex(String rankName) {
        return ranks.indexOf(rankName);
    }

    /** Number of nodes at a rank. */
    public int size(int rank) {
        return names[checkRank(rank)].length;
    }

    /** Number of leaves (nodes at the deepest rank). */
    public int leafCount() {
        return names[depth() - 1].length;
    }

    /** Name of a node. */
    public String name(int rank, int index) {
        return names[checkRank(rank)][checkIndex(rank, index)];
    }

    /** All names at a rank, in index order. */
    public List<String> names(int rank) {
        return List.of(names[checkRank(rank)]);
    }

    /** Index of a node by name at a rank, or -1 if unknown. */
    public int indexOf(int rank, String name) {
        Integer index = indexByName.get(checkRank(rank)).get(name == null ? null : name.trim());
        return index == null ? -1 : index;
    }

    /** Index of a node's parent at {@code rank - 1}; rank 0 has no parent. */
    public int parent(int rank, int index) {
        checkRank(rank);
        if (rank == 0) {
            throw new IllegalArgumentException("rank 0 (" + ranks.get(0) + ") has no parent");
        }
        return parents[rank][checkIndex(rank, index)];
    }

    /** Indices of a node's children at {@code rank + 1}, ascending. */
    public int[] children(int rank, int index) {
        checkIndex(checkRank(rank), index);
        if (rank == depth() - 1) {
            return new int[0];
        }
        return IntStream.range(0, names[rank + 1].length)
                .filter(c -> parents[rank + 1][c] == index).toArray();
    }

    /** Node index at each rank for a leaf, top→leaf (a fresh copy). */
    public int[] path(int leaf) {
        return leafPaths[checkIndex(depth() - 1, leaf)].clone();
    }

    /** The ancestor of a leaf at the given rank (the leaf itself at the leaf rank). */
    public int ancestor(int leaf, int rank) {
        return leafPaths[checkIndex(depth() - 1, leaf)][checkRank(rank)];
    }

    /**
     * Mistake severity k: 0 for the same leaf, 1 for siblings, … and {@code depth()} when the two leaves
     * share only the (implicit) root.
     */
    public int distanceToCommonAncestor(int trueLeaf, int predictedLeaf) {
        int[] a = leafPaths[checkIndex(depth() - 1, trueLeaf)];
        int[] b = leafPaths[checkIndex(depth() - 1, predictedLeaf)];
        for (int r = depth() - 1; r >= 0; r--) {
            if (a[r] == b[r]) {
                return depth() - 1 - r;
            }
        }
        return depth();
    }

    private int checkRank(int rank) {
        if (rank < 0 || rank >= ranks.size()) {
            throw new IndexOutOfBoundsException("rank " + rank + " outside 0.." + (ranks.size() - 1));
        }
        return rank;
    }

    private int checkIndex(int rank, int index) {
        if (index < 0 || index >= names[rank].length) {
            throw new IndexOutOfBoundsException(
                    ranks.get(rank) + " index " + index + " outside 0.." + (names[rank].length - 1));
        }
        return index;
    }

    /** JSON form: format version, ranks and every leaf's path of names (enough to rebuild the tree). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        ArrayNode rankArray = root.putArray("ranks");
        ranks.forEach(rankArray::add);
        ArrayNode leaves = root.putArray("leaves");
        for (int[] path : leafPaths) {
            ArrayNode names = leaves.addArray();
            for (int r = 0; r < path.length; r++) {
                names.add(this.names[r][path[r]]);
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise taxonomy", e);
        }
    }

    /** Parses {@link #toJson()} output; a malformed document gives a {@link TaxonomyException} saying what is wrong. */
    public static Taxonomy fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            throw new TaxonomyException("taxonomy JSON is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TaxonomyException("taxonomy JSON must be an object with 'ranks' and 'leaves'");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
            throw new TaxonomyException("taxonomy JSON formatVersion must be " + FORMAT_VERSION + ", got " + version);
        }
        List<String> ranks = stringArray(root.get("ranks"), "ranks");
        JsonNode leaves = root.get("leaves");
        if (leaves == null || !leaves.isArray()) {
            throw new TaxonomyException("taxonomy JSON 'leaves' must be an array of name arrays");
        }
        List<String[]> paths = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            paths.add(stringArray(leaves.get(i), "leaves[" + i + "]").toArray(String[]::new));
        }
        return fromPaths(ranks, paths, i -> "leaves[" + i + "]");
    }

    private static List<String> stringArray(JsonNode node, String what) {
        if (node == null || !node.isArray()) {
            throw new TaxonomyException("taxonomy JSON '" + what + "' must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new TaxonomyException("taxonomy JSON '" + what + "' holds a non-string: " + item);
            }
            values.add(item.textValue());
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Taxonomy other)) {
            return false;
        }
        return ranks.equals(other.ranks) && Arrays.deepEquals(names, other.names)
                && Arrays.deepEquals(parents, other.parents);
    }

    @Override
    public int hashCode() {
        return 31 * ranks.hashCode() + Arrays.deepHashCode(names);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Taxonomy").append(ranks).append(" sizes [");
        for (int r = 0; r < depth(); r++) {
            s.append(r == 0 ? "" : ", ").append(names[r].length);
        }
        return s.append(']').toString();
    }
}
