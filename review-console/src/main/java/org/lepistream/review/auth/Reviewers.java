package org.lepistream.review.auth;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Decides who may sign in: reviewer ids with their password hashes, from the configuration. */
public final class Reviewers {

    private final Map<String, String> hashes;

    public Reviewers(Map<String, String> hashes) {
        hashes.forEach((user, hash) -> {
            try {
                PasswordHash.validate(hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("reviewer '" + user + "': " + e.getMessage(), e);
            }
        });
        this.hashes = new TreeMap<>(hashes);
    }

    /** The reviewer id when the password is right; empty otherwise (same cost either way). */
    public Optional<String> authenticate(String user, char[] password) {
        String hash = user == null ? null : hashes.get(user.trim());
        if (hash == null) {
            PasswordHash.burn(password);
            return Optional.empty();
        }
        return PasswordHash.verify(password, hash) ? Optional.of(user.trim()) : Optional.empty();
    }

    public int count() {
        return hashes.size();
    }
}
