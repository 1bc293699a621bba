package org.lepistream.schemas.connect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place where a process names the keys it reads under its prefix. A key under the prefix that is not named
 * here stops the process at start-up, with the nearest known key suggested: a misspelt {@code batch.max-sise} would
 * otherwise be ignored in silence and the default used. Reading a key that is not named here is a programming error,
 * so the list cannot fall behind the code.
 */
public final class SettingKeys {

    private final String prefix;
    private final Set<String> names;
    private final Set<String> families;
    private final Set<String> retired;

    private SettingKeys(String prefix, Set<String> names, Set<String> families, Set<String> retired) {
        this.prefix = prefix;
        this.names = Set.copyOf(names);
        this.families = Set.copyOf(families);
        this.retired = Set.copyOf(retired);
    }

    /** Keys under {@code prefix}, e.g. {@code lepistream.}. */
    public static SettingKeys under(String prefix, String... names) {
        return new SettingKeys(prefix, Set.of(names), Set.of(), Set.of());
    }

    /**
     * The same keys, also refusing keys under a prefix this process used before (e.g. {@code trainer.}): an old
     * config file would otherwise hand them to the Kafka clients, which ignore them, and run on defaults.
     */
    public SettingKeys withRetiredPrefix(String old) {
        Set<String> all = new TreeSet<>(retired);
        all.add(old);
        return new SettingKeys(prefix, names, families, all);
    }

    /** Refuses keys under a retired prefix, naming the key each is now. */
    void checkRetired(Set<String> allKeys) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(allKeys)) {
            retired.stream().filter(key::startsWith).findFirst().ifPresent(old -> problems.add(
                    key + " is now " + prefix + key.substring(old.length())));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("settings under a retired prefix: " + String.join("; ", problems)
                    + ". Every key of ours starts with '" + prefix + "'.");
        }
    }

    /**
     * The same keys plus families: open-ended keys that share a start, such as {@code user.<id>} or
     * {@code threshold.<rank>} ({@code family} ends with a dot and has at least one character after it).
     */
    public SettingKeys withFamilies(String... starts) {
        Set<String> all = new TreeSet<>(families);
        for (String f : starts) {
            if (!f.endsWith(".")) {
                throw new IllegalArgumentException("a family of keys ends with '.': " + f);
            }
            all.add(f);
        }
        return new SettingKeys(prefix, names, all, retired);
    }

    /** The same keys plus {@code more}. */
    public SettingKeys with(String... more) {
        Set<String> all = new TreeSet<>(names);
        all.addAll(List.of(more));
        return new SettingKeys(prefix, all, families, retired);
    }

    public String prefix() {
        return prefix;
    }

    /** Every named key, prefix included, sorted. */
    public Set<String> fullNames() {
        Set<String> out = new TreeSet<>();
        names.forEach(n -> out.add(prefix + n));
        return out;
    }

    /** Every family, prefix included (e.g. {@code lepistream.user.}), sorted. */
    public Set<String> fullFamilies() {
        Set<String> out = new TreeSet<>();
        families.forEach(f -> out.add(prefix + f));
        return out;
    }

    /** Whether {@code key} (prefix removed) is named, or belongs to a family. */
    public boolean declares(String key) {
        return names.contains(key) || families.stream().anyMatch(f -> key.startsWith(f) && key.length() > f.length());
    }

    /** Whether {@code start} is a declared family or the start of named keys (for {@link Settings#startingWith}). */
    boolean declaresStart(String start) {
        return families.contains(start) || names.stream().anyMatch(n -> n.startsWith(start));
    }

    /**
     * What an example config file (the process's documented reference) gets wrong against this list: named keys it
     * never shows (as {@code key=value} or commented {@code # key=value}), families without an example member, and
     * keys it shows that are not declared. Empty when the two agree.
     */
    public List<String> disagreementsWith(String exampleFile) {
        Set<String> shown = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^[#\\s]*" + java.util.regex.Pattern.quote(prefix) + "([A-Za-z0-9._@-]+)\\s*=")
                .matcher(exampleFile);
        while (m.find()) {
            shown.add(m.group(1));
        }
        List<String> out = new ArrayList<>();
        new TreeSet<>(names).stream().filter(n -> !shown.contains(n)).forEach(n -> out.add("not documented: " + prefix + n));
        new TreeSet<>(families).stream().filter(f -> shown.stream().noneMatch(k -> k.startsWith(f)))
                .forEach(f -> out.add("no example of: " + prefix + f + "*"));
        shown.stream().filter(k -> !declares(k)).forEach(k -> out.add("documented but unknown: " + prefix + k));
        return out;
    }

    /** Refuses own keys (prefix removed) that are not declared, naming each with the nearest known key. */
    void check(Map<String, String> own) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(own.keySet())) {
            if (!declares(key)) {
                problems.add("unknown setting " + prefix + key + nearest(key).map(n -> " (did you mean " + prefix + n
                        + "?)").orElse(""));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems)
                    + ". Keys without the '" + prefix + "' prefix go to the Kafka clients.");
        }
    }

    /** The known key (or family member) closest to {@code key} in edit distance, if close enough to be a typo. */
    Optional<String> nearest(String key) {
        Map<String, Integer> candidates = new java.util.HashMap<>();
        names.forEach(n -> candidates.put(n, distance(key, n) - closeEnough(key)));
        for (String f : families) {
            // Compare the key's head with the family (as many dot-separated parts), keep the member's own name.
            int parts = f.split("\\.").length;
            String[] keyParts = key.split("\\.", parts + 1);
            if (keyParts.length > parts) {
                String head = String.join(".", java.util.Arrays.copyOf(keyParts, parts)) + ".";
                candidates.put(f + keyParts[parts], distance(head, f) - closeEnough(head));
            }
        }
        return candidates.entrySet().stream()
                .filter(e -> e.getValue() <= 0)
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** The largest edit distance still read as a typo of a text this long. */
    private static int closeEnough(String text) {
        return Math.max(2, text.length() / 3);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
