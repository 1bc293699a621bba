package org.lepistream.review.auth;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Decides who may sign in: reviewer ids with their password hashes, from the configuration. */
public final class Reviewers {

    private final Map<String, String> hashes;
    // Checked instead when the id is unknown. It has the iteration count most reviewers' hashes have, so a wrong id
    // costs what a wrong password costs and the answer time does not tell which ids exist.
    private final String dummy;

    public Reviewers(Map<String, String> hashes) {
        hashes.forEach((user, hash) -> {
            try {
                PasswordHash.validate(hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("reviewer '" + user + "': " + e.getMessage(), e);
            }
        });
        this.hashes = new TreeMap<>(hashes);
        this.dummy = PasswordHash.hash("not-a-password".toCharArray(), typicalIterations(hashes));
    }

    /** The most common iteration count of the configured hashes (the highest of equally common ones). */
    static int typicalIterations(Map<String, String> hashes) {
        return hashes.values().stream().collect(Collectors.groupingBy(PasswordHash::iterations, Collectors.counting()))
                .entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .map(Map.Entry::getKey).orElse(PasswordHash.DEFAULT_ITERATIONS);
    }

    /** The reviewer id when the password is right; empty otherwise (same cost either way). */
    public Optional<String> authenticate(String user, char[] password) {
        String hash = user == null ? null : hashes.get(user.trim());
        if (hash == null) {
            PasswordHash.verify(password, dummy);
            return Optional.empty();
        }
        return PasswordHash.verify(password, hash) ? Optional.of(user.trim()) : Optional.empty();
    }

    public int count() {
        return hashes.size();
    }
}
